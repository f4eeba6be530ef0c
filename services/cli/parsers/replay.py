"""Parser of ``arbees replay`` (implementation: :mod:`services.cli.replay.command`)."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path
from typing import Literal

DEFAULT_DATA = Path(__file__).resolve().parents[3].parent / "shared" / "data" / "winprob"
VenueMode = Literal["paper", "sim"]
VENUE_MODES: tuple[VenueMode, ...] = ("paper", "sim")


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "replay",
        help="replay recorded real games through the simulators and the whole fleet (paper, or on the sims' books)",
        description=(
            "Start the ESPN, Kalshi and Polymarket simulators on recorded real games and every service as its own "
            "process, let the games play to the end and settle, then print what happened. Exit 0 only when the "
            "ledger check holds (every intent one order, every fill one row, no message pending or dead-lettered)."
        ),
    )
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help=f"recorded games (default: {DEFAULT_DATA})")
    parser.add_argument("--sports", nargs="+", default=None, help="leagues (nba nhl nfl ncaab mlb epl) or soccer")
    parser.add_argument("--limit", type=int, default=2, help="games per league (default: 2)")
    parser.add_argument(
        "--date",
        type=dt.date.fromisoformat,
        default=None,
        metavar="YYYY-MM-DD",
        help="replay the whole game day: every recorded game of --sports (default: all leagues) played on that "
        "date, instead of --limit games per league",
    )
    parser.add_argument("--speed", type=float, default=60.0, help="game seconds per wall second (default: 60)")
    parser.add_argument("--seed", type=int, default=0, help="choice of games, start times, maker noise")
    parser.add_argument("--shards", type=int, default=1, help="game_shard processes (default: 1)")
    parser.add_argument("--lead-s", type=float, default=12.0, help="wall seconds before the first game starts")
    parser.add_argument("--timeout-s", type=float, default=None, help="give up after this long (default: computed)")
    parser.add_argument("--json", action="store_true", help="print the summary as JSON on the last line")
    parser.add_argument("--run-dir", type=Path, default=None, help="logs and private servers (default: data dir)")
    parser.add_argument(
        "--venues",
        choices=VENUE_MODES,
        default="paper",
        help="paper: fill on paper engines (default); sim: the real Kalshi and Polymarket engines trade on the "
        "simulators' books (their makers are the other side)",
    )
    parser.add_argument("--api-port", type=int, default=0, help="port of the API and dashboard (default: a free one)")
    parser.add_argument(
        "--hold", action="store_true", help="after the summary, keep the dashboard open on the run until Ctrl-C"
    )
    parser.set_defaults(handler="services.cli.replay.command:run")
