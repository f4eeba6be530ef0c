"""Order flow: the approved intent (a command), our denial, venue updates and fills (events)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from shared.messages.base import Message, UtcDatetime
from shared.messages.signals import Side
from shared.orders.state import OrderStatus
from shared.prices import Money, Price, Quantity, Venue

TimeInForce = Literal["gtc", "ioc", "fok", "gtd"]


class SubmitOrder(Message):
    """An order intent that passed the risk gate: execution must place it exactly once.

    ``client_order_id`` is derived before sending and reused on every retry (the idempotency key).
    ``expires_at`` is the signal's expiry (``None``: none given; execution then reads the signal's own);
    an intent that reaches execution after it is not sent. ``reduce_only`` marks an order that only sells
    down a position we hold: it is the one kind of order (besides cancels) sent while trading is halted.
    """

    type: Literal["submit_order"] = "submit_order"
    schema_version: Literal[1] = 1
    intent_id: str = Field(min_length=1)
    client_order_id: str = Field(min_length=1, max_length=64)
    signal_id: str = Field(min_length=1)
    strategy: str
    game_id: str
    venue: Venue
    market_id: str = Field(min_length=1)
    outcome_id: str = Field(min_length=1)
    side: Side
    limit_price: Price
    quantity: Quantity = Field(gt=0)
    time_in_force: TimeInForce = "ioc"
    tick_size: Price
    expires_at: UtcDatetime | None = None
    reduce_only: bool = False


class OrderDenied(Message):
    """Our own risk gate refused an intent; nothing was sent to a venue."""

    type: Literal["order_denied"] = "order_denied"
    schema_version: Literal[1] = 1
    intent_id: str
    signal_id: str
    game_id: str
    venue: Venue
    market_id: str
    outcome_id: str
    reason_code: str
    reason: str


class OrderUpdated(Message):
    """An order's status or fill progress changed, as the venue (or paper engine) reports it."""

    type: Literal["order_updated"] = "order_updated"
    schema_version: Literal[1] = 1
    client_order_id: str
    venue_order_id: str | None = None
    venue: Venue
    market_id: str
    outcome_id: str
    side: Side
    status: OrderStatus
    limit_price: Price
    quantity: Quantity
    filled_quantity: Quantity
    avg_fill_price: Price | None = None
    reason: str | None = None
    paper: bool


class OrderFilled(Message):
    """A fill: unique by ``(venue, venue_trade_id, client_order_id)``; applied once, whatever the source."""

    type: Literal["order_filled"] = "order_filled"
    schema_version: Literal[1] = 1
    client_order_id: str
    venue_order_id: str | None
    venue_trade_id: str = Field(min_length=1)
    venue: Venue
    game_id: str
    market_id: str
    outcome_id: str
    side: Side
    price: Price
    quantity: Quantity = Field(gt=0)
    fee: Money
    liquidity: Literal["maker", "taker"]
    paper: bool
