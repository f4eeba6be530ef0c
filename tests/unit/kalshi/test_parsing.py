"""Parsing edge cases: both status vocabularies, direction mapping, time formats, refusing bad values."""

from __future__ import annotations

from decimal import Decimal

import pytest
from pydantic import ValidationError

from markets.kalshi import parsing as p
from markets.kalshi import schemas as w


@pytest.mark.parametrize(
    ("raw", "status"),
    [("open", "active"), ("active", "active"), ("unopened", "initialized"), ("paused", "inactive"),
     ("settled", "finalized"), ("finalized", "finalized"), ("closed", "closed"), ("weird", "unknown")],
)  # fmt: skip
def test_both_status_vocabularies(raw: str, status: str) -> None:
    assert p.normalize_status(raw) == status


@pytest.mark.parametrize(
    ("side", "action", "expected"),
    [("yes", "buy", ("bid", "yes")), ("no", "sell", ("bid", "yes")), ("no", "buy", ("ask", "no")),
     ("yes", "sell", ("ask", "no"))],
)  # fmt: skip
def test_legacy_direction(side: str, action: str, expected: tuple[str, str]) -> None:
    assert p.direction(book_side=None, outcome_side=None, side=side, action=action) == expected


def test_v2_direction_wins_over_legacy_fields() -> None:
    assert p.direction(book_side="ask", outcome_side="no", side="yes", action="buy") == ("ask", "no")
    with pytest.raises(p.KalshiParseError):
        p.direction(book_side=None, outcome_side=None, side=None, action=None)


def test_times() -> None:
    parsed = p.parse_time("2025-11-03T20:28:07.351361123Z")
    assert parsed is not None and parsed.microsecond == 351361 and parsed.utcoffset() is not None
    assert p.parse_time("") is None and p.parse_time(None) is None
    with pytest.raises(p.KalshiParseError):
        p.parse_time("yesterday")
    ts = p.parse_ts_ms(1669149841000)
    assert ts is not None and ts.year == 2022


def test_bad_values_are_refused_not_guessed() -> None:
    with pytest.raises(p.KalshiParseError):
        p.price_of("1.5", None)
    with pytest.raises(p.KalshiParseError):
        p.price_of("abc", None)
    with pytest.raises(ValidationError):  # a JSON number where a price string belongs never becomes a price
        w.Market.model_validate({"ticker": "T", "event_ticker": "E", "status": "active", "yes_bid_dollars": 0.5})
    assert p.price_of(None, 42) == Decimal("0.42") and p.count_of("", None) is None


def test_fee_multiplier_number() -> None:
    assert p.parse_series(w.Series.model_validate({"ticker": "X", "fee_multiplier": 0.5})).fee_multiplier == Decimal(
        "0.5"
    )
    assert p.parse_series(w.Series.model_validate({"ticker": "X", "fee_multiplier": 1})).fee_multiplier == 1


def test_current_orderbook_with_missing_side() -> None:
    raw = w.OrderbookResponse.model_validate(
        {"orderbook_fp": {"yes_dollars": [["0.4200", "13.00"], ["0.4100", "10.00"]]}}
    )
    book = p.parse_orderbook("T", raw)
    assert [lv.price for lv in book.yes] == [Decimal("0.41"), Decimal("0.42")] and book.no == ()


def test_exchange_shard_of_markets_and_orders() -> None:
    market = w.Market.model_validate({"ticker": "M", "event_ticker": "E", "status": "active", "exchange_index": 1})
    assert p.parse_market(market).exchange_index == 1
    legacy = w.Market.model_validate({"ticker": "M", "event_ticker": "E", "status": "open"})
    assert p.parse_market(legacy).exchange_index == 0  # absent: the default shard
    order = {"order_id": "o", "ticker": "M", "status": "resting", "book_side": "bid", "outcome_side": "yes",
             "yes_price_dollars": "0.4000", "initial_count_fp": "1.00", "fill_count_fp": "0.00",
             "remaining_count_fp": "1.00"}  # fmt: skip
    assert p.parse_order(w.Order.model_validate(order | {"exchange_index": 2})).exchange_index == 2
    assert p.parse_order(w.Order.model_validate(order)).exchange_index is None


def test_balance_breakdown_per_shard() -> None:
    shards = [{"exchange_index": 0, "balance": "10.0000"}, {"exchange_index": 1, "balance": 500}]  # cents tolerated
    raw = {
        "balance": 1500,
        "balance_dollars": "15.0000",
        "portfolio_value": 0,
        "updated_ts": 1,
        "balance_breakdown": shards,
    }
    balance = p.parse_balance(w.Balance.model_validate(raw))
    assert balance.balance == Decimal(15) and balance.by_shard == {0: Decimal(10), 1: Decimal(5)}
    assert (balance.on_shard(0), balance.on_shard(1), balance.on_shard(2)) == (Decimal(10), Decimal(5), Decimal(0))
    old = p.parse_balance(w.Balance.model_validate({"balance": 979, "portfolio_value": 0, "updated_ts": 1}))
    assert old.by_shard == {} and old.on_shard(0) == Decimal("9.79") and old.on_shard(1) == 0
