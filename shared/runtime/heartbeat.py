"""Heartbeats: each service instance refreshes a key in Redis that expires if it stops."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any, Literal

from shared.aio import wait_event
from shared.bus import keys
from shared.bus.redis_conn import REDIS_UNAVAILABLE
from shared.messages import DecodeError, Heartbeat, decode, encode, utc_now

log = logging.getLogger(__name__)
TTL_INTERVALS = 3


async def beat(
    redis: Any,
    service: str,
    instance_id: str,
    started_at: datetime,
    interval_s: float,
    status: Literal["ok", "degraded", "stopping"],
    details: dict[str, str | int | float | bool],
) -> None:
    """Write one heartbeat that lives for ``TTL_INTERVALS`` intervals."""
    message = Heartbeat(
        service=service,
        instance_id=instance_id,
        status=status,
        started_at=started_at,
        interval_s=interval_s,
        details=details,
    )
    ttl_ms = max(1000, int(interval_s * TTL_INTERVALS * 1000))
    await redis.set(keys.heartbeat(service, instance_id), encode(message), px=ttl_ms)


async def read_heartbeats(redis: Any) -> list[Heartbeat]:
    """Every live heartbeat in Redis, sorted by service and instance."""
    found: list[Heartbeat] = []
    async for key in redis.scan_iter(match=keys.HEARTBEAT_PATTERN, count=200):
        raw = await redis.get(key)
        if raw is None:
            continue
        try:
            message = decode(raw)
        except DecodeError:
            continue
        if isinstance(message, Heartbeat):
            found.append(message)
    return sorted(found, key=lambda h: (h.service, h.instance_id))


def is_healthy(heartbeat: Heartbeat, now: datetime | None = None) -> bool:
    """Fresh (within two intervals) and reporting ``ok``."""
    age = ((now or utc_now()) - heartbeat.ts_event).total_seconds()
    return heartbeat.status == "ok" and age <= heartbeat.interval_s * 2


async def heartbeat_loop(
    redis: Any,
    services: Sequence[Any],
    instance_id: str,
    interval_s: float,
    stopping: asyncio.Event,
    problems: Callable[[], list[str]] = list,
) -> None:
    """Beat for every service until ``stopping``; then mark them stopping.

    A service beats ``degraded`` while it or the process (``problems``) reports a problem. A beat that
    fails (Redis away) is skipped, not retried: the next one follows ``interval_s`` later, so beats
    resume by themselves when Redis is back.
    """
    started_at = utc_now()
    while not stopping.is_set():
        shared = problems()
        for service in services:
            status: Literal["ok", "degraded"] = "degraded" if shared or _problems(service) else "ok"
            try:
                await beat(redis, service.name, instance_id, started_at, interval_s, status, service.health_details())
            except REDIS_UNAVAILABLE as e:
                log.warning("heartbeat skipped: Redis unavailable", extra={"service": service.name, "error": repr(e)})
            except Exception:  # noqa: BLE001 - a missed beat must not stop the service
                log.exception("heartbeat failed", extra={"service": service.name})
        await wait_event(stopping, interval_s)
    for service in services:
        try:
            await beat(redis, service.name, instance_id, started_at, interval_s, "stopping", {})
        except Exception:  # noqa: BLE001
            log.warning("final heartbeat failed", extra={"service": service.name})


def _problems(service: Any) -> list[str]:
    found = getattr(service, "problems", None)
    return list(found()) if callable(found) else []
