"""Pure mappings of the Kalshi engine: outcome legs onto the V2 YES book, venue statuses, fills."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from markets.kalshi.execution.mapping import ack_status, book_side, fill_report, venue_status, yes_leg
from markets.kalshi.models import KalshiFill, KalshiOrder, OrderAck
from shared.orders.state import OrderStatus

D = Decimal
T0 = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("outcome", "side", "price", "wire_side", "wire_price"),
    [
        ("yes", "buy", "0.41", "bid", "0.41"),
        ("yes", "sell", "0.41", "ask", "0.41"),
        ("no", "buy", "0.40", "ask", "0.60"),
        ("no", "sell", "0.40", "bid", "0.60"),
    ],
)
def test_outcome_orders_map_onto_the_yes_book(
    outcome: str, side: str, price: str, wire_side: str, wire_price: str
) -> None:
    assert book_side(outcome, side) == wire_side  # type: ignore[arg-type]
    assert yes_leg(outcome, D(price)) == D(wire_price)  # type: ignore[arg-type]
    assert yes_leg(outcome, yes_leg(outcome, D(price))) == D(price)  # type: ignore[arg-type]


def _order(status: str, filled: str, initial: str = "10", *, expires: datetime | None = None) -> KalshiOrder:
    return KalshiOrder(
        order_id="o1", client_order_id="c1", ticker="T", status=status, book_side="bid",  # type: ignore[arg-type]
        outcome_side="yes", yes_price=D("0.3"), initial_count=D(initial), fill_count=D(filled),
        remaining_count=D(initial) - D(filled), taker_fill_cost=D(0), maker_fill_cost=D(0), taker_fees=D(0),
        maker_fees=D(0), created_time=T0, last_update_time=T0 + timedelta(minutes=5), expiration_time=expires,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("order", "expected"),
    [
        (_order("resting", "0"), OrderStatus.ACCEPTED),
        (_order("resting", "4"), OrderStatus.PARTIALLY_FILLED),
        (_order("executed", "10"), OrderStatus.FILLED),
        (_order("canceled", "4"), OrderStatus.CANCELED),
        (_order("canceled", "10"), OrderStatus.FILLED),
        (_order("canceled", "0", expires=T0 + timedelta(minutes=1)), OrderStatus.EXPIRED),
        (_order("canceled", "0", expires=T0 + timedelta(hours=1)), OrderStatus.CANCELED),
        (_order("unknown", "0"), OrderStatus.UNKNOWN),
    ],
)
def test_venue_status(order: KalshiOrder, expected: OrderStatus) -> None:
    assert venue_status(order) == expected


@pytest.mark.parametrize(
    ("filled", "remaining", "expected"),
    [("0", "5", OrderStatus.ACCEPTED), ("2", "3", OrderStatus.PARTIALLY_FILLED), ("5", "0", OrderStatus.FILLED),
     ("2", "0", OrderStatus.CANCELED), ("0", "0", OrderStatus.CANCELED)],
)  # fmt: skip
def test_ack_status(filled: str, remaining: str, expected: OrderStatus) -> None:
    ack = OrderAck("o1", "c1", D(filled), D(remaining), None, None, None)
    assert ack_status(ack, D(5)) == expected


def test_a_fill_of_a_no_order_is_priced_on_the_no_leg() -> None:
    fill = KalshiFill("t1", "o1", "T", "ask", "no", D(2), D("0.60"), False, D("0.00"), "c1", None, T0)
    report = fill_report(fill, client_order_id="c1", outcome="no", side="buy")
    assert (report.price, report.quantity, report.liquidity, report.fee, report.outcome_id) == (
        D("0.40"), D(2), "maker", D(0), "no",
    )  # fmt: skip
