"""A Redis Streams consumer-group reader that loses nothing and applies nothing twice.

For each entry: decode (a bad payload goes straight to the dead-letter stream), then run the handler
inside a unit of work whose inbox row makes a redelivery a no-op, commit (which wakes the outbox relay),
and only then XACK. A handler exception leaves the entry pending; it is retried after a back-off and, past
``max_deliveries``, dead-lettered with its last error so the group keeps flowing.

On start a consumer first finishes its own pending entries; every ``claim_idle_ms / 2`` it takes over
entries another consumer has left idle for ``claim_idle_ms`` (XAUTOCLAIM), so a dead consumer's work is
picked up. Stopping is between entries: the one in hand is finished and acked. Redis going away is
waited out with back-off (see :meth:`StreamConsumer.run`).

An ``on_dead_letter`` hook runs before an entry is dead-lettered (the execution streams halt trading
there, R18); if it fails the entry stays pending and is retried, so nothing is dead-lettered silently.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import redis.exceptions

from shared.aio import Backoff, wait_event
from shared.bus.redis_conn import REDIS_UNAVAILABLE
from shared.bus.streams import dead_letter
from shared.db.uow import Store, UnitOfWork
from shared.messages import DecodeError, Message, decode
from shared.metrics import (
    HANDLER_FAILURES,
    HANDLER_SECONDS,
    MESSAGES_DEAD_LETTERED,
    MESSAGES_DUPLICATE,
    MESSAGES_HANDLED,
)
from shared.tracing import TRACE

log = logging.getLogger(__name__)
RECONNECT = Backoff(base_s=0.1, cap_s=5.0)

Handler = Callable[[Message, UnitOfWork], Awaitable[None]]
FaultHook = Callable[[str, Message], None]
DeadLetterHook = Callable[[str, str, str], Awaitable[None]]
"""Called with ``(stream, entry_id, reason)`` before an entry is dead-lettered."""


@dataclass(frozen=True, slots=True)
class ConsumerConfig:
    """Where and how a consumer reads.

    ``group`` is the logical consumer (it also keys the inbox); ``consumer`` names this instance.
    """

    stream: str
    group: str
    consumer: str
    accepts: tuple[type[Message], ...]
    block_ms: int = 1000
    batch_size: int = 10
    claim_idle_ms: int = 30_000
    max_deliveries: int = 5
    retry_backoff_ms: int = 500


@dataclass(slots=True)
class _Entry:
    entry_id: str
    payload: bytes | None
    deliveries: int = 1
    decoded: Message | None = None  # set by a reader that decoded it already (not decoded twice)


@dataclass(slots=True)
class ConsumerState:
    """Counters a test or health check can read."""

    handled: int = 0
    duplicates: int = 0
    dead_lettered: int = 0
    failures: int = 0
    reconnects: int = 0
    connected: bool = True
    last_errors: dict[str, str] = field(default_factory=dict)


class StreamConsumer:
    """Runs one consumer of one group on one stream."""

    def __init__(
        self,
        redis: Any,
        store: Store,
        config: ConsumerConfig,
        handler: Handler,
        *,
        fault_hook: FaultHook | None = None,
        backoff: Backoff = RECONNECT,
        on_dead_letter: DeadLetterHook | None = None,
    ) -> None:
        self._redis = redis
        self._store = store
        self.config = config
        self._handler = handler
        self._fault_hook = fault_hook
        self._on_dead_letter = on_dead_letter
        self._backoff = backoff
        self.state = ConsumerState()
        self._retry_due_at: float | None = None
        self._free_deliveries: dict[str, int] = {}  # entry id -> re-reads caused by reconnections

    async def ensure_group(self) -> None:
        """Create the group (reading from the start of the stream) if it does not exist."""
        try:
            await self._redis.xgroup_create(self.config.stream, self.config.group, id="0", mkstream=True)
        except Exception as e:  # noqa: BLE001 - redis reports an existing group as an error
            if "BUSYGROUP" not in str(e):
                raise

    async def run(self, stopping: asyncio.Event) -> None:
        """Consume until ``stopping`` is set; the entry in hand is finished and acked first.

        Redis going away does not end the consumer: it backs off (``backoff``), creates its group again
        if Redis came back without it, then reads its own pending entries before new ones. An entry
        whose XACK was lost is delivered again and, being in the inbox already, is only acked; deliveries
        repeated because of a reconnection do not count towards ``max_deliveries``.
        """
        failures = 0
        reconnecting = False
        while not stopping.is_set():
            try:
                await self.ensure_group()
                self.state.connected, failures = True, 0
                await self._drain_own_pending(stopping, after_reconnect=reconnecting)
                await self._consume(stopping)
                return
            except REDIS_UNAVAILABLE as e:
                error: Exception = e
            except redis.exceptions.ResponseError as e:
                if "NOGROUP" not in str(e):  # Redis came back without our group (no persistence, or a flush)
                    raise
                error = e
            failures += 1
            reconnecting = True
            await self._back_off(error, failures, stopping)

    async def _consume(self, stopping: asyncio.Event) -> None:
        claim_every = self.config.claim_idle_ms / 2000
        last_claim = time.monotonic()
        while not stopping.is_set():
            now = time.monotonic()
            if now - last_claim >= claim_every:
                await self._claim_stale(stopping)
                last_claim = now
            if self._retry_due_at is not None and now >= self._retry_due_at:
                self._retry_due_at = None
                await self._drain_own_pending(stopping)
            await self._read_new(stopping)

    async def _back_off(self, error: Exception, failures: int, stopping: asyncio.Event) -> None:
        self.state.connected = False
        self.state.reconnects += 1
        delay_s = self._backoff.delay_s(failures)
        log.warning(
            "stream consumer lost Redis; reconnecting",
            extra={
                "stream": self.config.stream,
                "group": self.config.group,
                "error": repr(error),
                "retry_in_s": delay_s,
            },
        )
        await wait_event(stopping, delay_s)

    async def _read_new(self, stopping: asyncio.Event) -> None:
        block_ms = self.config.block_ms
        if self._retry_due_at is not None:
            block_ms = max(10, min(block_ms, int((self._retry_due_at - time.monotonic()) * 1000)))
        started = time.monotonic()
        reply = await self._redis.xreadgroup(
            self.config.group,
            self.config.consumer,
            {self.config.stream: ">"},
            count=self.config.batch_size,
            block=block_ms,
        )
        entries = self._entries(reply)
        if not entries:
            # fakeredis does not block; do not spin.
            remaining = block_ms / 1000 - (time.monotonic() - started)
            if remaining > 0:
                await asyncio.sleep(min(remaining, 0.05))
            return
        await self._process_all(entries, stopping)

    async def _drain_own_pending(self, stopping: asyncio.Event, *, after_reconnect: bool = False) -> None:
        cursor = "0"
        while not stopping.is_set():
            reply = await self._redis.xreadgroup(
                self.config.group,
                self.config.consumer,
                {self.config.stream: cursor},
                count=self.config.batch_size,
            )
            entries = self._entries(reply)
            if not entries:
                return
            if after_reconnect:  # Redis counts this re-read as a delivery; the handler never failed on it
                for entry in entries:
                    self._free_deliveries[entry.entry_id] = self._free_deliveries.get(entry.entry_id, 0) + 1
            await self._with_delivery_counts(entries)
            await self._process_all(entries, stopping)
            cursor = entries[-1].entry_id

    async def _claim_stale(self, stopping: asyncio.Event) -> None:
        start = "0-0"
        while not stopping.is_set():
            reply = await self._redis.xautoclaim(
                self.config.stream,
                self.config.group,
                self.config.consumer,
                min_idle_time=self.config.claim_idle_ms,
                start_id=start,
                count=self.config.batch_size,
            )
            next_start, claimed = reply[0], reply[1]
            entries = [_Entry(_text(eid), _payload(fields)) for eid, fields in claimed]
            if entries:
                log.warning(
                    "claimed idle entries from another consumer",
                    extra={"stream": self.config.stream, "count": len(entries)},
                )
                await self._with_delivery_counts(entries)
                await self._process_all(entries, stopping)
            start = _text(next_start)
            if start == "0-0":
                return

    async def _with_delivery_counts(self, entries: list[_Entry]) -> None:
        rows = await self._redis.xpending_range(
            self.config.stream,
            self.config.group,
            min=entries[0].entry_id,
            max=entries[-1].entry_id,
            count=len(entries) + 100,
        )
        counts = {_text(r["message_id"]): int(r["times_delivered"]) for r in rows}
        for entry in entries:
            delivered = counts.get(entry.entry_id, entry.deliveries)
            entry.deliveries = max(1, delivered - self._free_deliveries.get(entry.entry_id, 0))

    async def _process_all(self, entries: list[_Entry], stopping: asyncio.Event) -> None:
        for entry in entries:
            if stopping.is_set():
                return
            await self._process(entry)

    async def _process(self, entry: _Entry) -> None:
        cfg = self.config
        if entry.payload is None:
            await self._dead_letter(entry, "entry has no payload (deleted or malformed)")
            return
        try:
            message = entry.decoded or decode(entry.payload)
        except DecodeError as e:
            await self._dead_letter(entry, e.reason)
            return
        TRACE.stamp(cfg.stream, message.message_id)
        if not isinstance(message, cfg.accepts):
            await self._dead_letter(entry, f"unexpected message type {message.type} on {cfg.stream}")
            return
        if entry.deliveries > cfg.max_deliveries:
            last = self.state.last_errors.pop(entry.entry_id, "no error recorded by this consumer")
            await self._dead_letter(entry, f"failed {entry.deliveries - 1} deliveries; last error: {last}")
            return
        self._fault("before_handle", message)
        started = time.perf_counter()
        try:
            async with self._store.unit_of_work() as uow:
                fresh = await uow.claim_inbox(cfg.group, message.message_id)
                if fresh:
                    await self._handler(message, uow)
                self._fault("before_commit", message)
        except Exception as e:  # noqa: BLE001 - any handler failure leaves the entry pending for retry
            self._record_failure(entry, e)
            return
        HANDLER_SECONDS.labels(cfg.stream, cfg.group).observe(time.perf_counter() - started)
        if fresh:  # counted once committed: if the XACK below is lost, the redelivery is a duplicate
            self.state.handled += 1
            MESSAGES_HANDLED.labels(cfg.stream, cfg.group).inc()
        else:
            self.state.duplicates += 1
            MESSAGES_DUPLICATE.labels(cfg.stream, cfg.group).inc()
        self._fault("after_commit", message)
        await self._ack(entry)

    def _record_failure(self, entry: _Entry, error: Exception) -> None:
        cfg = self.config
        self.state.failures += 1
        self.state.last_errors[entry.entry_id] = f"{type(error).__name__}: {error}"
        HANDLER_FAILURES.labels(cfg.stream, cfg.group).inc()
        log.exception(
            "handler failed; entry left pending for retry",
            extra={"stream": cfg.stream, "group": cfg.group, "entry_id": entry.entry_id},
        )
        due = time.monotonic() + cfg.retry_backoff_ms / 1000
        self._retry_due_at = due if self._retry_due_at is None else min(self._retry_due_at, due)

    async def _dead_letter(self, entry: _Entry, reason: str) -> None:
        cfg = self.config
        if self._on_dead_letter is not None:
            try:
                await self._on_dead_letter(cfg.stream, entry.entry_id, reason)
            except Exception as e:  # noqa: BLE001 - never dead-letter without its consequence (a halt)
                self._record_failure(entry, e)
                return
        await dead_letter(self._redis, cfg.stream, cfg.group, cfg.consumer, entry.entry_id, entry.payload, reason)
        await self._ack(entry)
        self.state.dead_lettered += 1
        MESSAGES_DEAD_LETTERED.labels(cfg.stream, cfg.group).inc()

    async def _ack(self, entry: _Entry) -> None:
        await self._redis.xack(self.config.stream, self.config.group, entry.entry_id)
        self.state.last_errors.pop(entry.entry_id, None)
        self._free_deliveries.pop(entry.entry_id, None)

    def _fault(self, stage: str, message: Message) -> None:
        if self._fault_hook is not None:
            self._fault_hook(stage, message)

    @staticmethod
    def _entries(reply: Any) -> list[_Entry]:
        if not reply:
            return []
        out: list[_Entry] = []
        for _stream, items in reply:
            out.extend(_Entry(_text(eid), _payload(fields)) for eid, fields in items)
        return out


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


def _payload(fields: dict[Any, Any] | None) -> bytes | None:
    if not fields:
        return None
    value = fields.get(b"payload", fields.get("payload"))
    if value is None:
        return None
    return value if isinstance(value, bytes) else str(value).encode()
