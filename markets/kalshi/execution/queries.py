"""Cancels and read-backs of the Kalshi engine: orders, fills, positions, balance as Arbees reports.

Everything read here also feeds the tracker (through :class:`~markets.kalshi.execution.intake.EvidenceIntake`),
so a query is also a reconciliation: a fill first seen here is applied (once) and streamed, an order
found closed is closed. Cancels use V2 ``DELETE /portfolio/events/orders/{id}`` with the order's exchange
shard (``exchange_index``: the order's own, else its market's — the venue answers 404 on the wrong shard);
a cancel whose answer is lost (or a 404) is followed by a read of the order — a pending cancel is never
assumed done (R05), and a 404 while the order still rests is recorded as the order's reason.

A refused cancel is never retried blindly: the order is read back and recorded as the venue has it. That
matters once a market closes: Kalshi then answers ``MARKET_INACTIVE`` to every order operation, cancels
included, and cancels what rests there itself (venues.md §1.5), so the read turns our pending cancel into
``canceled`` when the venue has done it, or back to ``accepted`` (with the refusal as its reason) while the
order still rests; a cancel-all asks the venue about such an order once, not every round.
"""

from __future__ import annotations

import asyncio
import base64
import json
from datetime import UTC, datetime, timedelta

from markets.base import BalanceReport, FillPage, FillReport, OrderReport, PositionReport
from markets.journal import OrderJournal
from markets.kalshi.errors import market_closed
from markets.kalshi.execution.intake import EvidenceIntake
from markets.kalshi.execution.lookup import VenueLookup
from markets.kalshi.execution.options import ExecutionOptions
from markets.kalshi.execution.submit import SubmitPath
from markets.kalshi.execution.tracker import OrderTracker, TrackedOrder
from markets.kalshi.execution.validate import MarketCache
from markets.kalshi.models import KalshiFill, KalshiOrder
from markets.kalshi.rest import KalshiRestClient, paginate
from shared.errors import Ambiguous, AuthOrClock, VenueError
from shared.errors import Rejected as VenueRejected
from shared.orders.state import OrderStatus

_CANCELLABLE = frozenset({OrderStatus.ACCEPTED, OrderStatus.PARTIALLY_FILLED})
_CLOSED_BY_VENUE = frozenset({OrderStatus.CANCELED, OrderStatus.EXPIRED})
_CANCEL_ROUNDS = 3


