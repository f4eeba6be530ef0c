"""Parser of ``arbees status`` (implementation: :mod:`services.cli.status_cmd`)."""

from __future__ import annotations

import argparse


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "status",
        help="show the trading state and fleet health from heartbeats",
        description=(
            "Show the trading state (active or halted, why, by whom, since when) from DATABASE_URL (or the "
            "embedded database), then every service instance with its last heartbeat. Reads REDIS_URL when "
            "set; otherwise asks the local `arbees run all` process on ARBEES_HEALTH_PORT. Exit code 1 if a "
            "service is missing or unhealthy."
        ),
    )
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.set_defaults(handler="services.cli.status_cmd:run")
