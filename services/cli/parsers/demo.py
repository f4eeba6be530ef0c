"""Parser of ``arbees demo`` (implementation: :mod:`services.cli.demo_cmd`)."""

from __future__ import annotations

import argparse

DEMO_SPORTS = ("nba", "nhl")
DEMO_LIMIT = 2
DEMO_SPEED = 150.0
DEFAULT_DEMO_PORT = 8000
"""The dashboard's port in the demo (a free one when it is taken)."""


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "demo",
        help="watch recorded real games discovered, priced, traded on paper and settled (a short replay)",
        description=(
            "A short `arbees replay`: the ESPN, Kalshi and Polymarket simulators replay recorded real games and "
            "every service runs as its own process (a private redis-server and the embedded PostgreSQL unless "
            "REDIS_URL/DATABASE_URL are set). With --scripted: one scripted NBA game through every service in "
            "this process instead. Nothing is sent to a real venue."
        ),
    )
    parser.add_argument("--scripted", action="store_true", help="the scripted single-game demo, in one process")
    parser.add_argument("--sports", nargs="+", default=list(DEMO_SPORTS), help="leagues to replay")
    parser.add_argument("--limit", type=int, default=DEMO_LIMIT, help="games per league")
    parser.add_argument("--speed", type=float, default=DEMO_SPEED, help="game seconds per wall second")
    parser.add_argument("--json", action="store_true", help="also print the replay summary as JSON")
    parser.add_argument(
        "--hold",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="keep the dashboard open after the replay until Ctrl-C (default: when run in a terminal)",
    )
    parser.add_argument(
        "--api-port", type=int, default=DEFAULT_DEMO_PORT, help="dashboard port (taken: a free one is used)"
    )
    parser.add_argument("--timeout", type=float, default=30.0, help="scripted: seconds to wait for each step")
    parser.add_argument("--verbose", action="store_true", help="scripted: also print the services' JSON logs")
    parser.set_defaults(handler="services.cli.demo_cmd:run")
