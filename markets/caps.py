"""Live-trading caps: per-order and per-day notional limits enforced before an order leaves the process.

The first weeks of live trading are meant to run at $10-20 a trade. :class:`CappedEngine` wraps a real
engine and refuses, with a clear reason and without contacting the venue, any order whose notional
(price x quantity for a buy, (1 - price) x quantity for a sell) exceeds the per-order cap, or that would
take the day's committed notional (from the journal, UTC day) above the per-day cap. Everything else is
delegated unchanged.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal

from markets.base import (
    BalanceReport,
    Capabilities,
    ExecutionEngine,
    FillPage,
    FillReport,
    OrderReport,
    OrderRequest,
    OrderResult,
    PositionReport,
    Rejected,
)
from markets.journal import OrderJournal
from shared.prices import Venue


@dataclass(frozen=True, slots=True)
class LiveCaps:
    """Caps in integer cents (defaults: $20 per order, $100 per day)."""

    max_order_notional_cents: int = 2_000
    max_daily_notional_cents: int = 10_000


def order_notional(request: OrderRequest) -> Decimal:
    """Dollars an order can commit."""
    unit = request.limit_price if request.side == "buy" else Decimal(1) - request.limit_price
    return unit * request.quantity


class CappedEngine:
    """A real engine behind per-order and per-day caps."""

    def __init__(self, inner: ExecutionEngine, caps: LiveCaps, journal: OrderJournal) -> None:
        self.inner = inner
        self.caps = caps
        self.journal = journal
        self.venue: Venue = inner.venue
        self.paper = inner.paper
        self.capabilities: Capabilities = inner.capabilities
        self._in_flight: dict[str, Decimal] = {}  # client order id -> notional, until its submit returns

    def check(self, request: OrderRequest, committed_today: Decimal) -> Rejected | None:
        """The refusal for ``request`` under the caps, or ``None`` when it fits."""
        notional = order_notional(request)
        per_order = Decimal(self.caps.max_order_notional_cents) / 100
        per_day = Decimal(self.caps.max_daily_notional_cents) / 100
        if notional > per_order:
            return Rejected(
                f"order notional ${notional:.2f} exceeds the live per-order cap ${per_order:.2f}",
                code="cap_per_order",
                client_order_id=request.client_order_id,
                sent=False,
            )
        if committed_today + notional > per_day:
            return Rejected(
                f"order notional ${notional:.2f} would take today's live notional to "
                f"${committed_today + notional:.2f}, above the per-day cap ${per_day:.2f}",
                code="cap_per_day",
                client_order_id=request.client_order_id,
                sent=False,
            )
        return None

    async def submit(self, request: OrderRequest) -> OrderResult:
        """Refuse above the caps (nothing sent); otherwise submit through the wrapped engine.

        Orders submitted concurrently count against the day's cap from the moment they pass it (an order
        in flight may be counted twice for a moment, never missed).
        """
        cid = request.client_order_id
        existing = await self.journal.get(cid)
        if existing is None and cid not in self._in_flight:
            today = datetime.now(UTC).date()
            committed = await self.journal.committed_notional(self.venue, today) + sum(self._in_flight.values())
            refusal = self.check(request, committed)
            if refusal is not None:
                return refusal
            self._in_flight[cid] = order_notional(request)
        try:
            return await self.inner.submit(request)
        finally:
            self._in_flight.pop(cid, None)

    async def start(self) -> None:
        await self.inner.start()

    async def close(self) -> None:
        await self.inner.close()

    async def cancel(self, client_order_id: str) -> OrderReport | None:
        return await self.inner.cancel(client_order_id)

    async def order_status(self, client_order_id: str) -> OrderReport | None:
        return await self.inner.order_status(client_order_id)

    async def order_status_by_venue_id(self, venue_order_id: str) -> OrderReport | None:
        return await self.inner.order_status_by_venue_id(venue_order_id)

    async def open_orders(self, market_id: str | None = None) -> list[OrderReport]:
        return await self.inner.open_orders(market_id)

    async def fills_since(self, since: datetime | None = None, cursor: str | None = None) -> FillPage:
        return await self.inner.fills_since(since, cursor)

    async def positions(self, market_id: str | None = None) -> list[PositionReport]:
        return await self.inner.positions(market_id)

    async def balance(self) -> BalanceReport:
        return await self.inner.balance()

    async def cancel_all(self, market_id: str | None = None) -> list[str]:
        return await self.inner.cancel_all(market_id)

    def updates(self) -> AsyncIterator[OrderReport | FillReport]:
        return self.inner.updates()
