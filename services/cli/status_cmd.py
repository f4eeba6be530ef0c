"""``arbees status``: the trading state (kill switch) and fleet health from heartbeats.

The trading state comes from the database (DATABASE_URL or the embedded one); heartbeats from Redis, or
the local `run all` health endpoint. An unreachable database shows as halted (fail closed). Parser:
:mod:`services.cli.parsers.status`.
"""

from __future__ import annotations

import argparse
import json
from datetime import datetime
from typing import Any

import httpx

from services.registry import SERVICES
from shared.bus.redis_conn import connect_redis
from shared.config import ArbeesSettings, ConfigError, load_settings
from shared.messages import utc_now
from shared.runtime.heartbeat import is_healthy, read_heartbeats
from shared.runtime.infra import open_pool, resolve_database_url
from shared.trading_state import TradingState, read_trading_state


async def _trading_state(settings: ArbeesSettings) -> TradingState:
    try:
        dsn, _embedded = await resolve_database_url(settings)
        pool = await open_pool(dsn)
    except (ConfigError, OSError) as e:
        return TradingState("halted", f"trading state unreadable ({e}): treated as halted", "fail-closed", None)
    try:
        return await read_trading_state(pool)
    finally:
        await pool.close()


def _trading_json(state: TradingState) -> dict[str, Any]:
    since = state.changed_at.isoformat() if state.changed_at else None
    return {"state": state.state, "reason": state.reason, "source": state.source, "since": since}


def _trading_line(state: TradingState) -> str:
    since = state.changed_at.isoformat(timespec="seconds") if state.changed_at else "unknown"
    label = "HALTED" if state.halted else "active"
    return f"trading: {label} - {state.reason} (by {state.source or 'unknown'}, since {since})"


async def _from_redis(url: str) -> list[dict[str, Any]]:
    redis = connect_redis(url, single_process=False)
    try:
        return [{**hb.model_dump(mode="json"), "healthy": is_healthy(hb)} for hb in await read_heartbeats(redis)]
    finally:
        await redis.aclose()


async def _from_health_endpoint(host: str, port: int) -> list[dict[str, Any]]:
    url = f"http://{host}:{port}/health"
    try:
        async with httpx.AsyncClient(timeout=5) as client:
            response = await client.get(url)
    except httpx.HTTPError as e:
        raise ConfigError(
            f"REDIS_URL: not set, and no `arbees run all` answers at {url} ({type(e).__name__}); "
            "set REDIS_URL to read heartbeats from Redis"
        ) from None
    fleet: list[dict[str, Any]] = response.json().get("fleet", [])
    return fleet


def _table(fleet: list[dict[str, Any]]) -> str:
    now = utc_now()
    lines = [f"{'SERVICE':<20} {'INSTANCE':<28} {'STATUS':<9} {'AGE':>6}  HEALTHY"]
    for hb in fleet:
        age = (now - datetime.fromisoformat(hb["ts_event"])).total_seconds()
        lines.append(
            f"{hb['service']:<20} {hb['instance_id']:<28} {hb['status']:<9} {age:>5.1f}s  "
            f"{'yes' if hb['healthy'] else 'NO'}"
        )
    seen = {hb["service"] for hb in fleet}
    lines.extend(f"{name:<20} {'-':<28} {'missing':<9} {'-':>6}  NO" for name in SERVICES if name not in seen)
    return "\n".join(lines)


async def run(args: argparse.Namespace) -> int:
    settings = load_settings(ArbeesSettings)
    trading = await _trading_state(settings)
    if settings.redis_url:
        fleet = await _from_redis(settings.redis_url)
    else:
        fleet = await _from_health_endpoint(settings.health_host, settings.health_port)
    if args.json:
        print(json.dumps({"trading": _trading_json(trading), "fleet": fleet}, indent=2))
    else:
        print(_trading_line(trading))
        print(_table(fleet))
    healthy = {hb["service"] for hb in fleet if hb["healthy"]}
    return 0 if all(name in healthy for name in SERVICES) else 1
