"""``arbees sim espn``: serve ESPN's site API over replayed real games until interrupted."""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from pathlib import Path

from markets.sim.common.server import serve
from markets.sim.espn.app import ReplayTimeline, create_app
from markets.sim.replay import CLOCKS, load_replay

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
    parser.set_defaults(handler=run)


async def run(args: argparse.Namespace) -> int:
    """Load the replay and serve it until SIGINT/SIGTERM; exit code 2 when nothing could be loaded."""
    if args.speed <= 0:
        print("arbees sim espn: --speed must be positive", file=sys.stderr)
        return 2
    games = await asyncio.to_thread(load_replay, args.data, sports=args.sports, limit=args.limit, seed=args.seed)
    if not games:
        print(f"arbees sim espn: no games found under {args.data}", file=sys.stderr)
        return 2
    timeline = ReplayTimeline(args.start_at if args.start_at is not None else time.time(), args.speed)
    ready = f"ESPN simulator: {len(games)} games at {args.speed:g}x on http://{args.host}:{{port}}"
    await serve(create_app(games, timeline), args.host, args.port, ready_message=ready)
    return 0
