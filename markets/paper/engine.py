"""Paper execution engine: fills limit orders against the current top of book, with the venue's fees.

This first version takes what the book offers at the top: a buy fills at the best ask (up to the size
shown there) when the ask is at or below the limit, a sell at the best bid; what cannot fill is
cancelled (IOC) or rests (GTC) until :meth:`PaperTradingEngine.cancel`. Orders are idempotent by
``client_order_id``: a repeat returns the existing order. A book older than ``max_book_age_s`` is not
traded against.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import datetime, timedelta
from decimal import Decimal

from markets.base import Accepted, FillReport, OrderReport, OrderRequest, Rejected, SubmitOutcome
from shared.fees import PolymarketFeeSchedule, kalshi_fee, polymarket_fee
from shared.messages import MarketPriceUpdated, derive_id, utc_now
from shared.orders.state import OrderStatus
from shared.prices import ZERO, Venue

BookSource = Callable[[str, str], Awaitable[MarketPriceUpdated | None]]
"""``(market_id, outcome_id) -> latest top of book`` (our Redis latest values, or a simulator)."""


class PaperTradingEngine:
    """The paper engine for one venue."""

    paper = True

    def __init__(
        self,
        venue: Venue,
        book: BookSource,
        *,
        max_book_age_s: float = 30.0,
        polymarket_fees: PolymarketFeeSchedule | None = None,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self.venue: Venue = venue
        self._book = book
        self._max_book_age = timedelta(seconds=max_book_age_s)
        self._poly_fees = polymarket_fees or PolymarketFeeSchedule()
        self._clock = clock
        self._orders: dict[str, OrderReport] = {}

    async def submit(self, request: OrderRequest) -> SubmitOutcome:
        """Fill what the top of book allows; see the module docstring."""
        existing = self._orders.get(request.client_order_id)
        if existing is not None:
            return Accepted(existing)
        if request.quantity <= 0:
            return Rejected("quantity must be positive", code="invalid_order")
        top = await self._book(request.market_id, request.outcome_id)
        now = self._clock()
        if top is None:
            return Rejected(f"no book for {request.market_id}/{request.outcome_id}", code="no_market")
        if now - top.ts_event > self._max_book_age:
            return Rejected("book is stale; paper engine will not fill against it", code="stale_book")
        report = self._match(request, top, now)
        self._orders[request.client_order_id] = report
        return Accepted(report)

    def _match(self, request: OrderRequest, top: MarketPriceUpdated, now: datetime) -> OrderReport:
        if request.side == "buy":
            price, size = top.best_ask, top.ask_size
            crosses = price is not None and price <= request.limit_price
        else:
            price, size = top.best_bid, top.bid_size
            crosses = price is not None and price >= request.limit_price
        filled = ZERO
        fills: tuple[FillReport, ...] = ()
        if crosses and price is not None:
            available = size if size is not None else request.quantity
            filled = min(request.quantity, available)
        if filled > 0 and price is not None:
            fills = (
                FillReport(
                    venue_trade_id=f"paper-{derive_id('paper-fill', request.client_order_id, 1)}",
                    client_order_id=request.client_order_id,
                    venue_order_id=f"paper-{request.client_order_id}",
                    price=price,
                    quantity=filled,
                    fee=self.fee(price, filled),
                    liquidity="taker",
                    ts=now,
                ),
            )
        if filled == request.quantity:
            status = OrderStatus.FILLED
        elif request.time_in_force in ("ioc", "fok"):
            status = OrderStatus.CANCELED
        else:
            status = OrderStatus.PARTIALLY_FILLED if filled > 0 else OrderStatus.ACCEPTED
        if request.time_in_force == "fok" and filled < request.quantity:
            filled, fills = ZERO, ()
        return OrderReport(
            client_order_id=request.client_order_id,
            venue_order_id=f"paper-{request.client_order_id}",
            status=status,
            quantity=request.quantity,
            filled_quantity=filled,
            avg_fill_price=price if filled > 0 else None,
            fills=fills,
            reason=None if status != OrderStatus.CANCELED else "unfilled remainder cancelled",
        )

    def fee(self, price: Decimal, quantity: Decimal) -> Decimal:
        """The taker fee this venue would charge for ``quantity`` at ``price``."""
        if self.venue == "kalshi":
            return kalshi_fee(price, quantity)
        return polymarket_fee(price, quantity, self._poly_fees)

    async def cancel(self, client_order_id: str) -> OrderReport | None:
        """Cancel the resting remainder (paper orders rest only with GTC/GTD)."""
        report = self._orders.get(client_order_id)
        if report is None:
            return None
        if report.status in (OrderStatus.ACCEPTED, OrderStatus.PARTIALLY_FILLED):
            report = replace(report, status=OrderStatus.CANCELED)
            self._orders[client_order_id] = report
        return report

    async def order_status(self, client_order_id: str) -> OrderReport | None:
        """The paper order, or ``None`` if this engine never saw it."""
        return self._orders.get(client_order_id)
