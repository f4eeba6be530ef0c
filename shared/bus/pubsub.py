"""Latest-value market data over Redis pub/sub.

Publishing stores the payload under its key (``latest:<topic>:<key>`` and in the topic's hash) and
publishes it on ``md:<topic>`` in one round trip. Pub/sub is at-most-once: a subscriber that is down
misses messages and recovers by reading the latest values, which is right for prices and game states
and is why nothing carrying money goes this way.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Iterable
from typing import Any

from shared.bus import keys
from shared.messages import DecodeError, Message, decode, encode
from shared.metrics import PUBSUB_INVALID, PUBSUB_RECEIVED

log = logging.getLogger(__name__)


class MarketDataBus:
    """Publish and read latest-value messages by topic and key."""

    def __init__(self, redis: Any) -> None:
        self._redis = redis

    async def publish(self, topic: str, key: str, message: Message) -> None:
        """Store ``message`` as the latest value of ``key`` and broadcast it."""
        payload = encode(message)
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.set(keys.latest(topic, key), payload)
            pipe.hset(keys.latest_index(topic), key, payload)
            pipe.publish(keys.channel(topic), payload)
            await pipe.execute()

    async def latest(self, topic: str, key: str) -> Message | None:
        """The latest value of ``key`` or ``None``; an undecodable value counts as absent."""
        raw = await self._redis.get(keys.latest(topic, key))
        return self._decode(topic, raw) if raw is not None else None

    async def latest_all(self, topic: str) -> dict[str, Message]:
        """Every key's latest value in ``topic``."""
        raw = await self._redis.hgetall(keys.latest_index(topic))
        out: dict[str, Message] = {}
        for key, payload in raw.items():
            message = self._decode(topic, payload)
            if message is not None:
                out[key.decode() if isinstance(key, bytes) else str(key)] = message
        return out

    async def subscribe(
        self,
        topics: Iterable[str],
        stopping: asyncio.Event,
        poll_timeout_s: float = 0.5,
        subscribed: asyncio.Event | None = None,
    ) -> AsyncIterator[tuple[str, Message]]:
        """Yield ``(topic, message)`` for each message published from now on, until ``stopping``.

        ``subscribed`` is set once the subscription is live, so a caller can then read the latest values
        without a gap.
        """
        channels = {keys.channel(t): t for t in topics}
        pubsub = self._redis.pubsub()
        await pubsub.subscribe(*channels)
        if subscribed is not None:
            subscribed.set()
        try:
            while not stopping.is_set():
                started = time.monotonic()
                raw = await pubsub.get_message(ignore_subscribe_messages=True, timeout=poll_timeout_s)
                if raw is None:
                    # fakeredis returns at once instead of waiting for the timeout.
                    if time.monotonic() - started < poll_timeout_s / 2:
                        await asyncio.sleep(0.01)
                    continue
                channel = raw["channel"].decode() if isinstance(raw["channel"], bytes) else raw["channel"]
                topic = channels.get(channel)
                if topic is None:
                    continue
                message = self._decode(topic, raw["data"])
                if message is not None:
                    PUBSUB_RECEIVED.labels(topic).inc()
                    yield topic, message
        finally:
            await pubsub.unsubscribe()
            await pubsub.aclose()

    @staticmethod
    def _decode(topic: str, payload: bytes | str) -> Message | None:
        try:
            return decode(payload)
        except DecodeError as e:
            PUBSUB_INVALID.labels(topic).inc()
            log.warning("invalid market data dropped", extra={"topic": topic, "reason": e.reason})
            return None
