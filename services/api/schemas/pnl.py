"""The P&L summary: today, cumulative, breakdowns and the cumulative series for the chart."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel

from shared.prices import Money


class PnlFigures(BaseModel):
    """``net`` = realized + unrealized - fees (dollars)."""

    realized: Money
    unrealized: Money
    fees: Money
    net: Money


class PnlBreakdown(PnlFigures):
    """The figures of one sport, strategy or venue (``key``)."""

    key: str


class PnlPoint(PnlFigures):
    """Cumulative figures at ``ts``."""

    ts: datetime


class PnlSummary(BaseModel):
    """P&L of the fleet's trading mode (paper or live)."""

    as_of: datetime
    today: PnlFigures
    cumulative: PnlFigures
    by_sport: list[PnlBreakdown]
    by_strategy: list[PnlBreakdown]
    by_venue: list[PnlBreakdown]
    series: list[PnlPoint]
