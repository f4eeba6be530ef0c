"""The fast market-frame decoder against the exact parser: same events, same refusals, per-message drops."""

from __future__ import annotations

import ast
import json
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from markets.polymarket import parsing
from markets.polymarket.market_frames import decode_market_frame
from markets.polymarket.types import BookEvent, LastTradePriceEvent, PriceChangeEvent, TickSizeChangeEvent

POLYPY = Path(__file__).resolve().parents[2] / "contract" / "polymarket" / "resources" / "ws" / "clob_ws_polypy"
ASSET, OTHER, MARKET = "1001", "1002", "0xabc"

CHANGE: dict[str, Any] = {
    "event_type": "price_change",
    "market": MARKET,
    "timestamp": "1767225600000",
    "price_changes": [
        {"asset_id": ASSET, "price": "0.45", "size": "12.5", "side": "BUY", "hash": "h1", "best_bid": "0.45",
         "best_ask": "0.46"},
        {"asset_id": OTHER, "price": "0.55", "size": "0", "side": "SELL", "hash": "h2", "best_bid": "0.54",
         "best_ask": ""},
    ],
}  # fmt: skip
BOOK: dict[str, Any] = {
    "event_type": "book",
    "market": MARKET,
    "asset_id": ASSET,
    "timestamp": "1767225600000",
    "hash": "h",
    "bids": [{"price": "0.40", "size": "10"}, {"price": "0.45", "size": "5"}],
    "asks": [{"price": "0.6", "size": "7"}],
    "tick_size": "0.01",
    "last_trade_price": "0.5",
}
TRADE: dict[str, Any] = {
    "event_type": "last_trade_price",
    "asset_id": ASSET,
    "market": MARKET,
    "price": "0.45",
    "size": "3",
    "side": "BUY",
    "fee_rate_bps": "0",
    "timestamp": "1767225600001",
    "transaction_hash": "0xdead",
}
ODD_VALUES: list[Any] = [None, 1, 1.5, True, "", "abc", "-0.5", "NaN", [], {}]


def _recorded_frames() -> list[str]:
    frames = [line for path in sorted((POLYPY / "jsonl").glob("*.jsonl")) for line in path.read_text().splitlines()]
    sequence = json.loads((POLYPY / "jsonl" / "messages_hash_sequence.json").read_text())
    frames += [json.dumps(item["message"]) for item in sequence]
    for path in sorted((POLYPY / "raw").glob("test_server_*.txt")):
        frames += [json.dumps(ast.literal_eval(line)) for line in path.read_text().splitlines() if line.strip()]
    return frames + [(POLYPY / "raw" / "ws_msg_book_yes.json").read_text()]


def _exact(text: str) -> list[Any] | type[parsing.WireError]:
    try:
        return list(parsing.market_frame(text))
    except parsing.WireError:
        return parsing.WireError


def _same_as_exact(message: Any) -> None:
    text = json.dumps(message)
    decoded = decode_market_frame(text)
    exact = _exact(text)
    if exact is parsing.WireError:
        assert decoded.events == [] and len(decoded.errors) == 1, text
    else:
        assert decoded.events == exact and decoded.errors == [], text


def test_every_recorded_frame_decodes_as_the_exact_parser_does() -> None:
    frames = _recorded_frames()
    assert len(frames) > 50
    for frame in frames:
        decoded = decode_market_frame(frame)
        assert decoded.errors == [] and decoded.events == parsing.market_frame(frame), frame[:80]


def test_the_current_shapes_decode_to_domain_events() -> None:
    (change,) = decode_market_frame(json.dumps(CHANGE)).events
    assert isinstance(change, PriceChangeEvent) and change.timestamp_text == "1767225600000"
    first, second = change.changes
    assert (first.asset_id, first.side, first.level.size, first.hash, first.best_ask) == (
        ASSET, "BUY", Decimal("12.5"), "h1", Decimal("0.46"),
    )  # fmt: skip
    assert second.level.size == 0 and second.best_ask is None
    (book,) = decode_market_frame(json.dumps([BOOK])).events
    assert isinstance(book, BookEvent) and book.snapshot.bids[0].price_text == "0.40"
    (trade,) = decode_market_frame(json.dumps(TRADE)).events
    assert isinstance(trade, LastTradePriceEvent) and trade.price == Decimal("0.45") and trade.side == "BUY"


@pytest.mark.parametrize("field", ["asset_id", "price", "size", "side", "hash", "best_bid", "best_ask"])
@pytest.mark.parametrize("value", ODD_VALUES, ids=repr)
def test_an_odd_price_change_item_field_is_decided_as_the_exact_parser_decides(field: str, value: Any) -> None:
    items = [dict(CHANGE["price_changes"][0]) | {field: value}, CHANGE["price_changes"][1]]
    _same_as_exact(CHANGE | {"price_changes": items})
    missing = {k: v for k, v in CHANGE["price_changes"][0].items() if k != field}
    _same_as_exact(CHANGE | {"price_changes": [missing]})


