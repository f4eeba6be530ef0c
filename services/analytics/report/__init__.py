"""The hot-wash report: one HTML page and its PNG plots per trading day (``write_report``)."""

from services.analytics.report.model import Report
from services.analytics.report.writer import write_report

__all__ = ["Report", "write_report"]
