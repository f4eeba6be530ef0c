"""The order tracker: evidence from every source folded into one order, fills once, statuses forward only."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from markets.base import FillReport, OrderReport, OrderRequest
from markets.polymarket import parsing
from markets.polymarket.execution.fills import advances, our_parts
from markets.polymarket.execution.tracker import EXTERNAL, OrderTracker
from markets.polymarket.types import PostOrderResult
from shared.fees import PolymarketFeeSchedule
from shared.orders.state import OrderStatus

KEY = "key-ours"
FUNDER = "0x00000000000000000000000000000000000000f0"
HASH = "0x" + "11" * 32
OTHER = "0x" + "22" * 32
MARKET = "0x" + "cc" * 32
TOKEN = "1234567"
FEE = PolymarketFeeSchedule(rate=Decimal("0.03"), exponent=1, taker_only=True)


def _tracker() -> OrderTracker:
    tracker = OrderTracker(lambda _token: FEE, clock=lambda: 1_800_000_000.0)
    tracker.api_key, tracker.funder = KEY, FUNDER
    return tracker


def _request(size: str = "10", coid: str = "c1") -> OrderRequest:
    return OrderRequest(coid, MARKET, TOKEN, "buy", Decimal("0.40"), Decimal(size))


def _row(status: str = "ORDER_STATUS_LIVE", matched: str = "0", order_id: str = HASH) -> Any:
    return parsing.order(
        {"id": order_id, "status": status, "owner": KEY, "market": MARKET, "asset_id": TOKEN, "side": "BUY",
         "original_size": "10", "size_matched": matched, "price": "0.4", "associate_trades": []}
    )  # fmt: skip


def _maker_trade(trade_id: str = "t1", status: str = "MATCHED", size: str = "4", order_id: str = HASH) -> Any:
    return parsing.trade(
        {"id": trade_id, "taker_order_id": OTHER, "market": MARKET, "asset_id": TOKEN, "side": "SELL", "size": size,
         "price": "0.4", "status": status, "match_time": 1_800_000_000, "owner": KEY, "trader_side": "MAKER",
         "fee_rate_bps": "300",
         "maker_orders": [{"order_id": order_id, "owner": KEY, "maker_address": FUNDER, "matched_amount": size,
                           "price": "0.4", "asset_id": TOKEN, "side": "BUY"}]}
    )  # fmt: skip


def _live(tracker: OrderTracker, size: str = "10") -> Any:
    order = tracker.add(_request(size), HASH)
    tracker.on_posted(order, PostOrderResult(success=True, order_id=HASH, status="live"))
    return order


def test_a_fill_seen_on_the_socket_and_again_over_rest_counts_once() -> None:
    tracker = _tracker()
    order = _live(tracker)
    first = tracker.on_trades([_maker_trade()])
    again = tracker.on_trades([_maker_trade()])  # the same trade from /data/trades
    assert [type(u) for u in first] == [FillReport, OrderReport] and again == []
    assert tracker.duplicates == 1 and order.filled == 4 and order.status is OrderStatus.PARTIALLY_FILLED
    confirmed = tracker.on_trades([_maker_trade(status="CONFIRMED")])
    assert len(confirmed) == 1 and isinstance(confirmed[0], FillReport) and not confirmed[0].provisional
    assert tracker.on_trades([_maker_trade(status="MATCHED")]) == []  # a stale status never goes back
    assert order.report().fills[0].provisional is False and order.filled == 4


def test_a_failed_trade_voids_the_fill_and_the_order_goes_back() -> None:
    tracker = _tracker()
    order = _live(tracker, size="4")
    tracker.on_trades([_maker_trade()])
    assert order.status is OrderStatus.FILLED
    tracker.on_order(_row("ORDER_STATUS_MATCHED", matched="4"))
    (report,) = tracker.on_trades([_maker_trade(status="FAILED")])
    assert isinstance(report, OrderReport) and report.filled_quantity == 0 and report.fills == ()
    assert report.status is OrderStatus.CANCELED  # closed at the venue, its only fill void
    assert tracker.voids == 1 and "failed" in (report.reason or "")


def test_a_stale_live_row_after_the_cancel_is_ignored() -> None:
    tracker = _tracker()
    order = _live(tracker)
    tracker.on_canceled(order)
    assert tracker.on_order(_row("ORDER_STATUS_LIVE")) == []
    assert order.status is OrderStatus.CANCELED and order.word == "canceled"
    tracker.on_trades([_maker_trade()])  # a fill that raced the cancel still counts
    assert (order.status, order.filled) == (OrderStatus.CANCELED, 4)
    tracker.on_trades([_maker_trade("t2", size="6")])  # and one that completes it makes it FILLED
    assert (order.status, order.filled) == (OrderStatus.FILLED, 10)


def test_delayed_is_pending_until_the_match() -> None:
    tracker = _tracker()
    order = tracker.add(_request(), HASH)
    (report,) = tracker.on_posted(order, PostOrderResult(success=True, order_id=HASH, status="delayed"))
    assert isinstance(report, OrderReport) and report.status is OrderStatus.ACCEPTED
    assert report.venue_status == "delayed"
    assert tracker.on_order(_row("LIVE")) == []  # the socket's LIVE during the delay changes nothing
    tracker.on_trades([_maker_trade(size="10")])
    assert order.status is OrderStatus.FILLED


def test_an_unknown_submit_resolves_when_the_venue_shows_it() -> None:
    tracker = _tracker()
    order = tracker.add(_request(), HASH)
    (unknown,) = tracker.on_ambiguous(order, "timed out")
    assert isinstance(unknown, OrderReport) and unknown.status is OrderStatus.UNKNOWN
    tracker.on_absent(order)
    assert order.misses == 1 and order.status is OrderStatus.UNKNOWN
    (seen,) = tracker.on_order(_row())
    assert isinstance(seen, OrderReport) and seen.status is OrderStatus.ACCEPTED and order.misses == 0


def test_an_order_never_shown_is_given_up_as_rejected() -> None:
    tracker = _tracker()
    order = tracker.add(_request(), HASH)
    tracker.on_ambiguous(order, "timed out")
    (report,) = tracker.on_not_found(order, "not found after 5 checks")
    assert isinstance(report, OrderReport) and report.status is OrderStatus.REJECTED


def test_a_seen_order_that_is_gone_from_rest_was_cancelled_unless_fully_filled() -> None:
    tracker = _tracker()
    order = _live(tracker)
    tracker.on_absent(order)
    assert order.status is OrderStatus.CANCELED
    second = "0x" + "44" * 32
    filled = tracker.add(_request(size="4", coid="c2"), second)
    tracker.on_posted(filled, PostOrderResult(success=True, order_id=second, status="live"))
    tracker.on_trades([_maker_trade(order_id=second)])
    tracker.on_absent(filled)
    assert filled.status is OrderStatus.FILLED


def test_cancel_requested_is_pending_cancel_until_confirmed() -> None:
    tracker = _tracker()
    order = _live(tracker)
    tracker.on_cancel_requested(order)
    assert order.status == OrderStatus.PENDING_CANCEL
    tracker.on_canceled(order)
    assert order.report().status == OrderStatus.CANCELED


def test_fills_of_orders_we_did_not_place_are_external_and_deduplicated() -> None:
    tracker = _tracker()
    foreign = "0x" + "33" * 32  # one of this key's orders, placed by another process
    (fill,) = tracker.on_trades([_maker_trade(order_id=foreign)])
    assert isinstance(fill, FillReport) and fill.client_order_id == f"{EXTERNAL}{foreign}"
    assert tracker.on_trades([_maker_trade(order_id=foreign)]) == []
    assert tracker.client_order_id_of(foreign) == f"{EXTERNAL}{foreign}"


def test_a_taker_fill_pays_the_published_fee_and_a_maker_fill_pays_none() -> None:
    tracker = _tracker()
    taker = tracker.add(_request(), HASH)
    tracker.on_posted(taker, PostOrderResult(success=True, order_id=HASH, status="matched"))
    trade = parsing.trade(
        {"id": "t9", "taker_order_id": HASH, "market": MARKET, "asset_id": TOKEN, "side": "BUY", "size": "10",
         "price": "0.55", "status": "MATCHED", "match_time": 1_800_000_000, "owner": KEY, "trader_side": "TAKER",
         "maker_orders": [{"order_id": OTHER, "owner": "someone", "matched_amount": "10", "price": "0.55"}]}
    )  # fmt: skip
    (fill,) = [u for u in tracker.on_trades([trade]) if isinstance(u, FillReport)]
    assert fill.liquidity == "taker" and fill.fee == Decimal("0.07425")  # 10 x 0.03 x 0.55 x 0.45
    assert taker.status is OrderStatus.FILLED and taker.report().avg_fill_price == Decimal("0.55")


def test_a_cross_token_trade_gives_each_of_our_maker_orders_its_own_fill() -> None:
    trade = parsing.trade(
        {"id": "t5", "taker_order_id": OTHER, "market": MARKET, "asset_id": TOKEN, "side": "BUY", "size": "6",
         "price": "0.6", "status": "MATCHED", "owner": KEY, "trader_side": "MAKER",
         "maker_orders": [
             {"order_id": "0xa1", "owner": KEY, "matched_amount": "2", "price": "0.4", "asset_id": "999",
              "side": "BUY"},
             {"order_id": "0xa2", "owner": KEY, "matched_amount": "4", "price": "0.4", "asset_id": "999",
              "side": "BUY"},
             {"order_id": "0xa3", "owner": "them", "matched_amount": "1", "price": "0.4", "asset_id": "999"}]}
    )  # fmt: skip
    parts = our_parts(trade, api_key=KEY, funder=FUNDER, known=set())
    assert [(p.order_id, p.size, p.token_id, p.liquidity) for p in parts] == [
        ("0xa1", Decimal(2), "999", "maker"),
        ("0xa2", Decimal(4), "999", "maker"),
    ]


@given(st.lists(st.sampled_from(["MATCHED", "MINED", "RETRYING", "CONFIRMED", "FAILED"]), min_size=1, max_size=8))
def test_trade_status_only_moves_forward_whatever_the_order_of_delivery(statuses: list[str]) -> None:
    current = "MATCHED"
    for status in statuses:
        if advances(current, status):
            assert current not in ("CONFIRMED", "FAILED")
            current = status
    final = [s for s in statuses if s in ("CONFIRMED", "FAILED")]
    if final:
        assert current == final[0]  # the first final status wins


@pytest.mark.parametrize("word", ["canceled", "expired"])
def test_closing_words_after_a_fill_keep_the_fills(word: str) -> None:
    tracker = _tracker()
    order = _live(tracker)
    tracker.on_trades([_maker_trade()])
    status = "ORDER_STATUS_CANCELED" if word == "canceled" else "EXPIRED"
    tracker.on_order(_row(status, matched="4"))
    assert order.filled == 4
    assert order.status is (OrderStatus.CANCELED if word == "canceled" else OrderStatus.EXPIRED)
