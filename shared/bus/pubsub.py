"""Latest-value market data over Redis pub/sub.

Publishing stores the payload under its key (``latest:<topic>:<key>`` and in the topic's hash) and
publishes it on ``md:<topic>`` in one round trip (:meth:`MarketDataBus.publish_many` does so for a
batch of keys in one round trip, for publishers that coalesce). Pub/sub is at-most-once: a subscriber that is down
misses messages and recovers by reading the latest values, which is right for prices and game states
and is why nothing carrying money goes this way. A subscription outlives Redis going away: it is made
again with back-off and yields the latest values once more (see :meth:`MarketDataBus.subscribe`).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator, Iterable, Sequence
from typing import Any

from shared.aio import Backoff, wait_event
from shared.bus import keys
from shared.bus.redis_conn import REDIS_UNAVAILABLE
from shared.messages import DecodeError, Message, decode, encode
from shared.metrics import PUBSUB_INVALID, PUBSUB_RECEIVED

log = logging.getLogger(__name__)
RECONNECT = Backoff(base_s=0.1, cap_s=5.0)


class MarketDataBus:
    """Publish and read latest-value messages by topic and key."""

    def __init__(self, redis: Any) -> None:
        self._redis = redis
        self.reconnects = 0  # subscriptions made again after Redis went away (not redis-py's own reconnects)
        self._failures: dict[int, int] = {}  # live subscription -> consecutive failures to (re)subscribe

    @property
    def lost(self) -> int:
        """Subscriptions waiting for Redis right now."""
        return sum(1 for failures in self._failures.values() if failures)

    def problems(self) -> list[str]:
        """``["market data: N subscription(s) waiting for Redis"]`` while any is, else nothing."""
        return [f"market data: {self.lost} subscription(s) waiting for Redis"] if self.lost else []

    async def publish(self, topic: str, key: str, message: Message) -> None:
        """Store ``message`` as the latest value of ``key`` and broadcast it."""
        payload = encode(message)
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.set(keys.latest(topic, key), payload)
            pipe.hset(keys.latest_index(topic), key, payload)
            pipe.publish(keys.channel(topic), payload)
            await pipe.execute()

    async def publish_many(self, topic: str, items: Sequence[tuple[str, Message]]) -> None:
        """:meth:`publish` for several ``(key, message)`` pairs in one round trip (one MULTI/EXEC).

        Each message is stored as its key's latest value and broadcast on its own, exactly as
        :meth:`publish` would, in order (a key given twice keeps its last message). For a high-rate
        latest-value publisher that coalesces; nothing is sent when ``items`` is empty.
        """
        if not items:
            return
        payloads = [(key, encode(message)) for key, message in items]
        latest = dict(payloads)
        channel = keys.channel(topic)
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.mset({keys.latest(topic, key): payload for key, payload in latest.items()})
            pipe.hset(keys.latest_index(topic), mapping=latest)
            for _key, payload in payloads:
                pipe.publish(channel, payload)
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
        backoff: Backoff = RECONNECT,
    ) -> AsyncIterator[tuple[str, Message]]:
        """Yield ``(topic, message)`` for each message published from now on, until ``stopping``.

        ``subscribed`` is set once the subscription is live, so a caller can then read the latest values
        without a gap.

        Redis going away does not end the iteration: the subscription is made again with ``backoff``
        (redis-py may also reconnect by itself within its retries), and after every reconnection the
        latest value of every key of ``topics`` is yielded again, since pub/sub dropped whatever was
        published meanwhile. A caller may therefore see a value twice; latest-value readers do not mind.
        """
        topics = tuple(topics)
        channels = {keys.channel(t): t for t in topics}
        self._failures[id(channels)] = 0
        live = False
        try:
            while not stopping.is_set():
                pubsub = self._redis.pubsub()
                reconnects = _Reconnects(pubsub)
                try:
                    await pubsub.subscribe(*channels)
                    reconnects.watch()
                    self._failures[id(channels)] = 0
                    if live:
                        for item in await self._latest_of(topics):
                            yield item
                    elif subscribed is not None:
                        subscribed.set()
                    live = True
                    while not stopping.is_set():
                        received = await self._next(pubsub, channels, poll_timeout_s)
                        if reconnects.seen:  # redis-py reconnected and resubscribed: the gap's values, first
                            reconnects.seen = False
                            for item in await self._latest_of(topics):
                                yield item
                        if received is not None:
                            yield received
                except REDIS_UNAVAILABLE as e:
                    await self._lost(id(channels), topics, e, backoff, stopping)
                finally:
                    reconnects.forget()
                    with contextlib.suppress(*REDIS_UNAVAILABLE):
                        await pubsub.aclose()
        finally:
            del self._failures[id(channels)]

    async def _lost(
        self, subscription: int, topics: Sequence[str], error: Exception, backoff: Backoff, stopping: asyncio.Event
    ) -> None:
        self._failures[subscription] += 1
        self.reconnects += 1
        delay_s = backoff.delay_s(self._failures[subscription])
        log.warning(
            "market data subscription lost; resubscribing",
            extra={"topics": list(topics), "error": repr(error), "retry_in_s": delay_s},
        )
        await wait_event(stopping, delay_s)

    async def _next(self, pubsub: Any, channels: dict[str, str], poll_timeout_s: float) -> tuple[str, Message] | None:
        started = time.monotonic()
        raw = await pubsub.get_message(ignore_subscribe_messages=True, timeout=poll_timeout_s)
        if raw is None:
            # fakeredis returns at once instead of waiting for the timeout.
            if time.monotonic() - started < poll_timeout_s / 2:
                await asyncio.sleep(0.01)
            return None
        channel = raw["channel"].decode() if isinstance(raw["channel"], bytes) else raw["channel"]
        topic = channels.get(channel)
        if topic is None:
            return None
        message = self._decode(topic, raw["data"])
        if message is None:
            return None
        PUBSUB_RECEIVED.labels(topic).inc()
        return topic, message

    async def _latest_of(self, topics: Sequence[str]) -> list[tuple[str, Message]]:
        return [(topic, message) for topic in topics for message in (await self.latest_all(topic)).values()]

    @staticmethod
    def _decode(topic: str, payload: bytes | str) -> Message | None:
        try:
            return decode(payload)
        except DecodeError as e:
            PUBSUB_INVALID.labels(topic).inc()
            log.warning("invalid market data dropped", extra={"topic": topic, "reason": e.reason})
            return None


class _Reconnects:
    """Notes when redis-py re-establishes a subscription's connection by itself (its ``on_connect`` hook)."""

    def __init__(self, pubsub: Any) -> None:
        self._pubsub = pubsub
        self._connection: Any = None
        self.seen = False

    def watch(self) -> None:
        connection = getattr(self._pubsub, "connection", None)
        if connection is not None and hasattr(connection, "register_connect_callback"):
            connection.register_connect_callback(self._on_connect)  # held weakly: this object must live
            self._connection = connection

    def forget(self) -> None:
        if self._connection is not None:
            self._connection.deregister_connect_callback(self._on_connect)
            self._connection = None

    def _on_connect(self, connection: Any) -> None:
        self.seen = True
