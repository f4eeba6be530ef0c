"""REST evidence for our orders: targeted refreshes, resolution of unknown submits, polling fallback.

The user WebSocket is the fast path; REST is the proof. :meth:`VenueSync.refresh` asks
``GET /data/order/{hash}`` for each order (the venue answers only while the order is live) and, when an
order is gone, has fills we have not seen (``size_matched`` or ``associate_trades`` ahead of us) or has
provisional fills, reads ``/data/trades`` of its market once for all of them. The background loop
(:meth:`VenueSync.run`) each cycle refreshes, at most ``max_queries`` orders (R17):

- submits whose answer was lost (``UNKNOWN``) — resolved by the expected order hash, never by posting
  again (R01). One the venue has not shown after ``not_found_checks`` checks spanning at least
  ``not_found_after_s`` is given up as not placed (``REJECTED``, R05);
- orders marked dirty by the WebSocket (an order event ahead of the fills we know, a reconnect);
- orders whose cancel could not be confirmed, re-cancelling those still live (a cancel requested while
  the submit was unresolved waits for the order to show up);
- while the WebSocket is down, every open or still-settling order every ``poll_interval_s``.

:meth:`VenueSync.apply_user_event` folds the user channel's events into the tracker and marks for a
refresh what the socket shows to be incomplete (an order ahead of the fills we know; after a reconnect,
an order we think rests that REST no longer lists).

References
----------
reliability.md B1 (in-flight checks, ``max_single_order_queries_per_cycle``), R01, R05, R15, R17.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable, Sequence

from markets.polymarket.execution.tracker import OrderTracker, TrackedOrder, Update
from markets.polymarket.trading import ClobTrader
from markets.polymarket.types import OrderUpdate, TradeUpdate
from markets.polymarket.ws_user import UserResync
from shared.errors import VenueError
from shared.orders.state import OrderStatus

log = logging.getLogger(__name__)
_EXTRA = {"venue": "polymarket"}
TRADES_LOOKBACK_S = 60

Publish = Callable[[list[Update]], Awaitable[None]]
Cancel = Callable[[TrackedOrder], Awaitable[None]]


class VenueSync:
    """Reconciles tracked orders against REST.

    Parameters
    ----------
    trader
        Authenticated reads.
    tracker
        Where evidence goes.
    publish
        Called with every batch of changes (journal, ``updates()``).
    cancel
        Re-sends a cancel for an order whose cancel is pending.
    ws_live
        True while the user WebSocket is subscribed (polling then covers only what the socket cannot).
    """

    def __init__(
        self,
        trader: ClobTrader,
        tracker: OrderTracker,
        publish: Publish,
        cancel: Cancel,
        ws_live: Callable[[], bool],
        *,
        interval_s: float = 1.0,
        poll_interval_s: float = 2.0,
        not_found_after_s: float = 30.0,
        not_found_checks: int = 5,
        max_queries: int = 10,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._trader = trader
        self._tracker = tracker
        self._publish = publish
        self._cancel = cancel
        self._ws_live = ws_live
        self.interval_s = interval_s
        self.poll_interval_s = poll_interval_s
        self.not_found_after_s = not_found_after_s
        self.not_found_checks = not_found_checks
        self.max_queries = max_queries
        self._clock = clock
        self._dirty: set[str] = set()
        self._last_poll = 0.0
        self._refreshed: dict[str, float] = {}
        self._wake = asyncio.Event()
        self.cycles = 0

    def mark_dirty(self, order: TrackedOrder) -> None:
        """Refresh ``order`` from REST on the next cycle (soon)."""
        self._dirty.add(order.client_order_id)
        self._wake.set()

    def apply_user_event(self, event: OrderUpdate | TradeUpdate | UserResync) -> list[Update]:
        """Apply one user-channel event (or a reconnect's REST catch-up); returns the changes."""
        if isinstance(event, TradeUpdate):
            return self._tracker.on_trades([event])
        rows = [event] if isinstance(event, OrderUpdate) else list(event.open_orders)
        updates = self._tracker.on_trades(event.trades) if isinstance(event, UserResync) else []
        for row in rows:
            updates += self._tracker.on_order(row)
            order = self._tracker.by_hash(row.order_id)
            if order is not None and order.venue_matched > order.known_matched:
                self.mark_dirty(order)  # the venue counts fills we have not seen
        if isinstance(event, UserResync):
            listed = {row.order_id for row in rows}
            for order in self._tracker.open_orders():
                if order.seen and order.order_id not in listed:
                    self.mark_dirty(order)
        return updates

    async def run(self) -> None:
        """Reconcile until cancelled."""
        while True:
            try:
                await self.cycle()
            except VenueError as e:
                log.warning("polymarket reconciliation cycle failed: %s", e, extra=_EXTRA)
            self._wake.clear()
            with contextlib.suppress(TimeoutError):  # asyncio.timeout: wait_for can swallow a cancel on 3.11
                async with asyncio.timeout(self.interval_s):
                    await self._wake.wait()

    async def cycle(self) -> None:
        """One reconciliation pass (see the module docstring)."""
        self.cycles += 1
        due = self._due()
        if due:
            await self.refresh(due)
        for order in self._tracker.open_orders():
            if order.cancel_requested and order.seen and order.word in ("live", "delayed"):
                await self._cancel(order)
        await self._give_up_unseen()

    def _due(self) -> list[TrackedOrder]:
        orders = self._tracker.orders()
        pick = [o for o in orders if o.status is OrderStatus.UNKNOWN or o.client_order_id in self._dirty]
        pick += [o for o in orders if o.cancel_requested and o.is_open]
        now = self._clock()
        if not self._ws_live() and now - self._last_poll >= self.poll_interval_s:
            self._last_poll = now
            stale = [o for o in orders if o.seen and (o.is_open or not o.settled)]
            stale.sort(key=lambda o: self._refreshed.get(o.client_order_id, 0.0))
            pick += stale
        chosen: list[TrackedOrder] = []
        for order in pick:
            if len(chosen) < self.max_queries and all(o is not order for o in chosen):
                chosen.append(order)
        self._dirty -= {o.client_order_id for o in chosen}
        return chosen

    async def refresh(self, orders: Sequence[TrackedOrder]) -> None:
        """Bring ``orders`` up to date from REST and publish what changed.

        Raises
        ------
        shared.errors.VenueError
            REST could not be read (after the reads' retries); nothing was applied for the failed part.
        """
        rows = await asyncio.gather(*(self._trader.order(o.order_id) for o in orders))
        lookback: dict[str, float] = {}
        for order, row in zip(orders, rows, strict=True):
            if self._needs_trades(order, row):
                market = order.request.market_id
                lookback[market] = min(lookback.get(market, order.submitted_at), order.submitted_at)
        updates: list[Update] = []
        for market, since in lookback.items():
            trades = await self._trader.trades(market=market, after=int(since) - TRADES_LOOKBACK_S)
            updates += self._tracker.on_trades(trades)
        for order, row in zip(orders, rows, strict=True):
            updates += self._tracker.on_order(row) if row is not None else self._tracker.on_absent(order)
            self._refreshed[order.client_order_id] = self._clock()
        await self._publish(updates)

    @staticmethod
    def _needs_trades(order: TrackedOrder, row: OrderUpdate | None) -> bool:
        if row is None or (bool(order.fills) and not order.settled):
            return True
        unseen_trades = set(row.associate_trades) - set(order.fills)
        return row.size_matched > order.known_matched or bool(unseen_trades)

    async def _give_up_unseen(self) -> None:
        now = self._clock()
        updates: list[Update] = []
        for order in self._tracker.orders():
            overdue = now - order.submitted_at >= self.not_found_after_s
            if order.status is OrderStatus.UNKNOWN and order.misses >= self.not_found_checks and overdue:
                reason = (
                    f"not found at the venue after {order.misses} checks over {now - order.submitted_at:.0f}s "
                    f"(order hash {order.order_id}): it was not placed"
                )
                log.warning("polymarket unknown submit resolved as not placed: %s", reason, extra=_EXTRA)
                updates += self._tracker.on_not_found(order, reason)
        await self._publish(updates)
