"""``arbees sim kalshi``: run the Kalshi simulator (REST + WebSocket on one port) until interrupted."""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from decimal import Decimal
from pathlib import Path

from markets.sim.common.server import serve
from markets.sim.kalshi.app import WS_PATH, create_app
from markets.sim.kalshi.auth import KeyRegistry
from markets.sim.kalshi.exchange import KalshiExchange
from markets.sim.kalshi.seeding import seed_demo, seed_replay
from markets.sim.kalshi.state import SimState
from markets.sim.replay_types import ReplayClock

SERVER_PING_INTERVAL_S = 10.0
"""Kalshi pings every 10 s with a Ping frame (venues.md §1.7)."""


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``kalshi`` sub-command to ``arbees sim``."""
    parser = subparsers.add_parser(
        "kalshi",
        help="simulate Kalshi's Trade API v2 (signed REST + WebSocket) on loopback",
        description=(
            "Serve Kalshi's REST API under /trade-api/v2 and its WebSocket at /trade-api/ws/v2 on one port. "
            "Every signed request is verified (RSA-PSS) against the registered public keys; order books match "
            "by price-time priority; orders, fills, positions and balances are kept per API key. Control API "
            "under /_sim (markets, prices, settlement, faults)."
        ),
    )
    parser.add_argument("--port", type=int, default=0, help="TCP port (default: 0 = any free port, printed)")
    parser.add_argument("--host", default="127.0.0.1", help="interface to bind (default: 127.0.0.1)")
    parser.add_argument(
        "--api-key-id",
        action="append",
        default=[],
        help="an accepted API key id (repeatable, paired with --public-key)",
    )
    parser.add_argument(
        "--public-key", action="append", type=Path, default=[], help="PEM public key of the matching --api-key-id"
    )
    parser.add_argument("--max-clock-skew-s", type=float, default=5.0, help="accepted timestamp skew (default: 5)")
    parser.add_argument(
        "--balance-cents", type=int, default=1_000_000, help="starting balance per key in cents (default: $10,000)"
    )
    parser.add_argument("--demo-markets", action="store_true", help="open a few game markets with resting liquidity")
    parser.add_argument("--replay-data", type=Path, default=None, help="seed one market per replayed game from DIR")
    parser.add_argument("--speed", type=float, default=1.0, help="replay seconds per wall second (default: 1)")
    parser.add_argument(
        "--start-at", type=float, default=None, help="wall time (epoch seconds) of replay time 0 (default: now)"
    )
    parser.add_argument("--sports", nargs="+", default=None, help="leagues to replay (default: all)")
    parser.add_argument("--limit", type=int, default=10, help="replayed games per league (default: 10)")
    parser.add_argument("--seed", type=int, default=0, help="choice of replayed games and maker noise (default: 0)")
    parser.set_defaults(handler=run)


def build_state(args: argparse.Namespace) -> SimState:
    """The simulator state from parsed arguments (keys loaded, markets seeded).

    Raises
    ------
    ValueError
        Unpaired key flags, an unreadable key, or a replay that loads no games.
    """
    if len(args.api_key_id) != len(args.public_key):
        raise ValueError("--api-key-id and --public-key must be given the same number of times (paired in order)")
    keys = KeyRegistry.from_files(zip(args.api_key_id, args.public_key, strict=True), max_skew_s=args.max_clock_skew_s)
    exchange = KalshiExchange(starting_balance=Decimal(args.balance_cents) / 100)
    state = SimState(exchange, keys)
    for key_id in args.api_key_id:
        exchange.add_account(key_id)
    if args.demo_markets:
        seed_demo(exchange, state.desk, seed=args.seed)
    if args.replay_data is not None:
        from markets.sim.replay import load_replay

        if args.speed <= 0:
            raise ValueError("--speed must be positive")
        games = load_replay(args.replay_data, sports=args.sports, limit=args.limit, seed=args.seed)
        if not games:
            raise ValueError(f"no games found under {args.replay_data}")
        clock = ReplayClock(args.start_at if args.start_at is not None else time.time(), args.speed)
        state.game_ids = seed_replay(exchange, state.desk, games, clock)
    return state


async def run(args: argparse.Namespace) -> int:
    """Serve until SIGINT/SIGTERM; exit code 2 on a bad configuration."""
    try:
        state = await asyncio.to_thread(build_state, args)
    except (ValueError, OSError) as e:
        print(f"arbees sim kalshi: {e}", file=sys.stderr)
        return 2
    ready = (
        f"Kalshi simulator: {len(state.exchange.markets)} markets, {len(state.keys.key_ids)} keys; "
        f"REST http://{args.host}:{{port}}/trade-api/v2 WebSocket ws://{args.host}:{{port}}{WS_PATH}"
    )
    await serve(create_app(state), args.host, args.port, ready_message=ready, ws_ping_interval_s=SERVER_PING_INTERVAL_S)
    return 0
