"""Parser of ``arbees run <service>|all`` (implementation: :mod:`services.cli.run_cmd`)."""

from __future__ import annotations

import argparse

SERVICE_NAMES: tuple[str, ...] = (
    "game_shard",
    "signal_processor",
    "execution_service",
    "position_tracker",
    "api",
    "polymarket_price_shard",
    "discovery_coordinator",
    "analytics",
    "futures_monitor",
)
"""The names of ``services.registry.SERVICES``, in its order (kept equal by a unit test): the registry
imports the settings machinery, too heavy for ``--help``."""


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "run",
        help="run a service (or all of them in one process)",
        description=(
            "Run one service, or `all` in one process. Without REDIS_URL, `all` uses an in-process Redis; "
            "without DATABASE_URL, an embedded PostgreSQL. Stop with SIGTERM or Ctrl-C (graceful drain)."
        ),
    )
    parser.add_argument("service", choices=[*SERVICE_NAMES, "all"], help="service name, or `all`")
    parser.set_defaults(handler="services.cli.run_cmd:run")
