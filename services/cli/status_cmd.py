"""``arbees status``: fleet health from heartbeats (Redis, or the local `run all` health endpoint)."""

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


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "status",
        help="show fleet health from heartbeats",
        description=(
            "List every service instance with its last heartbeat. Reads REDIS_URL when set; otherwise asks "
            "the local `arbees run all` process on ARBEES_HEALTH_PORT. Exit code 1 if a service is missing "
            "or unhealthy."
        ),
    )
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.set_defaults(handler=run)


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
    if settings.redis_url:
        fleet = await _from_redis(settings.redis_url)
    else:
        fleet = await _from_health_endpoint(settings.health_host, settings.health_port)
    print(json.dumps(fleet, indent=2) if args.json else _table(fleet))
    healthy = {hb["service"] for hb in fleet if hb["healthy"]}
    return 0 if all(name in healthy for name in SERVICES) else 1
