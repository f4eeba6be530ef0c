"""Recorded CLOB WebSocket frames and REST books: parsing, and the book hash against the venue's own hashes."""

from __future__ import annotations

import ast
import json
from decimal import Decimal
from pathlib import Path

import pytest

from markets.polymarket import parsing
from markets.polymarket.book import BookState, LocalBook
from markets.polymarket.hashing import book_hash
from markets.polymarket.types import (
    BookEvent,
    BookSnapshot,
    LastTradePriceEvent,
    OrderUpdate,
    PriceChangeEvent,
    TickSizeChangeEvent,
    TradeUpdate,
)

WS = Path(__file__).parent / "resources" / "ws"
POLYPY = WS / "clob_ws_polypy"
SEQUENCE = json.loads((POLYPY / "jsonl" / "messages_hash_sequence.json").read_text())
JSONL = sorted((POLYPY / "jsonl").glob("*.jsonl"))
RAW_FRAMES = sorted((POLYPY / "raw").glob("test_server_*.txt"))


def _levels(book: BookSnapshot, side: str) -> list[tuple[str, str]]:
    return [(lv.price_text, lv.size_text) for lv in (book.bids if side == "bids" else book.asks)]


def test_our_hash_reproduces_every_recorded_rest_book_hash() -> None:
    rest = [parsing.book(item["message"]) for item in SEQUENCE if "event_type" not in item["message"]]
    assert len(rest) == 2
    for book in rest:
        assert book.hash == book_hash(
            market=book.market,
            asset_id=book.asset_id,
            timestamp=book.timestamp_text,
            bids=_levels(book, "bids"),
            asks=_levels(book, "asks"),
            min_order_size=book.min_order_size or "",
            tick_size=book.tick_size or "",
            neg_risk=bool(book.neg_risk),
        )


def test_local_book_follows_the_recorded_sequence_with_every_hash_verified() -> None:
    """WS book -> price_change -> REST book, twice: each price_change hash must match our rebuilt book."""
    first_rest = parsing.book(SEQUENCE[2]["message"])
    book = LocalBook(first_rest.asset_id)
    # The WS book carries no min_order_size/neg_risk; the REST snapshot teaches them (as the feed does).
    book.load(first_rest)
    initial = parsing.market_frame(json.dumps(SEQUENCE[0]["message"]))
    assert isinstance(initial[0], BookEvent)
    assert book.load(initial[0].snapshot) is True and book.state is BookState.FRESH
    for index in (1, 3):
        (event,) = parsing.market_frame(json.dumps(SEQUENCE[index]["message"]))
        assert isinstance(event, PriceChangeEvent)
        ours = [c for c in event.changes if c.asset_id == book.asset_id]
        assert book.apply_changes(ours, event.timestamp_text) is True
        assert book.state is BookState.FRESH and book.hash_mismatches == 0
        rest = parsing.book(SEQUENCE[index + 1]["message"])
        assert book.same_levels(rest) and rest.hash == book.hash


def test_a_wrong_price_change_is_caught_by_the_hash() -> None:
    rest = parsing.book(SEQUENCE[2]["message"])
    book = LocalBook(rest.asset_id)
    book.load(parsing.book(SEQUENCE[0]["message"] | {"min_order_size": "5", "tick_size": "0.01", "neg_risk": False}))
    (event,) = parsing.market_frame(json.dumps(SEQUENCE[1]["message"]))
    assert isinstance(event, PriceChangeEvent)
    tampered = [c for c in event.changes if c.asset_id == book.asset_id]
    bad = parsing.level(tampered[0].level.price_text, "1")  # not the size the venue had
    tampered = [type(tampered[0])(c.asset_id, c.side, bad, c.hash, c.best_bid, c.best_ask) for c in tampered]
    assert book.apply_changes(tampered, event.timestamp_text) is False
    assert book.state is BookState.OUT_OF_SYNC


@pytest.mark.parametrize("path", JSONL, ids=lambda p: p.name)
def test_every_jsonl_frame_parses_objects_and_arrays(path: Path) -> None:
    kinds: set[str] = set()
    for line in path.read_text().splitlines():
        events = parsing.market_frame(line)
        assert events, line[:80]
        kinds |= {type(e).__name__ for e in events}
    assert "BookEvent" in kinds


@pytest.mark.parametrize("path", RAW_FRAMES, ids=lambda p: p.name)
def test_raw_python_literal_frames_parse_like_their_jsonl_conversion(path: Path) -> None:
    jsonl = (POLYPY / "jsonl" / path.with_suffix(".jsonl").name).read_text().splitlines()
    raw = [line for line in path.read_text().splitlines() if line.strip()]
    assert len(raw) == len(jsonl)
    for literal, converted in zip(raw, jsonl, strict=True):
        assert parsing.market_frame(json.dumps(ast.literal_eval(literal))) == parsing.market_frame(converted)


