"""Opening Redis: a real server from ``REDIS_URL``, or in-process fakeredis for a single-process run."""

from __future__ import annotations

from typing import Any

import redis.asyncio as aioredis

from shared.config import ConfigError

Redis = aioredis.Redis


def connect_redis(url: str | None, *, single_process: bool) -> Any:
    """Return an asyncio Redis client.

    With no ``url`` and every service in this process, an in-process fakeredis server is used; with no
    ``url`` in a multi-process run there is nothing shared to talk to, so start-up stops.

    Raises
    ------
    ConfigError
        When ``url`` is missing and the run is not single-process.
    """
    if url:
        return aioredis.from_url(url, decode_responses=False, health_check_interval=30)
    if not single_process:
        raise ConfigError(
            "REDIS_URL: not set. Services in separate processes share state through Redis; set "
            "REDIS_URL=redis://host:6379/0, or run every service in one process with `arbees run all`"
        )
    import fakeredis

    return fakeredis.FakeAsyncRedis(server=fakeredis.FakeServer())
