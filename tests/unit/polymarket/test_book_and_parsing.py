"""Local book semantics, parsing tolerance (current and legacy shapes) and back-off."""

from __future__ import annotations

import json
import random
from decimal import Decimal
from typing import Any

import pytest

from markets.polymarket import parsing
from markets.polymarket.book import BookNotFresh, BookState, LocalBook
from markets.polymarket.hashing import book_hash
from markets.polymarket.retry import Backoff, retry_reads
from markets.polymarket.types import PriceChangeEvent
from shared.errors import Rejected, Retryable

MARKET, ASSET = "0xabc", "123"


def _book(
    bids: list[tuple[str, str]], asks: list[tuple[str, str]], ts: str = "1000", ltp: str | None = None
) -> dict[str, Any]:
    hashed = book_hash(
        market=MARKET, asset_id=ASSET, timestamp=ts, bids=bids, asks=asks, last_trade_price=ltp,
        min_order_size="5", tick_size="0.01", neg_risk=False,
    )  # fmt: skip
    body: dict[str, Any] = {"market": MARKET, "asset_id": ASSET, "timestamp": ts, "hash": hashed}
    body |= {"min_order_size": "5", "tick_size": "0.01", "neg_risk": False}
    body["bids"] = [{"price": p, "size": s} for p, s in bids]
    body["asks"] = [{"price": p, "size": s} for p, s in asks]
    if ltp is not None:
        body["last_trade_price"] = ltp
    return body


def _change(items: list[tuple[str, str, str]], expected: dict[str, Any]) -> PriceChangeEvent:
    frame = {
        "event_type": "price_change",
        "market": MARKET,
        "timestamp": expected["timestamp"],
        "price_changes": [
            {"asset_id": ASSET, "price": p, "size": s, "side": side, "hash": expected["hash"]} for p, s, side in items
        ],
    }
    (event,) = parsing.market_frame(json.dumps([frame]))
    assert isinstance(event, PriceChangeEvent)
    return event


def test_price_change_sets_new_totals_and_zero_removes() -> None:
    book = LocalBook(ASSET)
    assert book.load(parsing.book(_book([("0.4", "10"), ("0.45", "5")], [("0.6", "7"), ("0.55", "3")]))) is True
    after = _book([("0.4", "10"), ("0.45", "12")], [("0.6", "7")], ts="1001")
    event = _change([("0.45", "12", "BUY"), ("0.55", "0", "SELL")], after)
    assert book.apply_changes(event.changes, event.timestamp_text) is True
    assert book.state is BookState.FRESH and book.hash == after["hash"]
    bid, ask = book.best_bid(), book.best_ask()
    assert bid is not None and (bid.price, bid.size) == (Decimal("0.45"), Decimal(12))
    assert ask is not None and ask.price == Decimal("0.6")
    price = book.to_market_price()
    assert (price.best_bid, price.best_ask, price.venue, price.outcome_id) == (
        Decimal("0.45"), Decimal("0.6"), "polymarket", ASSET,
    )  # fmt: skip


def test_hash_mismatch_puts_the_book_out_of_sync_and_refuses_prices() -> None:
    book = LocalBook(ASSET)
    book.load(parsing.book(_book([("0.4", "10")], [("0.6", "7")])))
    wrong = _book([("0.4", "11")], [("0.6", "7")], ts="1001")
    assert book.apply_changes(_change([("0.4", "10.5", "BUY")], wrong).changes, "1001") is False
    assert book.state is BookState.OUT_OF_SYNC and book.hash_mismatches == 1
    with pytest.raises(BookNotFresh):
        book.to_market_price()
    assert book.load(parsing.book(wrong)) is True
    assert book.to_market_price().best_bid == Decimal("0.4")


def test_newer_hash_form_with_last_trade_price_is_accepted() -> None:
    book = LocalBook(ASSET)
    assert book.load(parsing.book(_book([("0.4", "10")], [("0.6", "7")], ltp="0.5"))) is True
    assert book.state is BookState.FRESH and book.last_trade_price == "0.5"


def test_stale_book_needs_a_snapshot_and_unchecked_changes_do_not_revive_it() -> None:
    book = LocalBook(ASSET)
    book.load(parsing.book(_book([("0.4", "10")], [("0.6", "7")])))
    book.mark(BookState.STALE)
    assert book.apply_changes([], "1002") is True and book.state is BookState.STALE
    assert book.same_levels(parsing.book(_book([("0.4", "10")], [("0.6", "7")], ts="999")))
    assert not book.same_levels(parsing.book(_book([("0.4", "10")], [("0.61", "7")])))