class OrderQueries:
    """Cancels and queries over one REST client."""

    def __init__(
        self,
        rest: KalshiRestClient,
        lookup: VenueLookup,
        tracker: OrderTracker,
        intake: EvidenceIntake,
        journal: OrderJournal,
        options: ExecutionOptions,
        markets: MarketCache,
    ) -> None:
        self.rest = rest
        self.markets = markets
        self.lookup = lookup
        self.tracker = tracker
        self.intake = intake
        self.journal = journal
        self.options = options

    # -- orders ----------------------------------------------------------------------------------

    async def _venue_order(self, tracked: TrackedOrder) -> KalshiOrder | None:
        if tracked.venue_order_id is not None:
            return await self.lookup.get(tracked.venue_order_id)
        entry = await self.journal.get(tracked.client_order_id)
        since = None if entry is None else entry.created_at - timedelta(seconds=self.options.lookup_window_s)
        return await self.lookup.find_by_client_id(tracked.market_id, tracked.client_order_id, since)

    async def order_status(self, client_order_id: str) -> OrderReport | None:
        """The order as the venue sees it (see ``KalshiExecutionEngine.order_status``)."""
        tracked = await self.intake.ensure_tracked(client_order_id)
        if tracked is None:
            return None
        order = await self._venue_order(tracked)
        if order is None:
            return None
        return (await self.intake.venue_order(order)).report()

    async def order_status_by_venue_id(self, venue_order_id: str) -> OrderReport | None:
        """The order the venue calls ``venue_order_id``."""
        order = await self.lookup.get(venue_order_id)
        return None if order is None else (await self.intake.venue_order(order)).report()

    async def open_orders(self, market_id: str | None = None) -> list[OrderReport]:
        """Resting orders, read from the venue."""
        return [(await self.intake.order(o)).report() for o in await self.lookup.resting(market_id)]

    async def cancel(self, client_order_id: str, submit: SubmitPath) -> OrderReport | None:
        """Cancel what is left of one order; its state afterwards (``None`` if the venue lacks it)."""
        tracked = await self.intake.ensure_tracked(client_order_id)
        if tracked is None:
            return None
        order: KalshiOrder | None = None
        if tracked.venue_order_id is None:
            order = await self._venue_order(tracked)
            if order is None:
                return None
            tracked = await self.intake.venue_order(order)
        venue_order_id = tracked.venue_order_id
        assert venue_order_id is not None
        if tracked.status in _CANCELLABLE:
            self.tracker.set_status(client_order_id, OrderStatus.PENDING_CANCEL)
        shard = await self._shard(tracked.market_id, order)
        not_found = False
        closed: VenueRejected | None = None
        for _ in range(2):
            reason = None
            try:
                await self.rest.cancel_order(venue_order_id, exchange_index=shard, market_ticker=tracked.market_id)
            except VenueRejected as e:
                not_found = e.status == 404
                closed = e if market_closed(e) else None
                reason = None if not_found else str(e)  # 404: no longer resting (filled or cancelled)
            except Ambiguous:
                pass  # the read below tells whether it took effect
            except AuthOrClock as e:
                submit.auth_failure = e
                raise
            order = await self.lookup.get(venue_order_id)
            if order is None:
                return None
            tracked = await self.intake.venue_order(order)  # the venue's word: canceled, resting or filled
            if reason is not None:
                tracked.reason = reason
            if order.status != "resting" or reason is not None:
                break
            if order.exchange_index is not None:
                shard = order.exchange_index  # the venue's word beats the market cache
        if closed is not None and order is not None:
            tracked.reason = _closed_market_reason(closed, order)
        elif not_found and order is not None and order.status == "resting":
            tracked.reason = f"cancel answered 404 on exchange shard {shard} but the order still rests"
        return tracked.report()

    async def _shard(self, ticker: str, order: KalshiOrder | None) -> int:
        """The exchange shard to name for ``order`` (its own ``exchange_index``, else its market's)."""
        if order is not None and order.exchange_index is not None:
            return order.exchange_index
        return (await self.markets.get(ticker)).exchange_index

    async def cancel_all(self, market_id: str | None = None) -> list[str]:
        """Cancel every resting order (see ``KalshiExecutionEngine.cancel_all``)."""
        cancelled: list[str] = []
        refused: set[str] = set()  # venue order ids on a market that refuses cancels (closed): asked once
        for _ in range(_CANCEL_ROUNDS):
            resting = [o for o in await self.lookup.resting(market_id) if o.order_id not in refused]
            if not resting:
                break
            done = await asyncio.gather(*(self._cancel_resting(o, refused) for o in resting))
            cancelled += [cid for cid in done if cid is not None and cid not in cancelled]
        return cancelled

    async def _cancel_resting(self, order: KalshiOrder, refused: set[str]) -> str | None:
        tracked = await self.intake.order(order)
        cid = tracked.client_order_id
        if tracked.status in _CANCELLABLE:
            self.tracker.set_status(cid, OrderStatus.PENDING_CANCEL)
        try:
            shard = await self._shard(order.ticker, order)
            await self.rest.cancel_order(order.order_id, exchange_index=shard, market_ticker=order.ticker)
        except VenueRejected as e:
            if market_closed(e):
                refused.add(order.order_id)
            return await self._after_refusal(order, e)
        except Ambiguous:
            return None  # unconfirmed: the next listing round tells
        self.tracker.set_status(cid, OrderStatus.CANCELED)
        await self.intake.settle_journal(tracked)
        return cid

    async def _after_refusal(self, listed: KalshiOrder, error: VenueRejected) -> str | None:
        """Record a refused cancel's order as the venue has it now; its client id when the venue closed it.

        The refusal is a 404 (filled or cancelled meanwhile) or ``MARKET_INACTIVE`` (the market closed: the
        venue cancels what rests there itself). A read that fails records the listing again, so the order
        is never left ``pending_cancel`` by a cancel the venue refused.
        """
        try:
            order = await self.lookup.get(listed.order_id) or listed
        except VenueError:
            order = listed
        tracked = await self.intake.order(order)  # fills follow from the fill channel and reconciliation
        if market_closed(error):
            tracked.reason = _closed_market_reason(error, order)
        return tracked.client_order_id if order.status == "canceled" and tracked.status in _CLOSED_BY_VENUE else None

    # -- fills -----------------------------------------------------------------------------------

    async def fills_since(self, since: datetime | None, cursor: str | None) -> FillPage:
        """Fills after ``since`` or ``cursor``, oldest first (each also applied to the tracker, once)."""
        after, seen = _decode_cursor(cursor) if cursor else (since, frozenset[tuple[str, str]]())
        fills = [f async for f in self.lookup.fills(since=after)]
        fills = sorted((f for f in fills if _is_after(f, after, seen, inclusive=cursor is not None)), key=_time_key)
        reports: list[FillReport] = []
        for fill in fills:
            cid = await self.intake.client_id_for(fill.order_id, fill.client_order_id)
            await self.intake.fill(fill)
            reports.append(self.tracker.orders[cid].fills[(fill.trade_id, fill.order_id)])
        if not fills:
            return FillPage((), cursor)
        last = _time_key(fills[-1])[0]  # the venue's REST time, which the next call filters on
        at_last = [(f.trade_id, f.order_id) for f in fills if _time_key(f)[0] == last]
        if after is not None and last == after:
            at_last += list(seen)
        return FillPage(tuple(reports), _encode_cursor(last, at_last))

    # -- positions and balance -------------------------------------------------------------------

    async def positions(self, market_id: str | None = None) -> list[PositionReport]:
        """Open positions: positive ``position_fp`` is YES contracts, negative NO contracts (one market's, when
        ``market_id`` is given: the venue filters by ``ticker``)."""
        return [
            PositionReport(
                market_id=pos.ticker,
                outcome_id="yes" if pos.position > 0 else "no",
                quantity=abs(pos.position),
                cost=pos.market_exposure,
                realized_pnl=pos.realized_pnl,
                fees_paid=pos.fees_paid,
            )
            async for pos in paginate(self.rest.list_positions, count_filter="position", limit=1000, ticker=market_id)
            if pos.position != 0
        ]

    async def balance(self) -> BalanceReport:
        """Available cash, and cash plus portfolio value as ``total``."""
        raw = await self.rest.get_balance()
        total = None if raw.portfolio_value is None else raw.balance + raw.portfolio_value
        return BalanceReport(available=raw.balance, total=total, currency="USD")