@pytest.mark.parametrize("field", ["market", "timestamp", "price_changes", "asset_id", "hash", "changes"])
@pytest.mark.parametrize("value", ODD_VALUES, ids=repr)
def test_an_odd_price_change_field_is_decided_as_the_exact_parser_decides(field: str, value: Any) -> None:
    _same_as_exact(CHANGE | {field: value})


@pytest.mark.parametrize(
    "field",
    ["market", "asset_id", "timestamp", "hash", "bids", "asks", "min_order_size", "tick_size", "neg_risk",
     "last_trade_price"],
)  # fmt: skip
@pytest.mark.parametrize("value", [*ODD_VALUES, [{"price": 0.5, "size": "1"}], [{"price": "0.5"}], ["x"]], ids=repr)
def test_an_odd_book_field_is_decided_as_the_exact_parser_decides(field: str, value: Any) -> None:
    _same_as_exact(BOOK | {field: value})
    _same_as_exact({k: v for k, v in BOOK.items() if k != field})


@pytest.mark.parametrize("field", list(TRADE))
@pytest.mark.parametrize("value", ODD_VALUES, ids=repr)
def test_an_odd_last_trade_field_is_decided_as_the_exact_parser_decides(field: str, value: Any) -> None:
    _same_as_exact(TRADE | {field: value})


def test_numbers_where_strings_belong_keep_their_exact_text() -> None:
    """A JSON number takes the exact path (orjson would make it a float and lose "0.50")."""
    text = '{"event_type":"book","market":"0xabc","asset_id":1001,"timestamp":1767225600000,"hash":"h",' \
        '"bids":[{"price":0.50,"size":10}],"asks":[]}'  # fmt: skip
    (event,) = decode_market_frame(text).events
    assert isinstance(event, BookEvent) and event.snapshot.bids[0].price_text == "0.50"
    assert event.snapshot.asset_id == "1001" and event == parsing.market_frame(text)[0]


def test_json_orjson_refuses_goes_the_exact_way_and_tick_changes_are_understood() -> None:
    big = '{"event_type":"tick_size_change","asset_id":"1","market":"m","old_tick_size":"0.01",' \
        '"new_tick_size":"0.001","timestamp":123456789012345678901234567890}'  # fmt: skip
    (event,) = decode_market_frame(big).events
    assert isinstance(event, TickSizeChangeEvent) and event.timestamp_text == "123456789012345678901234567890"
    assert decode_market_frame('{"event_type":"book","bids":NaN}').errors  # json accepts NaN; the schema does not
    assert decode_market_frame('{"event_type":"new_market","id":"1"}').events == []


def test_a_malformed_message_in_a_burst_is_dropped_alone() -> None:
    bad_price = dict(CHANGE["price_changes"][0]) | {"price": "abc"}
    frame = json.dumps([CHANGE, CHANGE | {"price_changes": [bad_price]}, "not an object", BOOK, TRADE])
    decoded = decode_market_frame(frame)
    assert [type(e) for e in decoded.events] == [PriceChangeEvent, BookEvent, LastTradePriceEvent]
    assert len(decoded.errors) == 2 and all(isinstance(e, parsing.WireError) for e in decoded.errors)


def test_a_frame_that_is_not_json_is_one_error() -> None:
    decoded = decode_market_frame('{"event_type": "price_change",')
    assert decoded.events == [] and len(decoded.errors) == 1


def test_json_nested_beyond_the_parsers_stacks_is_an_error_not_a_crash() -> None:
    """Deep nesting never reaches the stdlib parser, which would overflow the C stack under a raised limit."""
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(100_000)  # what py_ecc (imported by eth-account) sets in every fleet process
    try:
        assert len(decode_market_frame("[" * 100_000 + "]" * 100_000).errors) == 1
        assert len(decode_market_frame('{"a":' * 50_000 + "1" + "}" * 50_000).errors) == 1
        deep_bids = {"event_type": "book", "market": MARKET, "asset_id": ASSET, "asks": []}
        head = json.dumps([CHANGE]).removesuffix("]") + "," + json.dumps(deep_bids).removesuffix("}") + ',"bids":'
        too_deep = decode_market_frame(head + "[" * 3000 + "]" * 3000 + "}]")  # beyond orjson: the whole frame
        assert too_deep.events == [] and len(too_deep.errors) == 1
        deep = decode_market_frame(head + "[" * 900 + "]" * 900 + "}]")  # parsed, but no book: that message
        assert [type(e) for e in deep.events] == [PriceChangeEvent] and len(deep.errors) == 1
    finally:
        sys.setrecursionlimit(limit)
