"""The SSE stream: latest-value topics (pub/sub) and tails of the money streams, merged into one response.

The money streams are read with plain ``XREAD`` from their last entry at connect time: no consumer
group is created, joined or acknowledged, so the fleet's own groups are never disturbed. The stream
ends when the client goes away (Starlette cancels the generator) or when the service stops.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from collections.abc import AsyncGenerator, Collection
from typing import Any

from services.api.stream.events import Event, EventBuilder
from shared.aio import wait_event
from shared.bus import keys
from shared.bus.pubsub import MarketDataBus
from shared.bus.redis_conn import REDIS_UNAVAILABLE
from shared.messages import DecodeError, decode, utc_now

log = logging.getLogger(__name__)
PING_S = 10.0
XREAD_BLOCK_MS = 1000
QUEUE_SIZE = 1000
READY_TIMEOUT_S = 5.0

# Event name -> where it comes from.
TOPIC_SOURCES = {
    "game_state": keys.GAME_STATE,
    "price": keys.MARKET_PRICE,
    "probability": keys.WIN_PROBABILITY,
    "trading_state": keys.TRADING_STATE,
}
STREAM_SOURCES = {
    "signal": keys.SIGNALS,
    "order": keys.ORDER_EVENTS,
    "fill": keys.FILLS,
    "position": keys.POSITIONS,
}
TOPICS = (*TOPIC_SOURCES, *STREAM_SOURCES)

Item = tuple[str, str | None, dict[str, Any]]


def frame(event: str, data: dict[str, Any], event_id: str | None = None) -> bytes:
    """One SSE frame."""
    lines = [f"event: {event}", f"data: {json.dumps(data, separators=(',', ':'))}"]
    if event_id is not None:
        lines.append(f"id: {event_id}")
    return ("\n".join(lines) + "\n\n").encode()


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


class EventStream:
    """One client's stream of ``topics`` until ``stopping`` (the service's) is set or the client leaves."""

    def __init__(
        self,
        redis: Any,
        builder: EventBuilder,
        topics: Collection[str],
        stopping: asyncio.Event,
        ping_s: float = PING_S,
    ) -> None:
        self._redis = redis
        self._builder = builder
        self._topics = set(topics)
        self._service_stopping = stopping
        self._stopping = asyncio.Event()
        self._queue: asyncio.Queue[Item] = asyncio.Queue(QUEUE_SIZE)
        self._ping_s = ping_s
        self.ready = asyncio.Event()  # set once subscribed and positioned at the streams' ends

    async def frames(self) -> AsyncGenerator[bytes, None]:
        """``hello``, then every event, with a ``: ping`` comment every ``ping_s`` of silence."""
        pubsub_ready, streams_ready = asyncio.Event(), asyncio.Event()
        tasks = [asyncio.create_task(self._watch_stop())]
        wanted = [TOPIC_SOURCES[t] for t in TOPIC_SOURCES if t in self._topics]
        tails = {STREAM_SOURCES[t]: t for t in STREAM_SOURCES if t in self._topics}
        tasks.append(asyncio.create_task(self._subscribe(wanted, pubsub_ready)))
        tasks.append(asyncio.create_task(self._tail(tails, streams_ready)))
        try:
            await self._wait_ready(pubsub_ready, streams_ready)
            yield frame("hello", {"server_time": utc_now().isoformat()})
            next_ping = time.monotonic() + self._ping_s
            while not self._stopping.is_set():
                item = await self._next(next_ping - time.monotonic())
                if item is None:
                    if time.monotonic() >= next_ping:
                        yield b": ping\n\n"
                        next_ping = time.monotonic() + self._ping_s
                    continue
                yield frame(item[0], item[2], item[1])
                next_ping = time.monotonic() + self._ping_s
        finally:
            self._stopping.set()
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)

    async def _wait_ready(self, *events: asyncio.Event) -> None:
        """Until every source is live (at most ``READY_TIMEOUT_S``; a source waiting for Redis catches up)."""
        deadline = time.monotonic() + READY_TIMEOUT_S
        for event in events:
            while not event.is_set() and not self._stopping.is_set() and time.monotonic() < deadline:
                await wait_event(event, 0.05)
        self.ready.set()

    async def _next(self, timeout_s: float) -> Item | None:
        if timeout_s <= 0:
            return None
        getter = asyncio.create_task(self._queue.get())
        stop = asyncio.create_task(self._stopping.wait())
        try:
            done, _ = await asyncio.wait({getter, stop}, timeout=timeout_s, return_when=asyncio.FIRST_COMPLETED)
        finally:
            stop.cancel()
            if not getter.done():
                getter.cancel()
        if getter in done and not getter.cancelled():
            return getter.result()
        return None

    async def _watch_stop(self) -> None:
        await self._service_stopping.wait()
        self._stopping.set()

    async def _put(self, event: Event | None, event_id: str | None) -> None:
        if event is None:
            return
        if self._queue.full():  # a slow client loses the oldest event, not the newest
            with contextlib.suppress(asyncio.QueueEmpty):
                self._queue.get_nowait()
        self._queue.put_nowait((event[0], event_id, event[1]))

    async def _subscribe(self, topics: list[str], ready: asyncio.Event) -> None:
        if not topics:
            ready.set()
            return
        bus = MarketDataBus(self._redis)
        async for topic, message in bus.subscribe(topics, self._stopping, subscribed=ready):
            try:
                await self._put(await self._builder.from_topic(message), str(message.message_id))
            except Exception:  # noqa: BLE001 - one bad message must not end the client's stream
                log.exception("stream event dropped", extra={"topic": topic})

    async def _tail(self, streams: dict[str, str], ready: asyncio.Event) -> None:
        if not streams:
            ready.set()
            return
        positions: dict[str, str] = {}
        while not self._stopping.is_set():
            try:
                if not positions:
                    for stream in streams:
                        last = await self._redis.xrevrange(stream, count=1)
                        positions[stream] = _text(last[0][0]) if last else "0-0"
                    ready.set()
                found = await self._redis.xread(positions, block=XREAD_BLOCK_MS, count=100)
            except REDIS_UNAVAILABLE as e:
                log.warning("stream tail lost Redis; retrying", extra={"error": repr(e)})
                await asyncio.sleep(1.0)
                continue
            for stream_name, entries in found or []:
                stream = _text(stream_name)
                for entry_id, fields in entries:
                    positions[stream] = _text(entry_id)
                    await self._entry(stream, _text(entry_id), fields)

    async def _entry(self, stream: str, entry_id: str, fields: dict[Any, Any]) -> None:
        payload = fields.get(b"payload", fields.get("payload"))
        if payload is None:
            return
        try:
            message = decode(payload)
        except DecodeError:
            return
        try:
            await self._put(await self._builder.from_stream(stream, message), entry_id)
        except Exception:  # noqa: BLE001 - one bad message must not end the client's stream
            log.exception("stream event dropped", extra={"stream": stream, "entry_id": entry_id})
