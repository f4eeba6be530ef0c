"""The venue boundary: one execution interface every engine implements (Kalshi, Polymarket, paper).

A submit answers with exactly one of :class:`Accepted` (the venue has the order: resting, partly or
wholly filled, or ``delayed``), :class:`Rejected` (a definitive no, with the venue's reason; also our
own pre-send refusals such as an off-tick price or a cap, marked ``sent=False``) or :class:`Unknown`
(the request may have reached the venue and we could not see the answer). A timeout is never a
rejection: an :class:`Unknown` is resolved from venue evidence (a query by client order id or
expected order hash, the WebSocket, the trades endpoint) — never by sending again blindly.

Methods (numpydoc on each engine states its venue's details):

- required: ``start``, ``close``, ``submit``, ``cancel``, ``order_status``, ``order_status_by_venue_id``,
  ``open_orders``, ``fills_since``, ``positions``, ``balance``, ``cancel_all``;
- optional (see ``capabilities``): ``updates`` — an async stream of order and fill reports as the
  venue pushes them (WebSocket), already de-duplicated against polling.

Quantities are contracts (Kalshi) or shares (Polymarket) as ``Decimal``; prices are probability-scale
``Decimal`` on the market's tick; money is ``Decimal`` dollars (pUSD on Polymarket). No float anywhere.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Literal, Protocol, runtime_checkable

from shared.orders.state import OrderStatus
from shared.prices import Venue

Side = Literal["buy", "sell"]
TimeInForce = Literal["gtc", "gtd", "ioc", "fok"]
"""``gtc`` good till cancelled; ``gtd`` good till ``expires_at``; ``ioc`` fill what you can now (Polymarket
FAK, Kalshi immediate_or_cancel); ``fok`` all now or nothing."""


@dataclass(frozen=True, slots=True)
class Capabilities:
    """What an engine supports beyond the required interface."""

    time_in_force: frozenset[TimeInForce] = frozenset({"gtc", "ioc", "fok"})
    venue_idempotency: bool = False  # the venue dedupes by client_order_id (Kalshi yes, Polymarket no)
    push_updates: bool = False  # ``updates()`` streams WebSocket order/fill reports
    dead_man_switch: bool = False  # the venue cancels our orders if we stop heart-beating


@dataclass(frozen=True, slots=True)
class OrderRequest:
    """A limit order to place.

    ``client_order_id`` is the idempotency key: derived before sending, persisted in the engine's
    journal and reused on every retry. ``outcome_id`` is ``yes``/``no`` on Kalshi and the token id on
    Polymarket. ``tick_size`` and ``min_size`` are checked before anything is sent when given (engines
    also look them up from the venue).
    """

    client_order_id: str
    market_id: str
    outcome_id: str
    side: Side
    limit_price: Decimal
    quantity: Decimal
    time_in_force: TimeInForce = "gtc"
    expires_at: datetime | None = None
    post_only: bool = False
    tick_size: Decimal | None = None
    min_size: Decimal | None = None


@dataclass(frozen=True, slots=True)
class FillReport:
    """One fill of one of our orders; unique by ``(venue_trade_id, client_order_id)``."""

    venue_trade_id: str
    client_order_id: str
    venue_order_id: str | None
    price: Decimal
    quantity: Decimal
    fee: Decimal
    liquidity: Literal["maker", "taker"]
    ts: datetime
    market_id: str = ""
    outcome_id: str = ""
    side: Side = "buy"
    provisional: bool = False  # Polymarket MATCHED but not yet CONFIRMED on chain


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
    market_id: str = ""
    outcome_id: str = ""
    side: Side = "buy"
    limit_price: Decimal | None = None
    venue_status: str | None = None  # the venue's own word (e.g. Polymarket ``delayed``)

    @property
    def remaining(self) -> Decimal:
        """Quantity still open (0 once terminal)."""
        return self.quantity - self.filled_quantity


@dataclass(frozen=True, slots=True)
class Accepted:
    """The venue has the order (resting, partly or wholly filled, or delayed)."""

    report: OrderReport

    @property
    def client_order_id(self) -> str:
        """The order's idempotency key."""
        return self.report.client_order_id


@dataclass(frozen=True, slots=True)
class Rejected:
    """A definitive refusal; nothing rests. ``sent`` is False when we refused before contacting the venue."""

    reason: str
    code: str = "rejected"
    client_order_id: str = ""
    sent: bool = True


@dataclass(frozen=True, slots=True)
class Unknown:
    """The outcome is not known (timeout or transport error after sending): resolve from venue evidence."""

    reason: str
    client_order_id: str = ""
    venue_order_id: str | None = None  # e.g. the expected Polymarket order hash


OrderResult = Accepted | Rejected | Unknown
SubmitOutcome = OrderResult


@dataclass(frozen=True, slots=True)
class FillPage:
    """Fills in time order and a cursor to continue from (``None`` when the venue has no cursor)."""

    fills: tuple[FillReport, ...]
    cursor: str | None = None


@dataclass(frozen=True, slots=True)
class PositionReport:
    """A position at the venue: ``quantity`` of ``outcome_id`` held (never negative here)."""

    market_id: str
    outcome_id: str
    quantity: Decimal
    cost: Decimal | None = None
    realized_pnl: Decimal | None = None
    fees_paid: Decimal | None = None


@dataclass(frozen=True, slots=True)
class BalanceReport:
    """Cash at the venue, in dollars (pUSD on Polymarket)."""

    available: Decimal
    total: Decimal | None = None
    currency: Literal["USD", "pUSD"] = "USD"


@runtime_checkable
class ExecutionEngine(Protocol):
    """An engine for one venue; ``paper`` says whether money is real."""

    venue: Venue
    paper: bool
    capabilities: Capabilities

    async def start(self) -> None:
        """Run start-up checks (clock, credentials, eligibility, exchange status) and open feeds.

        Raises a :class:`shared.errors.VenueError` subclass when trading must not begin.
        """
        ...

    async def close(self) -> None:
        """Stop feeds and release connections (resting orders stay at the venue)."""
        ...

    async def submit(self, request: OrderRequest) -> OrderResult:
        """Place a limit order, idempotent by ``client_order_id``."""
        ...

    async def cancel(self, client_order_id: str) -> OrderReport | None:
        """Cancel what is left of an order; ``None`` if the venue does not know it."""
        ...

    async def order_status(self, client_order_id: str) -> OrderReport | None:
        """The order as the venue sees it, by our id; ``None`` if unknown there."""
        ...

    async def order_status_by_venue_id(self, venue_order_id: str) -> OrderReport | None:
        """The order as the venue sees it, by the venue's id."""
        ...

    async def open_orders(self, market_id: str | None = None) -> list[OrderReport]:
        """Our resting orders (in one market when given)."""
        ...

    async def fills_since(self, since: datetime | None = None, cursor: str | None = None) -> FillPage:
        """Our fills after ``since`` (or after ``cursor``), oldest first."""
        ...

    async def positions(self, market_id: str | None = None) -> list[PositionReport]:
        """Our positions at the venue (in ``market_id`` only, when given: one read of one market)."""
        ...

    async def balance(self) -> BalanceReport:
        """Our cash at the venue."""
        ...

    async def cancel_all(self, market_id: str | None = None) -> list[str]:
        """Cancel every resting order (in one market when given); returns the cancelled client order ids."""
        ...

    def updates(self) -> AsyncIterator[OrderReport | FillReport]:
        """Order and fill reports as the venue pushes them (optional: ``capabilities.push_updates``)."""
        ...
