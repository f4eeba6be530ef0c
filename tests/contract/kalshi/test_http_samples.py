"""Every recorded Kalshi REST response the client consumes parses, with the values asserted.

Samples: the real Nov-2025 demo cassettes (legacy era: integer cents plus ``*_dollars``), routed to
their parser by the request recorded in ``_index.json``; error bodies go through the error mapping.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from markets.kalshi import parsing as p
from markets.kalshi import schemas as w
from markets.kalshi.errors import error_from_response, parse_error_body
from shared.errors import Ambiguous, Rejected

D = Decimal
HTTP = Path(__file__).parent / "resources" / "http"
CASSETTES = HTTP / "demo_2025-11_cassettes"
INDEX = json.loads((CASSETTES / "_index.json").read_text())
# Order-group listings are not consumed by the client (order groups are not implemented yet); their error
# bodies still go through the error mapping below.
CONSUMED = [e for e in INDEX if not (e["url"].split("?")[0].endswith("/order_groups") and e["status"] < 400)]


def _load(name: str) -> Any:
    return json.loads((CASSETTES / name).read_text())


def _route(method: str, path: str) -> tuple[type[Any], Any] | None:
    table: list[tuple[str, str, type[Any], Any]] = [
        ("GET", r"^/exchange/status$", w.ExchangeStatus, p.parse_exchange_status),
        ("GET", r"^/markets$", w.MarketsPage, p.parse_markets_page),
        ("GET", r"^/markets/trades$", w.TradesPage, p.parse_trades_page),
        ("GET", r"^/markets/[^/]+/orderbook$", w.OrderbookResponse, lambda raw: p.parse_orderbook("T", raw)),
        ("GET", r"^/markets/[^/]+$", w.MarketResponse, lambda raw: p.parse_market(raw.market)),
        ("GET", r"^/events$", w.EventsPage, p.parse_events_page),
        ("GET", r"^/portfolio/balance$", w.Balance, p.parse_balance),
        ("GET", r"^/portfolio/orders$", w.OrdersPage, p.parse_orders_page),
        ("GET", r"^/portfolio/fills$", w.FillsPage, p.parse_fills_page),
        ("GET", r"^/portfolio/positions$", w.PositionsPage, p.parse_positions_page),
    ]
    for m, pattern, model, parser in table:
        if m == method and re.match(pattern, path):
            return model, parser
    return None


def _path(url: str) -> str:
    return url.split("/trade-api/v2", 1)[1].split("?", 1)[0]


def test_only_order_group_listings_are_left_out() -> None:
    left_out = sorted(e["file"] for e in INDEX if e not in CONSUMED)
    assert left_out == ["get_portfolio_order_groups__200.json", "get_portfolio_order_groups__200__2.json"]


@pytest.mark.parametrize("entry", CONSUMED, ids=[e["file"] for e in CONSUMED])
def test_every_cassette_parses_or_maps_to_an_error(entry: dict[str, Any]) -> None:
    path, status, body = _path(entry["url"]), entry["status"], (CASSETTES / entry["file"]).read_bytes()
    if status >= 400:
        error = error_from_response(status, body, mutating=entry["method"] != "GET")
        assert error.code == parse_error_body(body).code
        assert error.code is not None
        if status >= 500:
            assert isinstance(error, Ambiguous)  # every recorded 5xx was on a POST
        else:
            assert isinstance(error, Rejected)
        return
    if path == "/portfolio/orders/batched":
        items = json.loads(body)["orders"]
        assert [parse_error_body(json.dumps({"error": i["error"]})).code for i in items] == ["market_not_found"]
        return
    route = _route(entry["method"], path)
    assert route is not None, f"no parser for {entry['method']} {path}"
    model, parser = route
    parser(model.model_validate_json(body))


def test_market_list_legacy_values() -> None:
    page = p.parse_markets_page(w.MarketsPage.model_validate(_load("get_markets__200.json")))
    assert page.cursor == "CgwI9dmjyAYQ-OLE1AESIUtYTkNBQU1CVE9UQUwtMjVOT1YwM0JSQURTQk9OLTE1MQ"
    first = page.items[0]
    assert first.ticker == "KXQUICKSETTLE-25NOV03H1620-3"
    assert (first.status, first.status_raw, first.result) == ("active", "open", None)
    assert (first.yes_bid, first.yes_ask, first.no_bid, first.no_ask) == (
        Decimal("0.5"), Decimal("0.96"), Decimal("0.04"), Decimal("0.5"),
    )  # fmt: skip
    assert first.volume == Decimal(85) and first.open_interest == Decimal(67)
    assert first.tick_size == Decimal("0.01") and first.price_level_structure == "linear_cent"
    assert all(isinstance(m.yes_bid, Decimal) for m in page.items)


def test_settled_and_closed_statuses_normalize() -> None:
    settled = p.parse_markets_page(w.MarketsPage.model_validate(_load("get_markets__200__11.json"))).items[0]
    assert (settled.status, settled.result) == ("finalized", "no")
    closed = p.parse_markets_page(w.MarketsPage.model_validate(_load("get_markets__200__5.json"))).items[0]
    assert closed.status == "closed" and not closed.is_open


def test_single_market_tennis() -> None:
    market = p.parse_market(
        w.MarketResponse.model_validate(_load("get_markets_KXATPMATCH_25NOV04CAZNOR_NOR__200.json")).market
    )
    assert market.event_ticker == "KXATPMATCH-25NOV04CAZNOR"
    assert market.no_sub_title == "Cameron Norrie"
    assert market.custom_strike == {"tennis_competitor": "b524322e-690c-4f3d-b71e-d7b7b4eb3e36"}
    assert market.no_bid == Decimal(1)


def test_orderbook_legacy_with_levels_and_null_sides() -> None:
    raw = w.OrderbookResponse.model_validate(_load("get_markets_KXQUICKSETTLE_25NOV03H1530_3_orderbook__200.json"))
    book = p.parse_orderbook("KXQUICKSETTLE-25NOV03H1530-3", raw)
    assert [(lv.price, lv.size) for lv in book.yes] == [
        (D("0.01"), D(6)), (D("0.02"), D(108)), (D("0.03"), D(137)), (D("0.63"), D(70)),
    ]  # fmt: skip
    assert [(lv.price, lv.size) for lv in book.no] == [(Decimal("0.01"), Decimal(81))]
    empty = p.parse_orderbook(
        "X", w.OrderbookResponse.model_validate(_load("get_markets_HIGHTEST_24_orderbook__200.json"))
    )
    assert empty.yes == () and empty.no == ()


def test_trades_legacy() -> None:
    page = p.parse_trades_page(w.TradesPage.model_validate(_load("get_markets_trades__200.json")))
    trade = page.items[0]
    assert trade.trade_id == "5fd44fbd-e911-730d-d3a0-b69eb3c7694a"
    assert (trade.count, trade.yes_price, trade.no_price) == (Decimal(17), Decimal("0.78"), Decimal("0.22"))
    assert (trade.taker_outcome_side, trade.taker_book_side) == ("no", "ask")
    assert trade.created_time is not None and trade.created_time.microsecond == 351361
    empty = p.parse_trades_page(w.TradesPage.model_validate(_load("get_markets_trades__200__3.json")))
    assert empty.items == () and empty.cursor is None


def test_orders_legacy_direction_and_prices() -> None:
    orders = p.parse_orders_page(w.OrdersPage.model_validate(_load("get_portfolio_orders__200.json"))).items
    buy_yes, sell_no = orders[0], orders[1]
    assert (buy_yes.book_side, buy_yes.outcome_side, buy_yes.yes_price) == ("bid", "yes", Decimal("0.01"))
    assert buy_yes.client_order_id == "4c279d31-2766-4182-8e8a-3eba3bd154b6"
    assert (buy_yes.initial_count, buy_yes.remaining_count, buy_yes.status) == (Decimal(1), Decimal(1), "resting")
    # Selling NO at 0.99 is buying YES at 0.01: the same (bid) side of the one book.
    assert (sell_no.book_side, sell_no.yes_price) == ("bid", Decimal("0.01"))
    empty_cid = p.parse_orders_page(w.OrdersPage.model_validate(_load("get_portfolio_orders__200__3.json"))).items[0]
    assert empty_cid.client_order_id is None and empty_cid.initial_count == Decimal(5)


def test_fill_legacy_fixed_prices() -> None:
    fill = p.parse_fills_page(w.FillsPage.model_validate(_load("get_portfolio_fills__200.json"))).items[0]
    assert fill.trade_id == "d6da71e6-23b6-7b8e-58ce-7853fcc20218"
    assert fill.ticker == "KXQUICKSETTLE-25NOV03H1510-3"
    assert (fill.book_side, fill.yes_price, fill.count, fill.is_taker) == ("bid", Decimal("0.01"), Decimal(1), False)
    assert fill.ts is not None and int(fill.ts.timestamp()) == 1762200184


def test_positions_and_balance_legacy() -> None:
    positions = p.parse_positions_page(w.PositionsPage.model_validate(_load("get_portfolio_positions__200.json")))
    first = positions.items[0]
    assert first.ticker == "KXATPMATCH-25NOV04CAZNOR-NOR" and first.position == 0
    balance = p.parse_balance(w.Balance.model_validate(_load("get_portfolio_balance__200.json")))
    assert (balance.balance, balance.portfolio_value) == (Decimal("9.79"), Decimal(0))


def test_events_page_and_exchange_status() -> None:
    page = p.parse_events_page(w.EventsPage.model_validate(_load("get_events__200.json")))
    assert page.items[0].event_ticker == "KXELONMARS-99" and page.cursor == "CgYI8KvX-AYSDUdPVlBBUlRZREUtMjg"
    status = p.parse_exchange_status(w.ExchangeStatus.model_validate(_load("get_exchange_status__200.json")))
    assert status.exchange_active and status.trading_active and status.estimated_resume_time is None


def test_real_error_bodies() -> None:
    floor = error_from_response(400, (CASSETTES / "post_portfolio_orders__400.json").read_bytes(), mutating=True)
    assert isinstance(floor, Rejected) and floor.code == "invalid_order"
    assert "sell_position_floor must be 0" in str(floor)
    unavailable = error_from_response(503, (CASSETTES / "post_portfolio_orders__503.json").read_bytes(), mutating=True)
    assert isinstance(unavailable, Ambiguous) and unavailable.code == "service_unavailable"
    missing = error_from_response(
        404, (CASSETTES / "get_markets_INVALID_TICKER_XXX__404.json").read_bytes(), mutating=False
    )
    assert isinstance(missing, Rejected) and missing.code == "not_found"
