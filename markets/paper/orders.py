"""Paper order records, moved only through the shared order state machine.

Every status change goes through :func:`shared.orders.state.transition` (an illegal move raises), and a
fill is applied only if its trade id is new, so a paper order follows exactly the lifecycle a venue
order follows. Ids are deterministic: the venue order id is derived from the engine's venue and the
``client_order_id``, and the n-th fill's trade id from the ``client_order_id`` and ``n``, so a replay
produces the same ids and dedupes downstream.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from markets.base import FillReport, OrderReport, OrderRequest
from shared.messages import derive_id
from shared.orders.state import TERMINAL, OrderStatus, transition
from shared.prices import ZERO

OPEN: frozenset[OrderStatus] = frozenset({OrderStatus.ACCEPTED, OrderStatus.PARTIALLY_FILLED})


def paper_venue_order_id(venue: str, client_order_id: str) -> str:
    """The paper venue id of an order: ``paper-<uuid5(venue, client_order_id)>``."""
    return f"paper-{derive_id('paper-order', venue, client_order_id)}"


def paper_trade_id(client_order_id: str, sequence: int) -> str:
    """The trade id of the ``sequence``-th fill (1-based) of an order."""
    return f"paper-{derive_id('paper-fill', client_order_id, sequence)}"


class DuplicateFill(ValueError):
    """A fill with a trade id the order already has."""


class Overfill(ValueError):
    """A fill larger than what is left of the order."""


@dataclass
class PaperOrder:
    """One paper order and everything that happened to it.

    ``delayed_until`` (event-loop time, seconds) is set while a marketable order waits out the venue's
    sports matching delay; such an order is open but neither rests nor matches until then. The fee
    accumulators hold the exact, unrounded fee of the fills so far per liquidity (Kalshi rounds the
    order's total up to a cent).
    """

    request: OrderRequest
    venue_order_id: str
    sequence: int
    created: datetime
    status: OrderStatus = OrderStatus.SUBMITTED
    fills: list[FillReport] = field(default_factory=list)
    reason: str | None = None
    venue_status: str | None = None
    delayed_until: float | None = None
    exact_fees: dict[str, Decimal] = field(default_factory=dict)
    charged_fees: dict[str, Decimal] = field(default_factory=dict)

    @property
    def client_order_id(self) -> str:
        """The idempotency key."""
        return self.request.client_order_id

    @property
    def filled(self) -> Decimal:
        """Quantity filled so far."""
        return sum((f.quantity for f in self.fills), ZERO)

    @property
    def remaining(self) -> Decimal:
        """Quantity still to fill (0 once terminal)."""
        return ZERO if self.status in TERMINAL else self.request.quantity - self.filled

    @property
    def is_open(self) -> bool:
        """Resting, partly filled, or waiting out the matching delay."""
        return self.status in OPEN

    @property
    def is_resting(self) -> bool:
        """Open and on the book (not waiting out the matching delay)."""
        return self.is_open and self.delayed_until is None

    def move(self, status: OrderStatus, reason: str | None = None) -> None:
        """Change status through the state machine.

        Raises
        ------
        shared.orders.state.IllegalTransition
            When the lifecycle does not connect the two statuses.
        """
        self.status = transition(self.status, status)
        if reason is not None:
            self.reason = reason

    def apply(self, fill: FillReport) -> None:
        """Add a fill and move to ``PARTIALLY_FILLED`` or ``FILLED``.

        Raises
        ------
        DuplicateFill
            The trade id was already applied (nothing changes).
        Overfill
            The fill exceeds what is left (nothing changes).
        """
        if any(f.venue_trade_id == fill.venue_trade_id for f in self.fills):
            raise DuplicateFill(f"fill {fill.venue_trade_id} already applied to {self.client_order_id}")
        if fill.quantity <= 0 or self.filled + fill.quantity > self.request.quantity:
            raise Overfill(f"fill of {fill.quantity} exceeds what is left of {self.client_order_id}")
        self.fills.append(fill)
        done = self.filled == self.request.quantity
        self.move(OrderStatus.FILLED if done else OrderStatus.PARTIALLY_FILLED)

    def next_trade_id(self) -> str:
        """The deterministic trade id of the next fill."""
        return paper_trade_id(self.client_order_id, len(self.fills) + 1)

    def report(self) -> OrderReport:
        """The order as the (paper) venue sees it now."""
        filled = self.filled
        notional = sum((f.price * f.quantity for f in self.fills), ZERO)
        return OrderReport(
            client_order_id=self.client_order_id,
            venue_order_id=self.venue_order_id,
            status=self.status,
            quantity=self.request.quantity,
            filled_quantity=filled,
            avg_fill_price=notional / filled if filled > 0 else None,
            fills=tuple(self.fills),
            reason=self.reason,
            market_id=self.request.market_id,
            outcome_id=self.request.outcome_id,
            side=self.request.side,
            limit_price=self.request.limit_price,
            venue_status=self.venue_status,
        )
