"""Storing market prices off the hot path: the latest top per instrument, written in batches.

A tick only replaces the pending value of its key in memory; every ``flush_s`` the pending tops are
written in one statement, committed without waiting for the disk (:mod:`shared.db.lazy`). So the shard
keeps up with the feed whatever its rate, and the stored series is the price sampled at most once per key
per interval (the last one of the interval, never lost while the database runs).
"""

from __future__ import annotations

import asyncio
import logging

import asyncpg

from shared.aio import flush_every
from shared.db.lazy import record_lazily
from shared.messages import MarketPriceUpdated

log = logging.getLogger(__name__)


class PriceRecorder:
    """Pending tops by key, flushed to ``market_prices``."""

    def __init__(self, pool: asyncpg.Pool, flush_s: float) -> None:
        self._pool = pool
        self._flush_s = flush_s
        self._pending: dict[str, MarketPriceUpdated] = {}
        self.written = 0

    def note(self, top: MarketPriceUpdated) -> None:
        """Remember ``top`` as the latest of its key until the next flush."""
        self._pending[top.key] = top

    async def flush(self) -> int:
        """Write every pending top in one statement; return how many."""
        if not self._pending:
            return 0
        pending, self._pending = self._pending, {}
        try:
            await record_lazily(
                self._pool,
                """INSERT INTO market_prices (venue, market_id, outcome_id, ts, best_bid, best_ask, bid_size, ask_size)
                   VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING""",
                [
                    (t.venue, t.market_id, t.outcome_id, t.ts_event, t.best_bid, t.best_ask, t.bid_size, t.ask_size)
                    for t in pending.values()
                ],
            )
        except Exception:
            for key, top in pending.items():
                self._pending.setdefault(key, top)  # keep them for the next try unless newer ones came
            raise
        self.written += len(pending)
        return len(pending)

    async def run(self, stopping: asyncio.Event) -> None:
        """Flush every ``flush_s`` until ``stopping``, then once more."""
        await flush_every(self.flush, self._flush_s, stopping, "storing prices")
