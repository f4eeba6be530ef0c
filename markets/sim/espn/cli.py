"""``arbees sim espn``: serve ESPN's site API over replayed real games until interrupted.

This module is the parser only; the server (:mod:`markets.sim.espn.serve`) is imported when it runs.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from markets.sim.replay import CLOCKS

DEFAULT_LIMIT = 10


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``espn`` sub-command to ``arbees sim``."""
    parser = subparsers.add_parser(
        "espn",
        help="replay recorded real games through ESPN's site API (scoreboard, summary)",
        description=(
            "Serve /apis/site/v2/sports/{sport}/{league}/scoreboard and /summary?event=ID in ESPN's shapes, "
            "replaying recorded games from a win-probability data folder at --speed times real time. "
            "Venue simulators started with the same --data, --seed, --speed and --start-at seed markets for "
            "the same games. Control API under /_sim (games, clock, faults)."
        ),
    )
    parser.add_argument("--port", type=int, default=0, help="TCP port (default: 0 = any free port, printed)")
    parser.add_argument("--host", default="127.0.0.1", help="interface to bind (default: 127.0.0.1)")
    parser.add_argument("--data", type=Path, required=True, help="folder laid out like shared/data/winprob")
    parser.add_argument("--speed", type=float, default=1.0, help="replay seconds per wall second (default: 1)")
    parser.add_argument(
        "--start-at", type=float, default=None, help="wall time (epoch seconds) of replay time 0 (default: now)"
    )
    parser.add_argument(
        "--sports",
        nargs="+",
        choices=sorted({*CLOCKS, "soccer"}),
        default=None,
        help="leagues to replay (default: all in the data folder)",
    )
    parser.add_argument("--limit", type=int, default=DEFAULT_LIMIT, help=f"games per league (default: {DEFAULT_LIMIT})")
    parser.add_argument("--seed", type=int, default=0, help="choice of games and their start times (default: 0)")
    parser.set_defaults(handler="markets.sim.espn.serve:run")
