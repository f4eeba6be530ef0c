"""The venue boundary: one execution interface every engine implements (Kalshi, Polymarket, paper).

A submit answers with exactly one of :class:`Accepted`, :class:`Rejected` (the venue's definitive no,
with its reason) or :class:`Unknown` (the request may have reached the venue and we could not see the
answer). A timeout is never a rejection.

Required: ``submit``, ``cancel``, ``order_status``. Later engines add open orders, fills since a
cursor, positions, balance and cancel-all (see the venue packages).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Literal, Protocol, runtime_checkable

from shared.orders.state import OrderStatus
from shared.prices import Venue

Side = Literal["buy", "sell"]
TimeInForce = Literal["gtc", "ioc", "fok", "gtd"]


@dataclass(frozen=True, slots=True)
class OrderRequest:
    """A limit order to place; ``client_order_id`` is the idempotency key, reused on every retry."""

    client_order_id: str
    market_id: str
    outcome_id: str
    side: Side
    limit_price: Decimal
    quantity: Decimal
    time_in_force: TimeInForce = "ioc"
    tick_size: Decimal = Decimal("0.01")


@dataclass(frozen=True, slots=True)
class FillReport:
    """One fill of one of our orders."""

    venue_trade_id: str
    client_order_id: str
    venue_order_id: str | None
    price: Decimal
    quantity: Decimal
    fee: Decimal
    liquidity: Literal["maker", "taker"]
    ts: datetime


@dataclass(frozen=True, slots=True)
class OrderReport:
    """What the venue says about one order now."""

    client_order_id: str
    venue_order_id: str | None
    status: OrderStatus
    quantity: Decimal
    filled_quantity: Decimal
    avg_fill_price: Decimal | None
    fills: tuple[FillReport, ...] = field(default_factory=tuple)
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class Accepted:
    """The venue has the order (resting, partly or wholly filled)."""

    report: OrderReport


@dataclass(frozen=True, slots=True)
class Rejected:
    """The venue refused the order; nothing rests."""

    reason: str
    code: str = "rejected"


@dataclass(frozen=True, slots=True)
class Unknown:
    """The outcome is not known (timeout, transport error after send): resolve from venue evidence."""

    reason: str


SubmitOutcome = Accepted | Rejected | Unknown


@runtime_checkable
class ExecutionEngine(Protocol):
    """An engine for one venue; ``paper`` says whether money is real."""

    venue: Venue
    paper: bool

    async def submit(self, request: OrderRequest) -> SubmitOutcome:
        """Place a limit order (idempotent by ``client_order_id``)."""
        ...

    async def cancel(self, client_order_id: str) -> OrderReport | None:
        """Cancel what is left of an order; ``None`` if the venue does not know it."""
        ...

    async def order_status(self, client_order_id: str) -> OrderReport | None:
        """The order as the venue sees it, or ``None`` if unknown there."""
        ...