def _closed_market_reason(error: VenueRejected, order: KalshiOrder) -> str:
    """The reason recorded for an order whose cancel its closed market refused."""
    if order.status == "resting":
        return f"cancel refused, the market is closed ({error}); the order rests until the venue cancels it"
    return f"the market closed ({error.code}); the venue closed the order itself ({order.status})"


def _time_key(fill: KalshiFill) -> tuple[datetime, str]:
    return fill.ts or datetime.fromtimestamp(0, UTC), fill.trade_id


def _is_after(fill: KalshiFill, after: datetime | None, seen: frozenset[tuple[str, str]], *, inclusive: bool) -> bool:
    if after is None:
        return True
    ts = fill.ts or datetime.fromtimestamp(0, UTC)
    if ts > after:
        return True
    return inclusive and ts == after and (fill.trade_id, fill.order_id) not in seen


def _encode_cursor(ts: datetime, seen: list[tuple[str, str]]) -> str:
    raw = json.dumps({"ts": ts.isoformat(), "seen": sorted(set(seen))}, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode()


def _decode_cursor(cursor: str) -> tuple[datetime, frozenset[tuple[str, str]]]:
    """``(time of the last fill returned, fills at exactly that time already returned)``.

    Raises
    ------
    ValueError
        The cursor was not made by :meth:`OrderQueries.fills_since`.
    """
    try:
        raw = json.loads(base64.urlsafe_b64decode(cursor.encode()))
        ts = datetime.fromisoformat(raw["ts"])
        seen = frozenset((str(a), str(b)) for a, b in raw["seen"])
    except (ValueError, KeyError, TypeError) as e:
        raise ValueError(f"not a Kalshi fills cursor: {cursor!r}") from e
    return ts.astimezone(UTC), seen
