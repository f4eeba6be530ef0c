"""``arbees analytics run archive|train|report [--date D]``: run one nightly job now and print its summary.

The job runs through the same runner as the service, so it never overlaps a scheduled run of the same job
(it is refused instead, exit code 3); a failed job prints its error and exits 1.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys

from services.analytics.config import AnalyticsSettings
from services.analytics.jobs import JOBS, JobRunner
from shared.config import load_settings
from shared.runtime.infra import ensure_schema, open_pool, resolve_database_url

EXIT = {"ok": 0, "failed": 1, "refused": 3}


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    top = subparsers.add_parser(
        "analytics",
        help="run a nightly analytics job now (archive, train, report)",
        description="Run one of the analytics service's nightly jobs now on DATABASE_URL (or the embedded database).",
    )
    sub = top.add_subparsers(dest="analytics_command", metavar="<subcommand>", required=True)
    run = sub.add_parser("run", help="run a job now", description="Run a job now and print a text summary.")
    run.add_argument("job", choices=sorted(JOBS))
    run.add_argument(
        "--date",
        type=dt.date.fromisoformat,
        metavar="YYYY-MM-DD",
        help="report: the day to report (default yesterday); archive: archive as at the end of that day",
    )
    run.set_defaults(handler=run_job)


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
