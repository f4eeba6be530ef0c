"""Parser of ``arbees analytics run archive|train|report [--date D]``.

Implementation: :mod:`services.cli.analytics_cmd`.
"""

from __future__ import annotations

import argparse
import datetime as dt

JOB_NAMES: tuple[str, ...] = ("archive", "report", "train")
"""``sorted(services.analytics.jobs.JOBS)`` (kept equal by a unit test): the jobs module is heavy to import."""


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    top = subparsers.add_parser(
        "analytics",
        help="run a nightly analytics job now (archive, train, report)",
        description="Run one of the analytics service's nightly jobs now on DATABASE_URL (or the embedded database).",
    )
    sub = top.add_subparsers(dest="analytics_command", metavar="<subcommand>", required=True)
    run = sub.add_parser("run", help="run a job now", description="Run a job now and print a text summary.")
    run.add_argument("job", choices=JOB_NAMES)
    run.add_argument(
        "--date",
        type=dt.date.fromisoformat,
        metavar="YYYY-MM-DD",
        help="report: the day to report (default yesterday); archive: archive as at the end of that day",
    )
    run.set_defaults(handler="services.cli.analytics_cmd:run_job")
