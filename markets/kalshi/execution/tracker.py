"""Per-order state of the Kalshi engine: statuses through the shared lifecycle table, fills counted once.

Every piece of venue evidence — a create answer, a REST order, a ``user_order`` or ``fill`` WebSocket
message, a REST fill — goes through :class:`OrderTracker`, which

- moves the order's status only along :mod:`shared.orders.state` (an update the table does not allow,
  such as a late ``resting`` after ``canceled``, is ignored and counted, never applied);
- applies a fill only if its ``(trade_id, order_id)`` is new (R06/R07): the same fill seen on the
  WebSocket and again by polling is counted once and increments ``stats.duplicate_fills``;
- reports what changed to every :meth:`OrderTracker.subscribe` stream, in the order it happened: a
  :class:`~markets.base.FillReport` per new fill and an :class:`~markets.base.OrderReport` whenever an
  order's status, filled quantity or venue id changes.

Subscriber queues are unbounded: private events are never dropped (R16); a consumer that stops reading
costs memory, not correctness.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from decimal import Decimal

from markets.base import FillReport, OrderReport, Side
from markets.kalshi.execution.mapping import ack_status, direction_of, fill_report, venue_status
from markets.kalshi.models import KalshiFill, KalshiOrder, OrderAck, OutcomeSide
from shared.orders.state import TERMINAL, OrderStatus, can_transition
from shared.prices import ONE, ZERO

log = logging.getLogger(__name__)
Update = OrderReport | FillReport
_S = OrderStatus
_OPEN_AFTER_FILL = frozenset({_S.SUBMITTED, _S.UNKNOWN, _S.ACCEPTED, _S.PARTIALLY_FILLED, _S.PENDING_CANCEL})


@dataclass
class TrackedOrder:
    """What we know about one order. ``limit_price`` is on ``outcome_id``'s leg."""

    client_order_id: str
    market_id: str
    outcome_id: OutcomeSide
    side: Side
    limit_price: Decimal
    quantity: Decimal
    status: OrderStatus = OrderStatus.SUBMITTED
    venue_order_id: str | None = None
    venue_filled: Decimal = ZERO
    venue_status: str | None = None
    reason: str | None = None
    fills: dict[tuple[str, str], FillReport] = field(default_factory=dict)

    @property
    def filled(self) -> Decimal:
        """Contracts filled: the venue's count or the fills we hold, whichever is ahead."""
        return max(self.venue_filled, sum((f.quantity for f in self.fills.values()), ZERO))

    def report(self) -> OrderReport:
        """The order as an :class:`OrderReport` (fills oldest first)."""
        fills = tuple(sorted(self.fills.values(), key=lambda f: (f.ts, f.venue_trade_id)))
        size = sum((f.quantity for f in fills), ZERO)
        average = sum((f.price * f.quantity for f in fills), ZERO) / size if size else None
        return OrderReport(
            client_order_id=self.client_order_id,
            venue_order_id=self.venue_order_id,
            status=self.status,
            quantity=self.quantity,
            filled_quantity=self.filled,
            avg_fill_price=average,
            fills=fills,
            reason=self.reason,
            market_id=self.market_id,
            outcome_id=self.outcome_id,
            side=self.side,
            limit_price=self.limit_price,
            venue_status=self.venue_status,
        )

    def _key(self) -> tuple[OrderStatus, Decimal, str | None]:
        return self.status, self.filled, self.venue_order_id


@dataclass
class TrackerStats:
    """Counters for metrics and tests."""

    fills_applied: int = 0
    duplicate_fills: int = 0
    ignored_transitions: int = 0


