"""``arbees halt --reason TEXT`` and ``arbees resume [--reason TEXT]``: the kill switch by hand (R18).

The state is written to the database (``risk_state`` plus ``trading_state_log``), which every stage
reads, and announced on the bus when ``REDIS_URL`` is set so running services react at once. The parsers are
:mod:`services.cli.parsers.halt`.
"""

from __future__ import annotations

import argparse
import getpass
import socket
import sys

from shared.bus.pubsub import MarketDataBus
from shared.bus.redis_conn import connect_redis
from shared.config import ArbeesSettings, load_settings
from shared.runtime.infra import open_pool, resolve_database_url
from shared.trading_state import TradingState, announce, set_trading_state


def operator() -> str:
    """Who is issuing the command, as ``cli:user@host``."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = "unknown"
    return f"cli:{user}@{socket.gethostname()}"


async def run(args: argparse.Namespace) -> int:
    settings = load_settings(ArbeesSettings)
    dsn, _embedded = await resolve_database_url(settings)
    pool = await open_pool(dsn)
    try:
        async with pool.acquire() as conn:
            state = await set_trading_state(conn, args.state, args.reason, operator())
    finally:
        await pool.close()
    print(f"trading {state.state}: {state.reason} (by {state.source}, since {_since(state)})")
    if settings.redis_url:
        await _announce(settings.redis_url, state)
    return 0


async def _announce(url: str, state: TradingState) -> None:
    redis = connect_redis(url, single_process=False)
    try:
        await announce(MarketDataBus(redis), state)
    except Exception as e:  # noqa: BLE001 - persisted already: services still see it at their next read
        print(f"arbees: warning: state saved but not announced on Redis ({type(e).__name__}: {e})", file=sys.stderr)
    finally:
        await redis.aclose()


def _since(state: TradingState) -> str:
    return state.changed_at.isoformat() if state.changed_at else "unknown"
