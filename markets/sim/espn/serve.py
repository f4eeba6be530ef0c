"""``arbees sim espn`` at run time: load the replay and serve ESPN's site API over it until interrupted.

The parser is :mod:`markets.sim.espn.cli`, which imports none of this (the web server is heavy to import).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time

from markets.sim.common.server import serve
from markets.sim.espn.app import ReplayTimeline, create_app
from markets.sim.replay import load_replay


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
