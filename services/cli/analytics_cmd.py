"""``arbees analytics run archive|train|report [--date D]``: run one nightly job now and print its summary.

The job runs through the same runner as the service, so it never overlaps a scheduled run of the same job
(it is refused instead, exit code 3); a failed job prints its error and exits 1. Parser:
:mod:`services.cli.parsers.analytics`.
"""

from __future__ import annotations

import argparse
import sys

from services.analytics.config import AnalyticsSettings
from services.analytics.jobs import JobRunner
from shared.config import load_settings
from shared.runtime.infra import ensure_schema, open_pool, resolve_database_url

EXIT = {"ok": 0, "failed": 1, "refused": 3}


async def run_job(args: argparse.Namespace) -> int:
    """Handler of ``analytics run``; returns the exit code."""
    settings = load_settings(AnalyticsSettings)
    dsn, _embedded = await resolve_database_url(settings)
    pool = await open_pool(dsn)
    try:
        await ensure_schema(pool, settings.auto_migrate)
        outcome = await JobRunner(pool, settings).run(args.job, args.date)
    finally:
        await pool.close()
    print(outcome.summary, file=sys.stdout if outcome.status == "ok" else sys.stderr)
    return EXIT[outcome.status]
