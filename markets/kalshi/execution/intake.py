"""Where venue evidence enters the Kalshi engine: fills and order states from the WebSocket or REST.

Both paths call the same :class:`EvidenceIntake`, so a fill seen on the ``fill`` channel and again in
``GET /portfolio/fills`` is applied once (the tracker deduplicates by ``(trade_id, order_id)``), and a
terminal order is written ``final`` in the journal whichever path saw it first. Orders the engine holds
no intent for (placed by another process on the same key, or before a restart without a journal entry)
are adopted under their own ``client_order_id``, or ``venue:<order_id>`` when they have none.
"""

from __future__ import annotations

from datetime import UTC, datetime

from markets.base import FillReport
from markets.journal import JournalEntry, OrderJournal
from markets.kalshi.execution.lookup import VenueLookup
from markets.kalshi.execution.tracker import OrderTracker, TrackedOrder
from markets.kalshi.execution.validate import BalanceGate
from markets.kalshi.models import KalshiFill, KalshiOrder
from shared.orders.state import TERMINAL
from shared.prices import ZERO

_OPEN_JOURNAL = frozenset({"pending", "sent", "acked", "unknown"})


def tracked_from_entry(entry: JournalEntry) -> TrackedOrder:
    """A tracked order rebuilt from its journal entry (after a restart)."""
    return TrackedOrder(
        client_order_id=entry.client_order_id,
        market_id=entry.market_id,
        outcome_id="yes" if entry.outcome_id == "yes" else "no",
        side="buy" if entry.side == "buy" else "sell",
        limit_price=entry.limit_price,
        quantity=entry.quantity,
        venue_order_id=entry.venue_order_id,
    )


class EvidenceIntake:
    """Applies venue evidence to the tracker and keeps the journal in step."""

    def __init__(self, tracker: OrderTracker, journal: OrderJournal, lookup: VenueLookup, balance: BalanceGate) -> None:
        self.tracker = tracker
        self.journal = journal
        self.lookup = lookup
        self.balance = balance
        self.latest_fill: datetime | None = None
        """Time of the newest fill applied (the REST fill poll starts shortly before it)."""

    async def ensure_tracked(self, client_order_id: str) -> TrackedOrder | None:
        """The tracked order, rebuilt from the journal when only the journal knows it."""
        tracked = self.tracker.get(client_order_id)
        if tracked is not None:
            return tracked
        entry = await self.journal.get(client_order_id)
        return None if entry is None else self.tracker.track(tracked_from_entry(entry))

    async def fill(self, fill: KalshiFill) -> FillReport | None:
        """Apply one fill; ``None`` when it was already applied."""
        if self.tracker.skip_seen(fill):
            return None
        cid = await self.client_id_for(fill.order_id, fill.client_order_id)
        report = self.tracker.apply_fill(cid, fill)
        if report is not None:
            self.balance.invalidate()
            if fill.ts is not None and (self.latest_fill is None or fill.ts > self.latest_fill):
                self.latest_fill = fill.ts
            await self.settle_journal(self.tracker.orders[cid])
        return report

    async def order(self, order: KalshiOrder) -> TrackedOrder:
        """Apply the venue's view of one order (adopting it when untracked)."""
        tracked = self.tracker.apply_order(order)
        if tracked is None:
            cid = order.client_order_id or f"venue:{order.order_id}"
            known = await self.ensure_tracked(cid)
            tracked = self.tracker.apply_order(order) if known is not None else self.tracker.adopt(order, cid)
            assert tracked is not None
        await self.settle_journal(tracked)
        return tracked

    async def venue_order(self, order: KalshiOrder) -> TrackedOrder:
        """Apply an order read over REST and fetch its fills when the venue counts more than we hold."""
        tracked = await self.order(order)
        held = sum((f.quantity for f in tracked.fills.values()), ZERO)
        if order.fill_count > held:
            fills = [f async for f in self.lookup.fills(order_id=order.order_id)]
            for fill in sorted(fills, key=_fill_order):
                await self.fill(fill)
        return tracked

    async def client_id_for(self, venue_order_id: str, hint: str | None) -> str:
        """Our ``client_order_id`` for a venue order, tracking the order if needed."""
        tracked = self.tracker.by_venue_id(venue_order_id)
        if tracked is not None:
            return tracked.client_order_id
        if hint and await self.ensure_tracked(hint) is not None:
            return hint
        order = await self.lookup.get(venue_order_id)
        if order is None:
            raise LookupError(f"kalshi reported a fill of order {venue_order_id}, which it does not know")
        return (await self.order(order)).client_order_id

    async def settle_journal(self, tracked: TrackedOrder) -> None:
        """Write the venue id and a terminal outcome to the journal (once)."""
        entry = await self.journal.get(tracked.client_order_id)
        if entry is None or entry.state not in _OPEN_JOURNAL:
            return
        if tracked.status in TERMINAL:
            await self.journal.mark(tracked.client_order_id, "final", venue_order_id=tracked.venue_order_id)
        elif tracked.venue_order_id is not None and entry.state != "acked":
            await self.journal.mark(tracked.client_order_id, "acked", venue_order_id=tracked.venue_order_id)


def _fill_order(fill: KalshiFill) -> tuple[datetime, str]:
    return fill.ts or datetime.fromtimestamp(0, UTC), fill.trade_id
