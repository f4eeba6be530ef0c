"""Paper execution engine: the execution interface filled against the live book it is given.

:class:`PaperTradingEngine` implements :class:`markets.base.ExecutionEngine` for one venue with no money
at risk. It reads books from a :class:`~markets.paper.books.BookSource` (our Redis tops, or a venue's or
simulator's REST book) and behaves as the venue would:

- **Venue rules first** (:mod:`markets.paper.rules`): tick, price range, minimum size, quantity grid,
  unknown market, stale book, and the balance (cash reserved for open orders, fees included) — each a
  clear :class:`~markets.base.Rejected` with ``sent=False``. Refusals the real venue makes only after
  receiving an order keep its words and ``sent=True`` (post-only that would cross; Polymarket FOK not
  fully fillable and FAK with nothing to match), so the paper answer is the real engine's answer.
- **Walking the book**: a buy takes asks from the best up to its limit, a sell bids down to its limit,
  across levels, as taker (the venue's taker fee, :mod:`markets.paper.fees`). ``ioc`` cancels the rest,
  ``fok`` is all or nothing, ``gtc``/``gtd`` rest. Displayed size this engine already took is not taken
  again (:class:`~markets.paper.matching.LiquidityLedger`).
- **Resting orders trade through**: a background task (:meth:`start` / :meth:`close`) re-reads, every
  ``poll_interval_s``, the book of each market with resting orders; a resting buy fills when the best
  ask comes down to its limit (at its limit price, the size shown at or below it) as maker; a sell
  likewise against bids. ``gtd`` orders expire at ``expires_at``. :meth:`poll` runs one such pass.
- **The sports matching delay**: with ``matching_delay_s > 0`` a marketable order answers ``Accepted``
  with ``venue_status="delayed"`` (pending, not unfilled) and matches after the delay against the book
  as it is then.

Orders are idempotent by ``client_order_id`` (a repeat returns the existing order, never a second one);
statuses move through :mod:`shared.orders.state`; venue ids (``paper-<uuid>``) and trade ids are derived
from the ``client_order_id`` so a replay dedupes. Everything lives in memory: a restart starts flat.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
from collections.abc import AsyncIterator, Callable, Hashable
from datetime import datetime, timedelta
from decimal import Decimal

from markets.base import (
    Accepted,
    BalanceReport,
    FillPage,
    FillReport,
    OrderReport,
    OrderRequest,
    OrderResult,
    PositionReport,
    Rejected,
)
from markets.journal import JournalState, OrderJournal
from markets.paper import rules
from markets.paper.accounts import KalshiAccount, PaperAccount, PolymarketAccount
from markets.paper.books import BookSnapshot, BookSource
from markets.paper.capabilities import CAPABILITIES
from markets.paper.fees import FeeModel, KalshiFees, Liquidity, PolymarketFees
from markets.paper.matching import KeyFn, LiquidityLedger, Take, contra_levels, total, visible_levels, walk
from markets.paper.orders import PaperOrder, paper_venue_order_id
from markets.paper.updates import UpdateHub
from shared.aio import wait_event
from shared.fees import PolymarketFeeSchedule
from shared.messages import utc_now
from shared.orders.state import TERMINAL, OrderStatus
from shared.prices import ONE, Venue

log = logging.getLogger(__name__)


class PaperTradingEngine:
    """The paper engine for one venue (see the module docstring).

    Parameters
    ----------
    venue
        ``kalshi`` (outcome ids ``yes``/``no``, netted positions, fee rounded up per order) or
        ``polymarket`` (outcome ids are token ids, shares, fee per fill).
    book
        Where the engine reads the market.
    starting_balance
        Paper cash in dollars (pUSD on Polymarket).
    matching_delay_s
        The venue's sports matching delay in seconds (Polymarket sports: a few seconds; 0 = none).
    max_book_age_s
        A book older than this (seconds) is not traded on.
    poll_interval_s
        Seconds between two passes of the background matcher.
    polymarket_fees
        The fee schedule of the Polymarket markets traded (default: no fee).
    kalshi_fee_type
        The Kalshi series' ``fee_type`` (``quadratic``, ``quadratic_with_maker_fees``, ``flat``).
    clock
        Wall clock (UTC) for staleness, expiry and fill timestamps.
    journal
        When given, every order is recorded before it is matched and marked as it progresses.
    """

    paper = True

    def __init__(
        self,
        venue: Venue,
        book: BookSource,
        *,
        starting_balance: Decimal = Decimal("1000"),
        matching_delay_s: float = 0.0,
        max_book_age_s: float = 30.0,
        poll_interval_s: float = 0.25,
        polymarket_fees: PolymarketFeeSchedule | None = None,
        kalshi_fee_type: str = "quadratic",
        clock: Callable[[], datetime] = utc_now,
        journal: OrderJournal | None = None,
    ) -> None:
        if matching_delay_s < 0 or max_book_age_s <= 0 or poll_interval_s <= 0:
            raise ValueError("matching_delay_s must be >= 0; max_book_age_s and poll_interval_s > 0")
        self.venue: Venue = venue
        self.capabilities = CAPABILITIES
        self._book = book
        self._delay_s = matching_delay_s
        self._max_age = timedelta(seconds=max_book_age_s)
        self._poll_s = poll_interval_s
        self._clock = clock
        self._journal = journal
        self._fees: FeeModel = KalshiFees(kalshi_fee_type) if venue == "kalshi" else PolymarketFees(polymarket_fees)
        self._account: PaperAccount = (
            KalshiAccount(starting_balance, self._fees)
            if venue == "kalshi"
            else PolymarketAccount(starting_balance, self._fees)
        )
        self._ledger = LiquidityLedger()
        self._orders: dict[str, PaperOrder] = {}
        self._by_venue_id: dict[str, str] = {}
        self._fills: list[FillReport] = []
        self._journaled: dict[str, JournalState] = {}
        self._sequence = itertools.count(1)
        self._hub = UpdateHub()
        self._task: asyncio.Task[None] | None = None
        self._wake = asyncio.Event()

    # -- lifecycle -------------------------------------------------------------------------------------

    async def start(self) -> None:
        """Start the background matcher (idempotent). Paper trading has no venue to check."""
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._run(), name=f"paper-{self.venue}-matcher")

    async def close(self) -> None:
        """Stop the background matcher and end every :meth:`updates` stream (idempotent).

        Open orders stay open (in memory) and trade again after :meth:`start`.
        """
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._hub.close()

    # -- submit ----------------------------------------------------------------------------------------

    async def submit(self, request: OrderRequest) -> OrderResult:
        """Place a paper limit order, idempotent by ``client_order_id``.

        Returns
        -------
        Accepted
            The order exists: resting, partly or wholly filled, cancelled (``ioc``/``fok`` remainder) or
            ``delayed``. A repeat of a known ``client_order_id`` returns the existing order unchanged.
        Rejected
            A rule refused it (see the module docstring); nothing exists and nothing was reserved.

        Never returns :class:`~markets.base.Unknown`: the paper venue is in process. A book source that
        fails is a ``Rejected`` (``book_unavailable``): nothing was placed.
        """
        existing = self._orders.get(request.client_order_id)
        if existing is not None:
            return Accepted(existing.report())
        now = self._clock()
        refusal = rules.check_request(request, now)
        if refusal is not None:
            return refusal
        try:
            snapshot = await self._book.snapshot(request.market_id, request.outcome_id)
        except Exception as e:  # any failure of the source: nothing was placed
            log.warning("paper book unavailable", extra=self._log_extra(request), exc_info=True)
            reason = f"book unavailable: {e}"
            return Rejected(reason, code="book_unavailable", client_order_id=request.client_order_id, sent=False)
        book, refusal = rules.check_book(request, snapshot, now, self._max_age)
        if book is None:
            return refusal or Rejected("no book", client_order_id=request.client_order_id, sent=False)
        venue_order_id = paper_venue_order_id(self.venue, request.client_order_id)
        if self._journal is not None:
            await self._journal.record(self.venue, request, venue_order_id)
        existing = self._orders.get(request.client_order_id)  # a concurrent submit of the same id won
        if existing is not None:
            return Accepted(existing.report())
        result = self._place(request, book, venue_order_id, now)
        await self._journal_result(request, result)
        return result

    def _place(self, request: OrderRequest, book: BookSnapshot, venue_order_id: str, now: datetime) -> OrderResult:
        scope, key_fn = self._scope(request), self._key_fn(request.outcome_id)
        self._ledger.refresh(scope, visible_levels(book, key_fn))
        takes = self._walk(request, request.quantity, book)
        crossing = total(takes)
        refusal = self._venue_refusal(request, crossing)
        if refusal is not None:
            return refusal
        reason = self._account.refusal(request, crossing, self._open())
        if reason is not None:
            return Rejected(reason, code="insufficient_balance", client_order_id=request.client_order_id, sent=False)
        order = PaperOrder(request, venue_order_id, next(self._sequence), now)
        self._orders[request.client_order_id] = order
        self._by_venue_id[venue_order_id] = request.client_order_id
        if crossing > 0 and self._delay_s > 0:
            order.move(OrderStatus.ACCEPTED)
            order.venue_status = "delayed"
            order.delayed_until = asyncio.get_running_loop().time() + self._delay_s
            self._wake.set()
        else:
            self._execute(order, takes, now)
        report = order.report()
        self._hub.publish(report)
        log.info("paper order placed", extra=self._log_extra(request, status=report.status.value))
        return Accepted(report)

    def _venue_refusal(self, request: OrderRequest, crossing: Decimal) -> Rejected | None:
        coid = request.client_order_id
        if request.post_only and crossing > 0:
            return Rejected("invalid post-only order: order crosses book", code="post_only_cross", client_order_id=coid)
        if self.venue != "polymarket":
            return None
        if request.time_in_force == "fok" and crossing < request.quantity:
            reason = "order couldn't be fully filled. FOK orders are fully filled or killed."
            return Rejected(reason, code="fok_not_filled", client_order_id=coid)
        if request.time_in_force == "ioc" and crossing == 0:
            reason = "no orders found to match with FAK order. FAK orders are partially filled or killed if no match"
            return Rejected(reason, code="fak_no_match", client_order_id=coid)
        return None

    def _execute(self, order: PaperOrder, takes: list[Take], now: datetime) -> None:
        """Fill ``takes`` as taker, then apply the time in force to what is left."""
        tif = order.request.time_in_force
        if tif == "fok" and total(takes) < order.remaining:
            takes = []
        for take in takes:
            self._ledger.take(self._scope(order.request), take.key, take.quantity)
            self._fill(order, take.price, take.quantity, "taker", now)
        if order.status == OrderStatus.SUBMITTED and tif in ("gtc", "gtd"):
            order.move(OrderStatus.ACCEPTED)
        elif tif in ("ioc", "fok") and order.status not in TERMINAL:
            order.move(OrderStatus.CANCELED, reason=f"{tif}: unfilled remainder cancelled")

    def _fill(self, order: PaperOrder, price: Decimal, quantity: Decimal, liquidity: Liquidity, now: datetime) -> None:
        request = order.request
        fee = self._fees.charge(order, price, quantity, liquidity)
        fill = FillReport(
            venue_trade_id=order.next_trade_id(),
            client_order_id=request.client_order_id,
            venue_order_id=order.venue_order_id,
            price=price,
            quantity=quantity,
            fee=fee,
            liquidity=liquidity,
            ts=now,
            market_id=request.market_id,
            outcome_id=request.outcome_id,
            side=request.side,
        )
        order.apply(fill)
        self._account.apply_fill(request, price, quantity, fee)
        self._fills.append(fill)
        self._hub.publish(fill)
        extra = self._log_extra(request, price=str(price), quantity=str(quantity), fee=str(fee), liquidity=liquidity)
        log.info("paper fill", extra=extra)

    # -- the background matcher -------------------------------------------------------------------------

    async def _run(self) -> None:
        while True:
            try:
                await self.poll()
            except Exception:  # the matcher must outlive one bad pass; the next pass retries
                log.exception("paper matcher pass failed", extra={"venue": self.venue})
            await self._idle()

    async def _idle(self) -> None:
        timeout = self._poll_s
        loop_now = asyncio.get_running_loop().time()
        for order in self._open():
            # A delayed order comes due before the next pass; one already overdue (its book could not be
            # read) waits for the normal pass rather than spinning on the source.
            if order.delayed_until is not None and order.delayed_until > loop_now:
                timeout = min(timeout, order.delayed_until - loop_now)
        await wait_event(self._wake, timeout)
        self._wake.clear()

    async def poll(self) -> None:
        """One pass of the matcher: expire ``gtd`` orders, match delayed orders that are due, and fill
        resting orders the market has traded through. Idempotent on an unchanged book."""
        for order in self._expire(self._clock()):
            await self._journal_order(order)
        instruments = {(o.request.market_id, o.request.outcome_id) for o in self._open()}
        for market_id, outcome_id in sorted(instruments):
            try:
                book = await self._book.snapshot(market_id, outcome_id)
            except Exception:  # keep the orders; the next pass reads again
                log.warning(
                    "paper book read failed", extra={"venue": self.venue, "market_id": market_id}, exc_info=True
                )
                continue
            now = self._clock()
            if book is None or now - book.ts > self._max_age:
                continue
            touched = self._match_book(market_id, outcome_id, book, now)
            for order in touched:
                self._hub.publish(order.report())
                await self._journal_order(order)

    def _expire(self, now: datetime) -> list[PaperOrder]:
        expired = []
        for order in self._open():
            expires_at = order.request.expires_at
            if order.request.time_in_force == "gtd" and expires_at is not None and expires_at <= now:
                order.delayed_until = None
                order.move(OrderStatus.EXPIRED, reason="gtd order expired")
                self._hub.publish(order.report())
                expired.append(order)
        return expired

    def _match_book(self, market_id: str, outcome_id: str, book: BookSnapshot, now: datetime) -> list[PaperOrder]:
        mine = [o for o in self._open() if (o.request.market_id, o.request.outcome_id) == (market_id, outcome_id)]
        if not mine:
            return []
        request = mine[0].request
        self._ledger.refresh(self._scope(request), visible_levels(book, self._key_fn(outcome_id)))
        touched: list[PaperOrder] = []
        resting = sorted((o for o in mine if o.is_resting), key=_priority)
        for order in resting:
            takes = self._walk(order.request, order.remaining, book)
            if takes:
                for take in takes:
                    self._ledger.take(self._scope(order.request), take.key, take.quantity)
                self._fill(order, order.request.limit_price, total(takes), "maker", now)
                touched.append(order)
        loop_now = asyncio.get_running_loop().time()
        for order in mine:
            if order.is_open and order.delayed_until is not None and order.delayed_until <= loop_now:
                order.delayed_until, order.venue_status = None, None
                self._execute(order, self._walk(order.request, order.remaining, book), now)
                touched.append(order)
        return touched

    # -- queries and cancels ---------------------------------------------------------------------------

    async def cancel(self, client_order_id: str) -> OrderReport | None:
        """Cancel what is left of an order (also one waiting out the matching delay).

        Returns the order afterwards (unchanged when it was already final), or ``None`` if unknown.
        """
        order = self._orders.get(client_order_id)
        if order is None:
            return None
        if order.is_open:
            order.delayed_until = None
            order.move(OrderStatus.CANCELED, reason="cancelled on request")
            self._hub.publish(order.report())
            await self._journal_order(order)
        return order.report()

    async def cancel_all(self, market_id: str | None = None) -> list[str]:
        """Cancel every open order (in ``market_id`` when given); returns their client order ids."""
        cancelled = [o.client_order_id for o in self._open() if market_id in (None, o.request.market_id)]
        for client_order_id in cancelled:
            await self.cancel(client_order_id)
        return cancelled

    async def order_status(self, client_order_id: str) -> OrderReport | None:
        """The paper order, or ``None`` if this engine never accepted it."""
        order = self._orders.get(client_order_id)
        return order.report() if order is not None else None

    async def order_status_by_venue_id(self, venue_order_id: str) -> OrderReport | None:
        """The paper order with this ``paper-...`` id, or ``None``."""
        client_order_id = self._by_venue_id.get(venue_order_id)
        return await self.order_status(client_order_id) if client_order_id is not None else None

    async def open_orders(self, market_id: str | None = None) -> list[OrderReport]:
        """Open orders (resting, partly filled or delayed), oldest first."""
        return [o.report() for o in self._open() if market_id in (None, o.request.market_id)]

    async def fills_since(self, since: datetime | None = None, cursor: str | None = None) -> FillPage:
        """Fills oldest first after ``cursor`` (an index returned by the previous page) and after ``since``.

        Raises
        ------
        ValueError
            For a cursor this engine did not issue.
        """
        start = int(cursor) if cursor else 0
        if not 0 <= start <= len(self._fills):
            raise ValueError(f"unknown fills cursor {cursor!r}")
        fills = [f for f in self._fills[start:] if since is None or f.ts > since]
        return FillPage(tuple(fills), cursor=str(len(self._fills)))

    async def positions(self, market_id: str | None = None) -> list[PositionReport]:
        """Every non-zero paper position (Kalshi: one side per market, netted), or those in ``market_id``."""
        return [p for p in self._account.positions() if market_id in (None, p.market_id)]

    async def balance(self) -> BalanceReport:
        """Paper cash; ``available`` excludes what open orders reserve."""
        return self._account.balance(self._open())

    def updates(self) -> AsyncIterator[OrderReport | FillReport]:
        """Every order and fill report from now on, in order; ends on :meth:`close`."""
        return self._hub.stream()

    # -- helpers ---------------------------------------------------------------------------------------

    def _open(self) -> list[PaperOrder]:
        return [o for o in self._orders.values() if o.is_open]

    def _scope(self, request: OrderRequest) -> Hashable:
        # Kalshi's YES and NO books are one book seen from two sides: one scope per market.
        return (request.market_id,) if self.venue == "kalshi" else (request.market_id, request.outcome_id)

    def _key_fn(self, outcome_id: str) -> KeyFn:
        if self.venue == "kalshi" and outcome_id == "no":
            # A NO bid at q is a YES ask at 1 - q; a NO ask at q is a YES bid at 1 - q.
            return lambda side, price: ("ask" if side == "bid" else "bid", ONE - price)
        return lambda side, price: (side, price)

    def _walk(self, request: OrderRequest, quantity: Decimal, book: BookSnapshot) -> list[Take]:
        return walk(
            contra_levels(book, request.side),
            side=request.side,
            limit=request.limit_price,
            quantity=quantity,
            ledger=self._ledger,
            scope=self._scope(request),
            key_fn=self._key_fn(request.outcome_id),
        )

    async def _journal_result(self, request: OrderRequest, result: OrderResult) -> None:
        if self._journal is None:
            return
        if isinstance(result, Rejected):
            await self._journal.mark(request.client_order_id, "refused", note=result.reason)
            return
        order = self._orders.get(request.client_order_id)
        if order is not None:
            await self._journal_order(order)

    async def _journal_order(self, order: PaperOrder) -> None:
        if self._journal is None:
            return
        state: JournalState = "final" if order.status in TERMINAL else "acked"
        if self._journaled.get(order.client_order_id) != state:
            self._journaled[order.client_order_id] = state
            await self._journal.mark(order.client_order_id, state, venue_order_id=order.venue_order_id)

    def _log_extra(self, request: OrderRequest, **fields: str) -> dict[str, str]:
        return {
            "venue": self.venue,
            "client_order_id": request.client_order_id,
            "market_id": request.market_id,
        } | fields


def _priority(order: PaperOrder) -> tuple[Decimal, int]:
    # Best price first (highest buy, lowest sell), then time.
    price = order.request.limit_price
    return (-price if order.request.side == "buy" else price), order.sequence
