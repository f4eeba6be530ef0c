"""Signals leave the shard straight onto their stream; their rows are written afterwards, in batches.

A signal is handed to the risk gate by one XADD (the gate's consumer group makes it at-least-once and its
inbox once-only), so a price tick that finds an edge costs no database commit here. The gate stores the
signal itself, in the same transaction as the intent it decides, which is where money is first
committed; the shard's own batch insert (``ON CONFLICT DO NOTHING``, every ``flush_s``, committed without
waiting for the disk: :mod:`shared.db.lazy`) is the record of every signal, including those the gate
never saw.

A signal is perishable (it expires seconds after it is made): when Redis refuses the XADD it is logged
and dropped, and the next tick that still shows the edge makes a fresh one. A signal id already sent by
this shard (the same tick seen twice) is not sent again.
"""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict
from typing import Any

import asyncpg

from shared.aio import flush_every
from shared.bus import keys
from shared.db.lazy import record_lazily
from shared.db.signals import INSERT_SIGNAL, signal_row
from shared.messages import SignalGenerated, encode
from shared.tracing import TRACE

log = logging.getLogger(__name__)
REMEMBERED = 20_000


class SignalOutlet:
    """XADDs signals at once and records them later."""

    def __init__(self, pool: asyncpg.Pool, redis: Any, flush_s: float) -> None:
        self._pool = pool
        self._redis = redis
        self._flush_s = flush_s
        self._pending: list[SignalGenerated] = []
        self._sent: OrderedDict[str, None] = OrderedDict()
        self.sent = 0
        self.dropped = 0
        self.recorded = 0

    async def send(self, signals: list[SignalGenerated]) -> list[SignalGenerated]:
        """Publish the signals not sent before; return those published."""
        fresh = [s for s in signals if s.signal_id not in self._sent]
        if not fresh:
            return []
        try:
            async with self._redis.pipeline(transaction=False) as pipe:
                for s in fresh:
                    pipe.xadd(keys.SIGNALS, {"type": s.type, "message_id": str(s.message_id), "payload": encode(s)})
                await pipe.execute()
        except Exception as e:  # noqa: BLE001 - perishable: the next tick with the edge signals again
            self.dropped += len(fresh)
            log.warning("signals not published (Redis); dropped", extra={"count": len(fresh), "error": repr(e)})
            return []
        for s in fresh:
            TRACE.stamp("xadd:" + keys.SIGNALS, s.message_id)
            self._sent[s.signal_id] = None
        while len(self._sent) > REMEMBERED:
            self._sent.popitem(last=False)
        self._pending.extend(fresh)
        self.sent += len(fresh)
        return fresh

    async def flush(self) -> int:
        """Write the pending signal rows in one statement; return how many."""
        if not self._pending:
            return 0
        pending, self._pending = self._pending, []
        try:
            await record_lazily(self._pool, INSERT_SIGNAL, [signal_row(s) for s in pending])
        except Exception:
            self._pending = pending + self._pending
            raise
        self.recorded += len(pending)
        return len(pending)

    async def run(self, stopping: asyncio.Event) -> None:
        """Record every ``flush_s`` until ``stopping``, then once more."""
        await flush_every(self.flush, self._flush_s, stopping, "recording signals")
