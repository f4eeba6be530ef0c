"""Opening Redis: a real server from ``REDIS_URL``, or in-process fakeredis for a single-process run."""

from __future__ import annotations

from typing import Any

import redis.asyncio as aioredis
import redis.exceptions
from redis.asyncio.retry import Retry
from redis.backoff import ExponentialBackoff

from shared.config import ConfigError

Redis = aioredis.Redis
REDIS_UNAVAILABLE: tuple[type[Exception], ...] = (
    redis.exceptions.ConnectionError,
    redis.exceptions.TimeoutError,
    OSError,
)
"""What Redis being away raises (refused, reset, timed out, still loading its data after a restart), once
redis-py's own retries are spent; readers back off and reconnect on these instead of failing."""


def connect_redis(url: str | None, *, single_process: bool) -> Any:
    """Return an asyncio Redis client (a command is tried up to three times on connection errors).

    With no ``url`` and every service in this process, an in-process fakeredis server is used; with no
    ``url`` in a multi-process run there is nothing shared to talk to, so start-up stops.

    Raises
    ------
    ConfigError
        When ``url`` is missing and the run is not single-process.
    """
    if url:
        return aioredis.from_url(url, decode_responses=False, health_check_interval=30, retry=_retry())
    if not single_process:
        raise ConfigError(
            "REDIS_URL: not set. Services in separate processes share state through Redis; set "
            "REDIS_URL=redis://host:6379/0, or run every service in one process with `arbees run all`"
        )
    import fakeredis

    return fakeredis.FakeAsyncRedis(server=fakeredis.FakeServer())


def _retry() -> Retry:
    # A connection from the pool may be dead (Redis restarted since): one more try on a new connection hides
    # that; an outage beyond this is left to the callers' own back-off (REDIS_UNAVAILABLE). Without it,
    # redis-py does not retry at all for a client made by ``from_url``.
    return Retry(ExponentialBackoff(cap=0.5, base=0.05), retries=2)
