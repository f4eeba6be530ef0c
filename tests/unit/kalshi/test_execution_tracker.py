"""The Kalshi engine's order tracker: lifecycle-checked statuses, each fill applied once, updates streamed."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from decimal import Decimal

from markets.base import FillReport, OrderReport
from markets.kalshi.execution.tracker import OrderTracker, TrackedOrder
from markets.kalshi.models import KalshiFill, KalshiOrder, OrderAck
from shared.orders.state import OrderStatus

D = Decimal
T0 = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)


def _tracker() -> OrderTracker:
    tracker = OrderTracker()
    tracker.track(TrackedOrder("c1", "T", "yes", "buy", D("0.30"), D(10)))
    tracker.apply_ack("c1", OrderAck("o1", "c1", D(0), D(10), None, None, T0))
    return tracker


def _fill(trade: str, count: str, order: str = "o1") -> KalshiFill:
    return KalshiFill(trade, order, "T", "bid", "yes", D(count), D("0.30"), False, D(0), "c1", None, T0)


def _order(status: str, filled: str) -> KalshiOrder:
    return KalshiOrder(
        "o1", "c1", "T", status, "bid", "yes", D("0.30"), D(10), D(filled), D(10) - D(filled),  # type: ignore[arg-type]
        D(0), D(0), D(0), D(0), T0, T0, None,
    )  # fmt: skip


def test_a_fill_is_applied_once_whichever_path_brings_it() -> None:
    tracker = _tracker()
    assert tracker.apply_fill("c1", _fill("t1", "4")) is not None
    assert tracker.skip_seen(_fill("t1", "4"))  # e.g. the REST poll after the WebSocket
    assert tracker.apply_fill("c1", _fill("t1", "4")) is None
    tracked = tracker.orders["c1"]
    assert (tracked.filled, tracked.status, len(tracked.fills)) == (D(4), OrderStatus.PARTIALLY_FILLED, 1)
    assert (tracker.stats.fills_applied, tracker.stats.duplicate_fills) == (1, 2)


def test_the_same_trade_on_two_of_our_orders_is_two_fills() -> None:
    tracker = _tracker()
    tracker.track(TrackedOrder("c2", "T", "no", "buy", D("0.70"), D(5), venue_order_id="o2"))
    assert tracker.apply_fill("c1", _fill("t1", "2")) is not None
    assert tracker.apply_fill("c2", _fill("t1", "2", order="o2")) is not None
    assert tracker.stats.fills_applied == 2


def test_fills_reaching_the_quantity_fill_the_order_even_before_the_venue_says_so() -> None:
    tracker = _tracker()
    tracker.apply_fill("c1", _fill("t1", "6"))
    tracker.apply_fill("c1", _fill("t2", "4"))
    assert tracker.orders["c1"].status == OrderStatus.FILLED
    tracker.apply_order(_order("resting", "6"))  # a stale read cannot reopen it
    assert tracker.orders["c1"].status == OrderStatus.FILLED
    report = tracker.orders["c1"].report()
    assert report.avg_fill_price == D("0.30") and report.remaining == 0


def test_a_late_fill_keeps_a_cancelled_order_cancelled_and_a_stale_resting_is_ignored() -> None:
    tracker = _tracker()
    tracker.apply_order(_order("canceled", "0"))
    tracker.apply_fill("c1", _fill("t1", "3"))  # matched before the venue processed the cancel
    tracked = tracker.orders["c1"]
    assert (tracked.status, tracked.filled) == (OrderStatus.CANCELED, D(3))
    tracker.apply_order(_order("resting", "3"))
    assert tracked.status == OrderStatus.CANCELED and tracker.stats.ignored_transitions == 1


def test_unknown_resolves_only_from_evidence() -> None:
    tracker = OrderTracker()
    tracker.track(TrackedOrder("c9", "T", "yes", "buy", D("0.30"), D(10)))
    tracker.set_status("c9", OrderStatus.UNKNOWN, "timeout")
    statuses = [tracker.orders["c9"].status]
    order = KalshiOrder(
        "o9", "c9", "T", "resting", "bid", "yes", D("0.30"), D(10), D(0), D(10),
        D(0), D(0), D(0), D(0), T0, T0, None,
    )  # fmt: skip
    tracker.apply_order(order)
    statuses.append(tracker.orders["c9"].status)
    assert statuses == [OrderStatus.UNKNOWN, OrderStatus.ACCEPTED] and tracker.by_venue_id("o9") is not None


async def test_updates_are_streamed_in_order_from_the_moment_of_subscription() -> None:
    tracker = _tracker()
    updates = tracker.subscribe()  # registered now, before the first __anext__
    tracker.apply_fill("c1", _fill("t1", "4"))
    tracker.apply_fill("c1", _fill("t1", "4"))  # duplicate: nothing streamed
    tracker.apply_order(_order("canceled", "4"))
    got = [await asyncio.wait_for(anext(updates), 1) for _ in range(3)]
    assert isinstance(got[0], FillReport) and got[0].quantity == 4
    assert isinstance(got[1], OrderReport) and got[1].status == OrderStatus.PARTIALLY_FILLED
    assert isinstance(got[2], OrderReport) and got[2].status == OrderStatus.CANCELED
    await updates.aclose()  # type: ignore[attr-defined]
    assert tracker._subscribers == []


def test_an_external_order_is_adopted_with_its_direction() -> None:
    tracker = OrderTracker()
    order = KalshiOrder(
        "o5", None, "T", "resting", "ask", "no", D("0.60"), D(3), D(0), D(3), D(0), D(0), D(0), D(0), T0, T0, None,
    )  # fmt: skip
    tracked = tracker.adopt(order, "venue:o5")
    assert (tracked.outcome_id, tracked.side, tracked.limit_price, tracked.status) == (
        "no", "buy", D("0.40"), OrderStatus.ACCEPTED,
    )  # fmt: skip
