"""Pure mappings between Arbees orders and Kalshi's V2 single YES book.

An Arbees order buys or sells an outcome (``yes``/``no``) at a price on that outcome's own leg. Kalshi
V2 has one book per market on the YES leg (venues.md §1.3–1.4, docs.kalshi.com order_direction):
``bid`` = buy YES ≡ sell NO, ``ask`` = sell YES ≡ buy NO at ``1 - price``. So buy-yes at ``p`` is a bid
at ``p``, buy-no at ``p`` an ask at ``1 - p``, sell-yes at ``p`` an ask at ``p`` and sell-no at ``p`` a bid
at ``1 - p``. Everything here is exact ``Decimal`` and side-effect free.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Literal

from markets.base import FillReport, Side, TimeInForce
from markets.kalshi.models import BookSide, KalshiFill, KalshiOrder, OrderAck, OutcomeSide
from markets.kalshi.rest import TimeInForce as WireTimeInForce
from shared.orders.state import OrderStatus
from shared.prices import ONE, ZERO

WIRE_TIF: dict[TimeInForce, WireTimeInForce] = {
    "gtc": "good_till_canceled",
    "gtd": "good_till_canceled",  # GTC plus expiration_time is good-till-time on Kalshi V2
    "ioc": "immediate_or_cancel",
    "fok": "fill_or_kill",
}


def book_side(outcome: OutcomeSide, side: Side) -> BookSide:
    """The V2 ``side`` for buying or selling ``outcome``."""
    return "bid" if (outcome == "yes") == (side == "buy") else "ask"


def yes_leg(outcome: OutcomeSide, price: Decimal) -> Decimal:
    """The YES-leg price of a price quoted on ``outcome``'s leg (and back: the map is its own inverse)."""
    return price if outcome == "yes" else ONE - price


def direction_of(order: KalshiOrder) -> tuple[OutcomeSide, Side]:
    """How to describe an order we hold no intent for: a bid buys YES, an ask buys NO."""
    return ("yes", "buy") if order.book_side == "bid" else ("no", "buy")


def venue_status(order: KalshiOrder) -> OrderStatus:
    """Our status for an order as the venue reports it.

    ``resting``/``pending`` → accepted or partially filled; ``executed`` → filled; ``canceled`` → filled
    when nothing was left, expired when it was cancelled at its expiration time, else cancelled
    (keeping its partial fills).
    """
    if order.status in ("resting", "pending"):
        return OrderStatus.PARTIALLY_FILLED if order.fill_count > 0 else OrderStatus.ACCEPTED
    if order.status == "executed":
        return OrderStatus.FILLED
    if order.status == "canceled":
        if order.initial_count > 0 and order.fill_count >= order.initial_count:
            return OrderStatus.FILLED
        expiry, updated = order.expiration_time, order.last_update_time
        if expiry is not None and updated is not None and updated >= expiry:
            return OrderStatus.EXPIRED
        return OrderStatus.CANCELED
    return OrderStatus.UNKNOWN


def ack_status(ack: OrderAck, quantity: Decimal) -> OrderStatus:
    """Our status from a create answer: what rests, what filled, or what an IOC/FOK left cancelled."""
    if ack.remaining_count > 0:
        return OrderStatus.PARTIALLY_FILLED if ack.fill_count > 0 else OrderStatus.ACCEPTED
    if ack.fill_count > 0 and ack.fill_count >= quantity:
        return OrderStatus.FILLED
    return OrderStatus.CANCELED


def fill_report(
    fill: KalshiFill, *, client_order_id: str, outcome: OutcomeSide, side: Side, market_id: str | None = None
) -> FillReport:
    """A venue fill as one of our fills, priced on ``outcome``'s leg; unique by ``(trade_id, client_order_id)``."""
    liquidity: Literal["maker", "taker"] = "taker" if fill.is_taker else "maker"
    return FillReport(
        venue_trade_id=fill.trade_id,
        client_order_id=client_order_id,
        venue_order_id=fill.order_id,
        price=yes_leg(outcome, fill.yes_price),
        quantity=fill.count,
        fee=fill.fee if fill.fee is not None else ZERO,
        liquidity=liquidity,
        ts=fill.ts if fill.ts is not None else datetime.fromtimestamp(0, UTC),
        market_id=market_id or fill.ticker,
        outcome_id=outcome,
        side=side,
    )
