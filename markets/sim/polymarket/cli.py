"""``arbees sim polymarket``: run the Polymarket simulator until interrupted."""

from __future__ import annotations

import argparse
import asyncio
import importlib
import sys
import time
from decimal import Decimal
from pathlib import Path

from markets.sim.common.server import serve
from markets.sim.polymarket.app import build_app
from markets.sim.polymarket.seeding import seed_demo, seed_replay
from markets.sim.polymarket.state import SimConfig, build_state
from markets.sim.replay_types import ReplayClock


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``polymarket`` simulator sub-command."""
    parser = subparsers.add_parser(
        "polymarket",
        help="run a Polymarket simulator (CLOB V2 REST + WebSockets, Gamma, geoblock)",
        description=(
            "Serve Polymarket's CLOB REST API at /, Gamma under /gamma, the market and user WebSockets at "
            "/ws/market and /ws/user, the geoblock probe at /api/geoblock and a control API under /_sim. "
            "API keys are created with L1 (EIP-712) signatures, every private call is checked with the L2 "
            "HMAC, and orders must be CTF Exchange V2 signed orders (py-clob-client-v2 works against it)."
        ),
    )
    parser.add_argument("--host", default="127.0.0.1", help="interface to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8082, help="port (0 picks a free one; default 8082)")
    parser.add_argument("--demo-markets", action="store_true", help="open a handful of sports markets with makers")
    parser.add_argument("--replay-data", type=Path, help="seed one market per game of this replay data directory")
    parser.add_argument("--speed", type=float, default=1.0, help="replay speed factor (default 1)")
    parser.add_argument("--start-at", type=float, default=None, help="replay start, Unix seconds (default now)")
    parser.add_argument("--sports", nargs="*", default=None, help="only these sports from the replay data")
    parser.add_argument("--limit", type=int, default=10, help="replayed games per league (default: 10)")
    parser.add_argument(
        "--seed", type=int, default=0, help="choice of replayed games and their start times (same as the other sims)"
    )
    parser.add_argument("--geoblocked", action="store_true", help="answer as if this IP were in a blocked region")
    parser.add_argument("--matching-delay-s", type=float, default=0.0, help="sports matching delay of seeded markets")
    parser.add_argument("--starting-balance", type=Decimal, default=Decimal(10_000), help="pUSD of a new address")
    parser.add_argument("--chain-id", type=int, default=137, help="chain id signatures must name (137 Polygon)")
    parser.add_argument("--id-seed", default="arbees-polymarket-sim", help="seed of ids and API-key derivation")
    parser.set_defaults(handler=run)


async def run(args: argparse.Namespace) -> int:
    """Build, seed and serve the simulator until SIGINT/SIGTERM; returns the exit code."""
    config = SimConfig(
        chain_id=args.chain_id, seed=args.id_seed, starting_balance=args.starting_balance, geoblocked=args.geoblocked
    )
    clock = ReplayClock(start_epoch_s=args.start_at if args.start_at is not None else time.time(), speed=args.speed)
    state = build_state(config, timeline=clock.now if args.replay_data else None)
    if args.demo_markets:
        seed_demo(state, matching_delay_s=args.matching_delay_s)
    if args.replay_data:
        try:
            replay = importlib.import_module("markets.sim.replay")
        except ModuleNotFoundError:
            print("arbees sim polymarket: markets.sim.replay is not available; cannot --replay-data", file=sys.stderr)
            return 2
        games = await asyncio.to_thread(
            replay.load_replay, args.replay_data, sports=args.sports, limit=args.limit, seed=args.seed
        )
        seed_replay(state, list(games), clock, matching_delay_s=args.matching_delay_s)
    markets = len(state.exchange.markets)
    await serve(
        build_app(state),
        args.host,
        args.port,
        ready_message=f"polymarket simulator listening on http://{args.host}:{{port}} ({markets} markets)",
    )
    return 0