class OrderTracker:
    """All orders the engine knows, by client and venue id."""

    def __init__(self) -> None:
        self.orders: dict[str, TrackedOrder] = {}
        self._by_venue: dict[str, str] = {}
        self._seen: set[tuple[str, str]] = set()
        self._subscribers: list[asyncio.Queue[Update]] = []
        self.stats = TrackerStats()

    # -- lookup ----------------------------------------------------------------------------------

    def get(self, client_order_id: str) -> TrackedOrder | None:
        """The order with ``client_order_id``."""
        return self.orders.get(client_order_id)

    def by_venue_id(self, venue_order_id: str) -> TrackedOrder | None:
        """The order the venue calls ``venue_order_id``."""
        cid = self._by_venue.get(venue_order_id)
        return None if cid is None else self.orders.get(cid)

    def open_orders(self) -> list[TrackedOrder]:
        """Orders not yet in a terminal status (including ``UNKNOWN`` ones)."""
        return [o for o in self.orders.values() if o.status not in TERMINAL]

    def skip_seen(self, fill: KalshiFill) -> bool:
        """True (and counted as a duplicate) when ``fill`` was already applied."""
        if (fill.trade_id, fill.order_id) in self._seen:
            self.stats.duplicate_fills += 1
            return True
        return False

    # -- tracking --------------------------------------------------------------------------------

    def track(self, order: TrackedOrder) -> TrackedOrder:
        """Start tracking ``order`` (idempotent: an order already tracked is returned unchanged)."""
        existing = self.orders.get(order.client_order_id)
        if existing is not None:
            return existing
        self.orders[order.client_order_id] = order
        if order.venue_order_id:
            self._by_venue[order.venue_order_id] = order.client_order_id
        return order

    def adopt(self, order: KalshiOrder, client_order_id: str) -> TrackedOrder:
        """Track a venue order we hold no intent for (placed elsewhere, or before a restart)."""
        outcome, side = direction_of(order)
        price = order.yes_price if outcome == "yes" else ONE - order.yes_price
        tracked = TrackedOrder(
            client_order_id, order.ticker, outcome, side, price, order.initial_count, venue_order_id=order.order_id
        )
        self.track(tracked)
        self.apply_order(order)
        return self.orders[client_order_id]

    # -- evidence --------------------------------------------------------------------------------

    def set_status(self, client_order_id: str, status: OrderStatus, reason: str | None = None) -> TrackedOrder:
        """Move an order to ``status`` when the lifecycle allows it."""
        tracked = self.orders[client_order_id]
        before = tracked._key()
        self._move(tracked, status)
        if reason is not None:
            tracked.reason = reason
        self._changed(tracked, before)
        return tracked

    def apply_ack(self, client_order_id: str, ack: OrderAck) -> TrackedOrder:
        """Apply a create answer (the venue has the order)."""
        tracked = self.orders[client_order_id]
        before = tracked._key()
        self._bind(tracked, ack.order_id)
        tracked.venue_filled = max(tracked.venue_filled, ack.fill_count)
        self._move(tracked, ack_status(ack, tracked.quantity))
        self._changed(tracked, before)
        return tracked

    def apply_order(self, order: KalshiOrder) -> TrackedOrder | None:
        """Apply the venue's view of an order we track (by venue id, else client id); ``None`` if untracked."""
        tracked = self.by_venue_id(order.order_id)
        if tracked is None and order.client_order_id:
            tracked = self.orders.get(order.client_order_id)
        if tracked is None:
            return None
        before = tracked._key()
        self._bind(tracked, order.order_id)
        tracked.venue_filled = max(tracked.venue_filled, order.fill_count)
        tracked.venue_status = order.status
        self._move(tracked, venue_status(order))
        self._changed(tracked, before)
        return tracked

    def apply_fill(self, client_order_id: str, fill: KalshiFill) -> FillReport | None:
        """Apply a fill of the tracked order ``client_order_id``; ``None`` (and counted) when already applied."""
        key = (fill.trade_id, fill.order_id)
        if key in self._seen:
            self.stats.duplicate_fills += 1
            return None
        tracked = self.orders[client_order_id]
        before = tracked._key()
        self._seen.add(key)
        self._bind(tracked, fill.order_id)
        report = fill_report(
            fill, client_order_id=client_order_id, outcome=tracked.outcome_id, side=tracked.side,
            market_id=tracked.market_id,
        )  # fmt: skip
        tracked.fills[key] = report
        self.stats.fills_applied += 1
        if tracked.filled >= tracked.quantity:
            self._move(tracked, OrderStatus.FILLED, from_fill=True)
        else:
            self._move(tracked, OrderStatus.PARTIALLY_FILLED, from_fill=True)
        self._publish(report)
        self._changed(tracked, before)
        return report

    # -- streams ---------------------------------------------------------------------------------

    def subscribe(self) -> AsyncIterator[Update]:
        """Every change from this call on (registered at once, before the first ``__anext__``).

        Close the iterator (``aclose()``) or let it be collected after iterating to unsubscribe.
        """
        queue: asyncio.Queue[Update] = asyncio.Queue()
        self._subscribers.append(queue)
        return self._drain(queue)

    async def _drain(self, queue: asyncio.Queue[Update]) -> AsyncIterator[Update]:
        try:
            while True:
                yield await queue.get()
        finally:
            if queue in self._subscribers:
                self._subscribers.remove(queue)

    # -- internals -------------------------------------------------------------------------------

    def _bind(self, tracked: TrackedOrder, venue_order_id: str) -> None:
        if tracked.venue_order_id is None:
            tracked.venue_order_id = venue_order_id
        self._by_venue.setdefault(venue_order_id, tracked.client_order_id)

    def _move(self, tracked: TrackedOrder, status: OrderStatus, *, from_fill: bool = False) -> None:
        if tracked.filled >= tracked.quantity > 0 and status in _OPEN_AFTER_FILL:
            status = OrderStatus.FILLED  # the venue's status lags fills we already hold
        if tracked.status == status:
            return
        if tracked.status in (_S.CANCELED, _S.EXPIRED) and status in (_S.ACCEPTED, _S.PARTIALLY_FILLED):
            # A late fill inside a closed order keeps it closed (the fill is counted); a venue read saying
            # "resting" after "canceled" is stale and ignored.
            if not from_fill:
                self.stats.ignored_transitions += 1
            return
        if can_transition(tracked.status, status):
            tracked.status = status
            return
        self.stats.ignored_transitions += 1
        log.warning(
            "ignoring %s -> %s for %s", tracked.status, status, tracked.client_order_id,
            extra={"venue": "kalshi", "client_order_id": tracked.client_order_id},
        )  # fmt: skip

    def _changed(self, tracked: TrackedOrder, before: tuple[OrderStatus, Decimal, str | None]) -> None:
        if tracked._key() != before:
            self._publish(tracked.report())

    def _publish(self, update: Update) -> None:
        for queue in self._subscribers:
            queue.put_nowait(update)
