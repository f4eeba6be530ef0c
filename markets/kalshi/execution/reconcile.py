"""REST reconciliation for the Kalshi engine: the fallback when the WebSocket is down, and its audit.

One :meth:`Reconciler.cycle`:

1. **Unknown orders** (an ambiguous submit not yet resolved): looked up by ``client_order_id``; found
   → the real state, not found → still ``UNKNOWN`` (never assumed rejected, never re-sent here).
2. **Fills** (``full`` cycles): ``GET /portfolio/fills`` from just before the newest fill applied;
   each goes through the same intake as WebSocket fills, so nothing is counted twice.
3. **Open orders** (``full`` cycles): one listing of resting orders; a tracked order that is no longer
   resting is read by id (its final state and missing fills).

Single-order queries per cycle are capped (``max_queries_per_cycle``, R17). :meth:`Reconciler.recover`
runs at start-up over the journal's unresolved entries (R03/R04): found at the venue → tracked with
its real state; not found and older than ``unresolved_expiry_s`` → closed as expired (the request
cannot still be in flight); younger → ``UNKNOWN`` for the next cycles.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from markets.journal import OrderJournal
from markets.kalshi.errors import VENUE
from markets.kalshi.execution.intake import EvidenceIntake
from markets.kalshi.execution.lookup import VenueLookup
from markets.kalshi.execution.options import ExecutionOptions
from markets.kalshi.execution.tracker import OrderTracker
from markets.kalshi.models import KalshiFill
from shared.orders.state import OrderStatus

log = logging.getLogger(__name__)
_FILL_SLACK = timedelta(seconds=2)
_RESTING = frozenset({OrderStatus.ACCEPTED, OrderStatus.PARTIALLY_FILLED, OrderStatus.PENDING_CANCEL})


class Reconciler:
    """Brings the tracker up to date from REST."""

    def __init__(
        self,
        intake: EvidenceIntake,
        lookup: VenueLookup,
        tracker: OrderTracker,
        journal: OrderJournal,
        options: ExecutionOptions,
        started: datetime,
    ) -> None:
        self.intake = intake
        self.lookup = lookup
        self.tracker = tracker
        self.journal = journal
        self.options = options
        self._fills_from = started - timedelta(seconds=options.lookup_window_s)

    async def cycle(self, *, full: bool) -> None:
        """One reconciliation pass (see the module docstring)."""
        budget = self.options.max_queries_per_cycle
        budget -= await self.resolve_unknown(budget)
        if full:
            await self.poll_fills()
            await self.poll_open(budget)

    async def resolve_unknown(self, budget: int) -> int:
        """Look up to ``budget`` unknown orders by client order id; returns the queries made."""
        unknown = [t for t in self.tracker.open_orders() if t.status == OrderStatus.UNKNOWN][:budget]
        for tracked in unknown:
            entry = await self.journal.get(tracked.client_order_id)
            since = None if entry is None else entry.created_at - timedelta(seconds=self.options.lookup_window_s)
            order = await self.lookup.find_by_client_id(tracked.market_id, tracked.client_order_id, since)
            if order is not None:
                await self.intake.venue_order(order)
                log.info("resolved unknown order", extra={"venue": VENUE, "client_order_id": tracked.client_order_id})
        return len(unknown)

    async def poll_fills(self) -> None:
        """Apply every fill since shortly before the newest one applied (oldest first)."""
        latest = self.intake.latest_fill
        since = max(self._fills_from, latest - _FILL_SLACK) if latest is not None else self._fills_from
        fills = [f async for f in self.lookup.fills(since=since)]
        for fill in sorted(fills, key=_by_time):
            await self.intake.fill(fill)

    async def poll_open(self, budget: int) -> None:
        """Confirm open orders: one listing, then single reads (capped) for those no longer resting."""
        resting = await self.lookup.resting()
        for order in resting:
            await self.intake.order(order)
        listed = {o.order_id for o in resting}
        gone = [
            t for t in self.tracker.open_orders()
            if t.status in _RESTING and t.venue_order_id is not None and t.venue_order_id not in listed
        ]  # fmt: skip
        for tracked in gone[: max(0, budget)]:
            assert tracked.venue_order_id is not None
            found = await self.lookup.get(tracked.venue_order_id)
            if found is not None:
                await self.intake.venue_order(found)

    async def recover(self, now: datetime) -> None:
        """Resolve the journal's unresolved entries at start-up (see the module docstring)."""
        for entry in await self.journal.unresolved(VENUE):
            tracked = await self.intake.ensure_tracked(entry.client_order_id)
            assert tracked is not None
            since = entry.created_at - timedelta(seconds=self.options.lookup_window_s)
            order = await self.lookup.find_by_client_id(entry.market_id, entry.client_order_id, since)
            if order is not None:
                await self.intake.venue_order(order)
            elif now - entry.created_at > timedelta(seconds=self.options.unresolved_expiry_s):
                note = "not found at the venue after a restart; closed as expired"
                self.tracker.set_status(entry.client_order_id, OrderStatus.EXPIRED, note)
                await self.journal.mark(entry.client_order_id, "final", note=note)
            else:
                self.tracker.set_status(entry.client_order_id, OrderStatus.UNKNOWN, "unresolved after a restart")


def _by_time(fill: KalshiFill) -> tuple[float, str]:
    return (fill.ts.timestamp() if fill.ts is not None else 0.0), fill.trade_id
