"""Every Kalshi WebSocket example the client consumes: official AsyncAPI examples and a production capture."""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from markets.kalshi import parsing as p
from markets.kalshi import schemas as w
from markets.kalshi.books import LocalBook

WS = Path(__file__).parent / "resources" / "ws"
EXAMPLES: list[dict[str, Any]] = [
    e["example"] for e in json.loads((WS / "official_asyncapi" / "kalshi_asyncapi_examples.json").read_text())
]


def _of(kind: str) -> dict[str, Any]:
    return next(e for e in EXAMPLES if e.get("type") == kind)


@pytest.mark.parametrize("example", [e for e in EXAMPLES if "type" in e], ids=lambda e: str(e["type"]))
def test_every_server_example_has_an_envelope(example: dict[str, Any]) -> None:
    env = w.WsEnvelope.model_validate(example)
    assert env.type == example["type"]
    parsers: dict[str, Callable[[Any], object]] = {
        "orderbook_snapshot": lambda m: p.parse_ws_snapshot(w.WsOrderbookSnapshot.model_validate(m)),
        "orderbook_delta": lambda m: p.parse_ws_delta(w.WsOrderbookDelta.model_validate(m)),
        "ticker": lambda m: p.parse_ws_ticker(w.WsTicker.model_validate(m)),
        "trade": lambda m: p.parse_ws_trade(w.WsTrade.model_validate(m)),
        "fill": lambda m: p.parse_ws_fill(w.WsFill.model_validate(m)),
        "user_order": w.WsUserOrder.model_validate,
        "market_position": w.WsMarketPosition.model_validate,
        "subscribed": w.WsSubscribed.model_validate,
        "error": w.WsError.model_validate,
    }
    if env.type in parsers:
        parsers[env.type](env.msg)


def test_every_client_command_validates() -> None:
    commands = [w.WsCommand.model_validate(e) for e in EXAMPLES if "cmd" in e]
    assert [c.cmd for c in commands][:3] == ["subscribe", "unsubscribe", "list_subscriptions"]
    assert commands[0].params["market_ticker"] == "CPI-22DEC-TN0.1"


def test_snapshot_then_delta_builds_the_documented_book() -> None:
    snapshot_env = w.WsEnvelope.model_validate(_of("orderbook_snapshot"))
    snapshot = p.parse_ws_snapshot(w.WsOrderbookSnapshot.model_validate(snapshot_env.msg))
    assert (snapshot_env.sid, snapshot_env.seq) == (2, 2)
    assert [(lv.price, lv.size) for lv in snapshot.yes] == [
        (Decimal("0.08"), Decimal(300)),
        (Decimal("0.22"), Decimal(333)),
    ]
    book = LocalBook(snapshot.ticker)
    book.apply_snapshot(snapshot)
    assert book.best_yes_bid == Decimal("0.22") and book.best_yes_ask == Decimal("0.44")  # 1 - best NO bid 0.56
    delta_env = w.WsEnvelope.model_validate(_of("orderbook_delta"))
    delta = p.parse_ws_delta(w.WsOrderbookDelta.model_validate(delta_env.msg))
    assert delta_env.seq == 3 and (delta.side, delta.price, delta.delta) == ("yes", Decimal("0.960"), Decimal("-54.00"))


def test_ticker_trade_fill_values() -> None:
    ticker = p.parse_ws_ticker(w.WsTicker.model_validate(_of("ticker")["msg"]))
    assert (ticker.last_price, ticker.yes_bid, ticker.yes_ask) == (Decimal("0.48"), Decimal("0.45"), Decimal("0.53"))
    assert ticker.volume == Decimal("33896.00") and ticker.ts is not None
    trade = p.parse_ws_trade(w.WsTrade.model_validate(_of("trade")["msg"]))
    assert (trade.yes_price, trade.no_price, trade.count, trade.taker_book_side) == (
        Decimal("0.36"), Decimal("0.64"), Decimal(136), "ask",
    )  # fmt: skip
    fill = p.parse_ws_fill(w.WsFill.model_validate(_of("fill")["msg"]))
    assert (fill.book_side, fill.yes_price, fill.count, fill.post_position, fill.is_taker) == (
        "bid", Decimal("0.75"), Decimal(278), Decimal(500), True,
    )  # fmt: skip


def test_command_responses() -> None:
    subscribed = w.WsSubscribed.model_validate(_of("subscribed")["msg"])
    assert (subscribed.channel, subscribed.sid) == ("orderbook_delta", 1)
    error = w.WsError.model_validate(_of("error")["msg"])
    assert (error.code, error.msg) == (6, "Already subscribed")


def test_legacy_production_ticker_capture() -> None:
    raw = json.loads((WS / "captured" / "ticker_production_2024-11_legacy_cents.json").read_text())
    env = w.WsEnvelope.model_validate(raw)
    ticker = p.parse_ws_ticker(w.WsTicker.model_validate(env.msg))
    assert ticker.ticker == "KXRANKLISTGOOGLESEARCH-26JAN-BIA"
    assert (ticker.last_price, ticker.yes_bid, ticker.yes_ask) == (Decimal("0.12"), Decimal("0.11"), Decimal("0.12"))
    assert ticker.volume == Decimal(351970) and ticker.ts is not None