def test_legacy_price_change_format_is_understood() -> None:
    legacy = {
        "event_type": "price_change",
        "asset_id": ASSET,
        "market": MARKET,
        "hash": "h",
        "timestamp": "1",
        "changes": [{"price": "0.4", "side": "BUY", "size": "3"}, {"price": "0.6", "side": "SELL", "size": "0"}],
    }
    (event,) = parsing.market_frame(json.dumps(legacy))
    assert isinstance(event, PriceChangeEvent)
    assert [(c.asset_id, c.side, c.level.size, c.hash) for c in event.changes] == [
        (ASSET, "BUY", Decimal(3), None),
        (ASSET, "SELL", Decimal(0), "h"),
    ]


def test_gamma_string_fields_and_game_start_time() -> None:
    raw = parsing.loads(
        '{"id": 5, "conditionId": "0x1", "outcomes": "[\\"Lakers\\", \\"Celtics\\"]",'
        ' "outcomePrices": "[\\"0.42\\", \\"0.58\\"]", "clobTokenIds": "[\\"11\\", \\"22\\"]",'
        ' "orderPriceMinTickSize": 0.01, "orderMinSize": 5, "negRisk": false, "sportsMarketType": "moneyline",'
        ' "gameStartTime": "2026-11-23 19:00:00+00", "line": null, "feesEnabled": true,'
        ' "feeSchedule": {"exponent": 1, "rate": 0.03, "takerOnly": true, "rebateRate": 0.25}}'
    )
    market = parsing.gamma_market(raw)
    assert market.id == "5" and market.token_for("celtics") == "22"
    assert market.outcome_prices == (Decimal("0.42"), Decimal("0.58"))
    assert market.tick_size == Decimal("0.01") and isinstance(market.tick_size, Decimal)
    assert market.game_start_time is not None and market.game_start_time.isoformat() == "2026-11-23T19:00:00+00:00"
    assert market.fee_schedule is not None and market.fee_schedule.rate == Decimal("0.03")
    with pytest.raises(KeyError):
        market.token_for("Knicks")


def test_mismatched_token_ids_are_a_wire_error() -> None:
    with pytest.raises(parsing.WireError):
        parsing.gamma_market({"id": "1", "outcomes": '["Yes","No"]', "clobTokenIds": '["1"]'})


def test_midpoint_price_time_and_status_tolerance() -> None:
    assert parsing.midpoint({"mid": "0.0005"}) == Decimal("0.0005")
    assert parsing.midpoint({"mid_price": "0.5"}) == Decimal("0.5")
    assert parsing.price({"price": "0.19"}) == parsing.price(parsing.loads('{"price": 0.19}')) == Decimal("0.19")
    assert parsing.tick_size(parsing.loads('{"minimum_tick_size": 0.001}')) == Decimal("0.001")
    assert parsing.server_time(1_700_000_000) == parsing.server_time({"time": "1700000000"}) == 1_700_000_000
    assert parsing.normalise_status("ORDER_STATUS_LIVE") == "LIVE" and parsing.normalise_status("live") == "LIVE"
    assert parsing.from_library_number({"a": [0.1, 2]}) == {"a": [Decimal("0.1"), 2]}
    assert parsing.page({"data": [{"x": 1}], "next_cursor": "LTE="}) == ([{"x": 1}], None)


def test_floats_never_reach_a_price() -> None:
    with pytest.raises(parsing.WireError):
        parsing.level("0.5", "not-a-number")
    assert parsing.loads("[0.1]")[0] == Decimal("0.1")


async def test_reads_retry_retryable_with_backoff_and_stop_after_attempts() -> None:
    waits: list[float] = []
    calls = 0

    async def sleep(seconds: float) -> None:
        waits.append(seconds)

    async def flaky() -> str:
        nonlocal calls
        calls += 1
        if calls < 3:
            raise Retryable("429", retry_after_s=0.5)
        return "ok"

    backoff = Backoff(base_s=0.1, cap_s=2.0, attempts=5, rng=random.Random(1))
    assert await retry_reads(flaky, backoff, sleep=sleep) == "ok"
    assert calls == 3 and len(waits) == 2 and all(w >= 0.5 for w in waits)

    async def always() -> str:
        raise Retryable("503", retry_after_s=60)

    waits.clear()
    with pytest.raises(Retryable):
        await retry_reads(always, backoff, sleep=sleep)
    assert len(waits) == 4 and max(waits) <= 2.0  # the venue's hint is capped

    async def refused() -> str:
        raise Rejected("no")

    with pytest.raises(Rejected):
        await retry_reads(refused, backoff, sleep=sleep)


def test_backoff_is_bounded_and_jittered() -> None:
    backoff = Backoff(base_s=0.5, cap_s=4.0, rng=random.Random(3))
    delays = [backoff.delay(n) for n in range(10)]
    assert all(0 <= d <= 4.0 for d in delays) and len(set(delays)) == 10
