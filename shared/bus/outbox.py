"""Relays committed outbox rows to Redis Streams.

Rows are read in id order under ``FOR UPDATE SKIP LOCKED``, XADDed, then marked sent in the same
transaction. If Redis is down the rows wait; if the relay dies after XADD and before the commit, the
rows are published again and the consumers' inbox drops the duplicates (same ``message_id``).
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import asyncpg

from shared.aio import wait_event
from shared.metrics import OUTBOX_PUBLISHED
from shared.tracing import TRACE

log = logging.getLogger(__name__)


class OutboxRelay:
    """Publish unsent outbox rows; ``wake()`` after a commit for low latency."""

    def __init__(self, pool: asyncpg.Pool, redis: Any, batch_size: int = 200) -> None:
        self._pool = pool
        self._redis = redis
        self._batch_size = batch_size
        self._wake = asyncio.Event()
        self._lock = asyncio.Lock()

    def wake(self) -> None:
        """Ask the relay loop to flush now."""
        self._wake.set()

    async def flush(self) -> int:
        """Publish every unsent row; return how many were published."""
        total = 0
        async with self._lock:
            while True:
                sent = await self._flush_batch()
                total += sent
                if sent < self._batch_size:
                    return total

    async def _flush_batch(self) -> int:
        async with self._pool.acquire() as conn, conn.transaction():
            rows = await conn.fetch(
                "SELECT id, stream, msg_type, message_id, payload FROM outbox WHERE sent_at IS NULL "
                "ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED",
                self._batch_size,
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
        """Flush on each wake-up and every ``interval_s`` until ``stopping``; flush once more at the end."""
        while not stopping.is_set():
            await wait_event(self._wake, interval_s)
            self._wake.clear()
            try:
                await self.flush()
            except Exception:  # noqa: BLE001 - Redis or the DB may be briefly away; rows wait
                log.exception("outbox flush failed; rows stay queued")
        try:
            await self.flush()
        except Exception:  # noqa: BLE001 - the rows wait for the next start; stopping must not fail on them
            log.exception("final outbox flush failed; rows stay queued for the next start")

    async def purge_sent(self, older_than_s: int) -> int:
        """Delete rows published more than ``older_than_s`` ago; return how many."""
        status = await self._pool.execute(
            "DELETE FROM outbox WHERE sent_at < now() - make_interval(secs => $1)", float(older_than_s)
        )
        return int(status.split()[-1])
