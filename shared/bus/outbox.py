"""Relays committed outbox rows to Redis Streams: at once after each commit, and as a sweep for what that missed.

**Direct path** (:meth:`OutboxRelay.publish_committed`, called by the unit of work right after its commit):
the committed messages are XADDed at once, and their rows are marked sent later in batches by a
background task (one UPDATE for many rows), so the hot path pays one Redis round trip and no extra
database transaction. A crash between the XADD and the mark leaves the rows unsent: they are published
again by the sweep and the consumers' inbox drops the duplicates (same ``message_id``).

**Sweep** (:meth:`OutboxRelay.flush`): rows are read in id order under ``FOR UPDATE SKIP LOCKED``,
XADDed, then marked sent in the same transaction. If Redis is down the rows wait. The periodic sweep
only takes rows older than ``direct_grace_s`` (younger ones are the direct path's, about to be marked);
an explicit flush takes every unsent row, after marking what the direct path sent.

If a direct XADD fails (Redis away), the relay stops publishing directly and wakes the sweep, which
publishes in commit order; direct publishing resumes once a sweep has found nothing left, so a message
never overtakes an earlier one that is still waiting.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from typing import Any

import asyncpg

from shared.aio import wait_event
from shared.messages import Message
from shared.metrics import OUTBOX_PUBLISHED
from shared.tracing import TRACE

log = logging.getLogger(__name__)


class OutboxRelay:
    """Publish unsent outbox rows; ``wake()`` after a commit for low latency, or ``publish_committed``."""

    def __init__(self, pool: asyncpg.Pool, redis: Any, batch_size: int = 200, *, direct_grace_s: float = 2.0) -> None:
        self._pool = pool
        self._redis = redis
        self._batch_size = batch_size
        self._direct_grace_s = direct_grace_s
        self._wake = asyncio.Event()
        self._mark_wake = asyncio.Event()
        self._lock = asyncio.Lock()
        self._to_mark: list[Any] = []
        self._degraded = False

    def wake(self) -> None:
        """Ask the relay loop to flush now."""
        self._wake.set()

    async def publish_committed(self, emitted: Sequence[tuple[str, Message]], payloads: Sequence[bytes]) -> None:
        """XADD messages whose rows just committed; their rows are marked sent in the background.

        Never raises: when Redis fails the rows stay unsent and the sweep publishes them (in order).
        """
        if self._degraded:
            self.wake()
            return
        try:
            async with self._redis.pipeline(transaction=False) as pipe:
                for (stream, message), payload in zip(emitted, payloads, strict=True):
                    pipe.xadd(stream, {"type": message.type, "message_id": str(message.message_id), "payload": payload})
                await pipe.execute()
        except Exception as e:  # noqa: BLE001 - Redis away: the rows wait for the sweep
            self._degraded = True
            log.warning("direct publish failed; the outbox sweep takes over", extra={"error": repr(e)})
            self.wake()
            return
        for stream, message in emitted:
            TRACE.stamp("xadd:" + stream, message.message_id)
            OUTBOX_PUBLISHED.labels(stream).inc()
            self._to_mark.append(message.message_id)
        self._mark_wake.set()

    async def mark_sent(self) -> int:
        """Mark the rows the direct path published; return how many (they are kept for a retry on failure)."""
        ids, self._to_mark = self._to_mark, []
        if not ids:
            return 0
        # No wait for the disk: a mark lost in a crash only re-publishes its row, which the consumers' inbox
        # drops (asynchronous commit keeps the database consistent, only not that fresh).
        try:
            async with self._pool.acquire() as conn, conn.transaction():
                await conn.execute("SET LOCAL synchronous_commit TO OFF")
                await conn.execute(
                    "UPDATE outbox SET sent_at = now() WHERE message_id = ANY($1::uuid[]) AND sent_at IS NULL", ids
                )
        except BaseException:
            self._to_mark = ids + self._to_mark
            raise
        return len(ids)

    async def flush(self) -> int:
        """Publish every unsent row (after marking what was published directly); return how many."""
        await self.mark_sent()
        return await self._sweep(min_age_s=0.0)

    async def _sweep(self, min_age_s: float) -> int:
        total = 0
        async with self._lock:
            while True:
                sent = await self._flush_batch(min_age_s)
                total += sent
                if sent < self._batch_size:
                    break
            if self._degraded and min_age_s == 0.0:
                self._degraded = False  # nothing older waits: direct publishing keeps the order again
        return total

    async def _flush_batch(self, min_age_s: float) -> int:
        async with self._pool.acquire() as conn, conn.transaction():
            rows = await conn.fetch(
                "SELECT id, stream, msg_type, message_id, payload FROM outbox WHERE sent_at IS NULL "
                "AND created_at <= now() - make_interval(secs => $2) "
                "ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED",
                self._batch_size,
                min_age_s,
            )
            if not rows:
                return 0
            async with self._redis.pipeline(transaction=False) as pipe:
                for row in rows:
                    pipe.xadd(
                        row["stream"],
                        {
                            "type": row["msg_type"],
                            "message_id": str(row["message_id"]),
                            "payload": bytes(row["payload"]),
                        },
                    )
                await pipe.execute()
            if TRACE.enabled:
                for row in rows:
                    TRACE.stamp("xadd:" + row["stream"], row["message_id"])
            await conn.execute(
                "UPDATE outbox SET sent_at = now() WHERE id = ANY($1::bigint[])", [r["id"] for r in rows]
            )
        for row in rows:
            OUTBOX_PUBLISHED.labels(row["stream"]).inc()
        return len(rows)

    async def run(self, stopping: asyncio.Event, interval_s: float = 1.0) -> None:
        """Mark and sweep until ``stopping``: a full flush on each wake-up, aged rows every ``interval_s``;
        flush once more at the end."""
        marker = asyncio.create_task(self._mark_loop(stopping), name="outbox:mark")
        try:
            while not stopping.is_set():
                woken = await wait_event(self._wake, interval_s)
                self._wake.clear()
                try:
                    await self.mark_sent()
                    await self._sweep(min_age_s=0.0 if woken or self._degraded else self._direct_grace_s)
                except Exception:  # noqa: BLE001 - Redis or the DB may be briefly away; rows wait
                    log.exception("outbox flush failed; rows stay queued")
        finally:
            self._mark_wake.set()
            await marker
        try:
            await self.flush()
        except Exception:  # noqa: BLE001 - the rows wait for the next start; stopping must not fail on them
            log.exception("final outbox flush failed; rows stay queued for the next start")

    async def _mark_loop(self, stopping: asyncio.Event) -> None:
        while not stopping.is_set():
            await wait_event(self._mark_wake, 1.0)
            self._mark_wake.clear()
            try:
                await self.mark_sent()
            except Exception:  # noqa: BLE001 - marked on the next round (or re-published: deduplicated)
                log.exception("marking directly published outbox rows failed; retried")
                await wait_event(stopping, 0.5)

    async def purge_sent(self, older_than_s: int) -> int:
        """Delete rows published more than ``older_than_s`` ago; return how many."""
        status = await self._pool.execute(
            "DELETE FROM outbox WHERE sent_at < now() - make_interval(secs => $1)", float(older_than_s)
        )
        return int(status.split()[-1])
