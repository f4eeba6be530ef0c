"""Parser of ``arbees migrate`` (implementation: :mod:`services.cli.migrate_cmd`)."""

from __future__ import annotations

import argparse


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "migrate",
        help="apply pending database migrations",
        description="Apply pending SQL migrations to DATABASE_URL (or the embedded database); idempotent.",
    )
    parser.set_defaults(handler="services.cli.migrate_cmd:run")