def test_frames_apply_to_local_books_in_order() -> None:
    books: dict[str, LocalBook] = {}
    for line in (POLYPY / "jsonl" / "test_server_multi_book.jsonl").read_text().splitlines():
        for event in parsing.market_frame(line):
            if isinstance(event, BookEvent):
                books.setdefault(event.snapshot.asset_id, LocalBook(event.snapshot.asset_id)).load(event.snapshot)
            elif isinstance(event, PriceChangeEvent):
                for change in event.changes:
                    if change.asset_id in books:
                        books[change.asset_id].apply_changes([change], event.timestamp_text)
            elif isinstance(event, LastTradePriceEvent) and event.asset_id in books:
                books[event.asset_id].apply_last_trade(event)
    assert len(books) >= 2
    for book in books.values():
        bid, ask = book.best_bid(), book.best_ask()
        assert bid is not None and ask is not None and bid.price < ask.price


def test_tick_size_change_and_last_trade_frames() -> None:
    lines = (POLYPY / "jsonl" / "test_server_messages.jsonl").read_text().splitlines()
    events = [e for line in lines for e in parsing.market_frame(line)]
    ticks = [e for e in events if isinstance(e, TickSizeChangeEvent)]
    trades = [e for e in events if isinstance(e, LastTradePriceEvent)]
    assert ticks and ticks[0].new_tick_size != ticks[0].old_tick_size
    assert trades and all(isinstance(t.price, Decimal) for t in trades)


def test_ws_book_recorded_as_plain_object_parses() -> None:
    text = (POLYPY / "raw" / "ws_msg_book_yes.json").read_text()
    (event,) = parsing.market_frame(text)
    assert isinstance(event, BookEvent) and event.snapshot.hash == "c298a90870afa056768fc82bf5217c9aa8665284"
    assert event.snapshot.asks[-1].price == Decimal("0.254")  # best ask is the LAST element


@pytest.mark.parametrize(
    ("name", "event", "status", "matched"),
    [
        ("placement", "PLACEMENT", "LIVE", Decimal(0)),
        ("unmatched", "UPDATE", "UNMATCHED", Decimal(0)),
        ("update", "UPDATE", "MATCHED", Decimal(5)),
    ],
)
def test_user_channel_order_payloads(name: str, event: str, status: str, matched: Decimal) -> None:
    order = parsing.order(parsing.loads((POLYPY / "raw" / f"test_order_info_maker_buy_{name}.json").read_bytes()))
    assert isinstance(order, OrderUpdate)
    assert order.side == "BUY" and order.price == Decimal("0.56") and order.original_size == Decimal(5)
    assert (order.event, order.status, order.size_matched) == (event, status, matched)
    assert order.remaining == Decimal(5) - matched


@pytest.mark.parametrize("path", sorted((POLYPY / "raw").glob("test_trade_info_*.json")), ids=lambda p: p.name)
def test_user_channel_trade_payloads(path: Path) -> None:
    trade = parsing.trade(parsing.loads(path.read_bytes()))
    assert isinstance(trade, TradeUpdate)
    assert trade.status in ("MATCHED", "CONFIRMED") and trade.maker_orders
    assert sum(m.matched_amount for m in trade.maker_orders) == trade.size
    assert isinstance(trade.match_time, int)


def test_official_asyncapi_examples() -> None:
    examples = json.loads((WS / "ws_official_asyncapi_examples" / "polymarket_wss_asyncapi_examples.json").read_text())
    market_events, user_events, subscriptions = [], [], 0
    for item in examples:
        body = item["example"]
        if "event_type" not in body:
            subscriptions += 1
            continue
        if item["source_doc"].endswith("user.md"):
            user_events.append(parsing.user_message(body))
        else:
            market_events.append(parsing.market_message(body))
    assert subscriptions == 4
    kinds = [type(e).__name__ for e in market_events if e is not None]
    assert kinds == [
        "BookEvent",
        "PriceChangeEvent",
        "LastTradePriceEvent",
        "TickSizeChangeEvent",
        "BestBidAskEvent",
        "MarketResolvedEvent",
    ]
    assert market_events.count(None) == 1  # new_market is not consumed
    order, trade = user_events
    assert isinstance(order, OrderUpdate) and order.created_at == 1672290687  # string timestamps here
    assert isinstance(trade, TradeUpdate) and trade.maker_orders[0].price == Decimal("0.57")
