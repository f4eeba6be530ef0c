"""Signals (with legs), orders (with intent and signal), fills and positions (with settlements)."""

from __future__ import annotations

from decimal import Decimal

import httpx
import pytest

from tests.integration.api.conftest import AUTH, LIVE, TICKER

pytestmark = pytest.mark.integration


async def test_signals_carry_their_legs_and_filter_by_decision(client: httpx.AsyncClient) -> None:
    page = (await client.get("/api/v1/signals", headers=AUTH)).json()
    assert [s["signal_id"] for s in page["items"]] == ["sig-2", "sig-1"] and page["next_offset"] is None
    approved = page["items"][1]
    assert approved["edge_per_contract"] == "0.050000" and approved["model_probability"] == pytest.approx(0.62)
    [leg] = approved["legs"]
    assert (leg["intent_id"], leg["decision"], leg["order_status"]) == ("int-sig-1", "approved", "filled")
    assert leg["filled_quantity"] == "10.000000" and leg["avg_fill_price"] == "0.565000"
    [denied_leg] = page["items"][0]["legs"]
    assert denied_leg["decision"] == "denied" and denied_leg["reason_code"] == "max_game_exposure"
    assert denied_leg["order_status"] is None
    only = (await client.get("/api/v1/signals", headers=AUTH, params={"decision": "denied"})).json()
    assert [s["signal_id"] for s in only["items"]] == ["sig-2"]
    first = (await client.get("/api/v1/signals", headers=AUTH, params={"limit": 1})).json()
    assert len(first["items"]) == 1 and first["next_offset"] == 1
    none = (await client.get("/api/v1/signals", headers=AUTH, params={"kind": "arbitrage"})).json()
    assert none["items"] == []
    kalshi = (await client.get("/api/v1/signals", headers=AUTH, params={"venue": "kalshi"})).json()
    assert [s["signal_id"] for s in kalshi["items"]] == ["sig-2", "sig-1"]  # both have a Kalshi leg
    elsewhere = (await client.get("/api/v1/signals", headers=AUTH, params={"venue": "polymarket"})).json()
    assert elsewhere["items"] == []
    assert (await client.get("/api/v1/signals", headers=AUTH, params={"venue": "nyse"})).status_code == 422


async def test_orders_name_their_intent_and_signal(client: httpx.AsyncClient) -> None:
    page = (await client.get("/api/v1/orders", headers=AUTH)).json()
    [order] = page["items"]
    assert (order["client_order_id"], order["intent_id"], order["signal_id"]) == ("coid-sig-1", "int-sig-1", "sig-1")
    assert order["status"] == "filled" and order["limit_price"] == "0.570000"
    for params in ({"signal_id": "sig-1"}, {"venue": "kalshi"}, {"status": "filled"}, {"game_id": LIVE}):
        assert len((await client.get("/api/v1/orders", headers=AUTH, params=params)).json()["items"]) == 1
    assert (await client.get("/api/v1/orders", headers=AUTH, params={"signal_id": "sig-2"})).json()["items"] == []


async def test_fills_newest_first_and_paginated(client: httpx.AsyncClient) -> None:
    page = (await client.get("/api/v1/fills", headers=AUTH, params={"limit": 1})).json()
    assert [f["venue_trade_id"] for f in page["items"]] == ["trade-1"] and page["next_offset"] == 1
    rest = (await client.get("/api/v1/fills", headers=AUTH, params={"limit": 1, "offset": 1})).json()
    assert [f["venue_trade_id"] for f in rest["items"]] == ["trade-0"] and rest["next_offset"] is None
    fill = rest["items"][0]
    assert (fill["price"], fill["quantity"], fill["fee"]) == ("0.560000", "5.000000", "0.090000")
    by_order = await client.get("/api/v1/fills", headers=AUTH, params={"client_order_id": "coid-sig-1"})
    assert len(by_order.json()["items"]) == 2
    assert (await client.get("/api/v1/fills", headers=AUTH, params={"venue": "polymarket"})).json()["items"] == []


async def test_positions_with_pnl_and_settlement(client: httpx.AsyncClient) -> None:
    page = (await client.get("/api/v1/positions", headers=AUTH)).json()
    by_market = {p["market_id"]: p for p in page["items"]}
    open_ = by_market[TICKER]
    assert open_["status"] == "open" and open_["settlement"] is None and open_["avg_price"] == "0.565000"
    assert Decimal(open_["net_pnl"]) == Decimal("0.75") - Decimal("0.18")
    assert open_["opened_at"].startswith("20")
    settled = by_market["KXOLD-1"]
    assert settled["settlement"]["pnl"] == "1.500000" and settled["settlement"]["payout"] == "1.000000"
    only_open = (await client.get("/api/v1/positions", headers=AUTH, params={"status": "open"})).json()
    assert [p["market_id"] for p in only_open["items"]] == [TICKER]
    by_game = (await client.get("/api/v1/positions", headers=AUTH, params={"game_id": "old-game"})).json()
    assert [p["market_id"] for p in by_game["items"]] == ["KXOLD-1"]


@pytest.mark.parametrize("path", ["/api/v1/signals", "/api/v1/orders", "/api/v1/fills", "/api/v1/positions"])
async def test_trading_routes_need_the_token_and_reject_bad_parameters(client: httpx.AsyncClient, path: str) -> None:
    assert (await client.get(path)).status_code == 401
    assert (await client.get(path, headers={"Authorization": "Bearer wrong"})).status_code == 401
    assert (await client.get(path, headers=AUTH, params={"limit": 0})).status_code == 422
    assert (await client.get(path, headers=AUTH, params={"offset": "x"})).status_code == 422
    bad = {
        "/api/v1/signals": {"decision": "maybe"},
        "/api/v1/orders": {"venue": "nyse"},
        "/api/v1/fills": {"venue": "nyse"},
        "/api/v1/positions": {"status": "pending"},
    }[path]
    response = await client.get(path, headers=AUTH, params=bad)
    assert response.status_code == 422 and next(iter(bad)) in response.text
