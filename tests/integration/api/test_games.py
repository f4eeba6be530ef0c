"""Games: summaries (live first, latest state, probability and oriented prices), one game, its history."""

from __future__ import annotations

from decimal import Decimal

import httpx
import pytest

from tests.integration.api.conftest import AUTH, LATER, LIVE, TICKER, Seed

pytestmark = pytest.mark.integration


async def test_games_are_listed_live_first_with_state_probability_and_oriented_prices(
    client: httpx.AsyncClient,
) -> None:
    page = (await client.get("/api/v1/games", headers=AUTH)).json()
    assert page["next_offset"] is None
    assert [g["game_id"] for g in page["items"]] == [LIVE, LATER]
    live, later = page["items"]
    assert live["shard_id"] == "shard-a" and later["shard_id"] is None
    assert live["state"]["home_score"] == 18 and live["state"]["away_score"] == 17 and live["state"]["period"] == 3
    assert live["probability"]["model"] == "nba_logit" and live["probability"]["home"] == pytest.approx(0.59)
    prices = {p["outcome_id"]: p for p in live["prices"]}
    assert {o: p["result"] for o, p in prices.items()} == {"yes": "home", "no": "away"}
    yes, no = prices["yes"], prices["no"]
    assert (Decimal(yes["best_bid"]), Decimal(yes["best_ask"]), Decimal(yes["mid"])) == (
        Decimal("0.64"), Decimal("0.66"), Decimal("0.65"),
    )  # fmt: skip
    # "no" (0.33 / 0.35) pays if home does not win: in basketball that is the away team winning, at its own price.
    assert (Decimal(no["best_bid"]), Decimal(no["best_ask"]), Decimal(no["mid"])) == (
        Decimal("0.33"), Decimal("0.35"), Decimal("0.34"),
    )  # fmt: skip
    assert isinstance(yes["best_bid"], str) and yes["market_id"] == TICKER
    assert later["state"] is None and later["probability"] is None and later["prices"] == []


async def test_games_filter_and_paginate(client: httpx.AsyncClient) -> None:
    first = (await client.get("/api/v1/games", headers=AUTH, params={"limit": 1})).json()
    assert [g["game_id"] for g in first["items"]] == [LIVE] and first["next_offset"] == 1
    second = (await client.get("/api/v1/games", headers=AUTH, params={"limit": 1, "offset": 1})).json()
    assert [g["game_id"] for g in second["items"]] == [LATER] and second["next_offset"] is None
    pre = (await client.get("/api/v1/games", headers=AUTH, params={"status": "pre"})).json()
    assert [g["game_id"] for g in pre["items"]] == [LATER]
    nfl = (await client.get("/api/v1/games", headers=AUTH, params={"league": "nfl"})).json()
    assert nfl == {"items": [], "next_offset": None}


async def test_one_game_and_unknown_game(client: httpx.AsyncClient) -> None:
    game = (await client.get(f"/api/v1/games/{LIVE}", headers=AUTH)).json()
    assert game["game_id"] == LIVE and game["home_name"] == "Boston Celtics" and len(game["prices"]) == 2
    missing = await client.get("/api/v1/games/nope", headers=AUTH)
    assert missing.status_code == 404 and missing.json() == {"detail": "unknown game 'nope'"}
    assert (await client.get("/api/v1/games/nope/history", headers=AUTH)).status_code == 404


async def test_history_has_every_series_downsampled_and_the_signal_marks(
    client: httpx.AsyncClient, seeded: Seed
) -> None:
    full = (await client.get(f"/api/v1/games/{LIVE}/history", headers=AUTH)).json()
    assert full["game_id"] == LIVE
    assert len(full["states"]) == 10 and len(full["probabilities"]) == 10 and len(full["prices"]) == 20
    assert {(p["outcome_id"], p["result"]) for p in full["prices"]} == {("yes", "home"), ("no", "away")}
    marks = {m["signal_id"]: m for m in full["signals"]}
    assert marks["sig-1"]["decision"] == "approved" and marks["sig-1"]["result"] == "home"
    assert marks["sig-1"]["limit_price"] == "0.570000" and marks["sig-1"]["side"] == "buy"
    assert marks["sig-2"]["decision"] == "denied" and marks["sig-2"]["reason_code"] == "max_game_exposure"

    thin = (await client.get(f"/api/v1/games/{LIVE}/history", headers=AUTH, params={"max_points": 4})).json()
    assert len(thin["states"]) == 4 and thin["states"][-1]["home_score"] == 18  # the latest point is kept
    assert len(thin["prices"]) == 8  # 4 per (venue, market, outcome)

    since = (seeded.t0.replace(microsecond=0)).isoformat().replace("+00:00", "Z")
    recent = (await client.get(f"/api/v1/games/{LIVE}/history", headers=AUTH, params={"since": since})).json()
    assert 9 <= len(recent["states"]) <= 10


async def test_games_routes_need_the_token_and_reject_bad_parameters(client: httpx.AsyncClient) -> None:
    for path in ("/api/v1/games", f"/api/v1/games/{LIVE}", f"/api/v1/games/{LIVE}/history"):
        assert (await client.get(path)).status_code == 401
        assert (await client.get(path, headers={"Authorization": "Bearer wrong"})).status_code == 401
    bad = await client.get("/api/v1/games", headers=AUTH, params={"status": "halftime"})
    assert bad.status_code == 422 and "status" in bad.text
    assert (await client.get("/api/v1/games", headers=AUTH, params={"limit": 1001})).status_code == 422
    assert (await client.get("/api/v1/games", headers=AUTH, params={"offset": -1})).status_code == 422
    history = f"/api/v1/games/{LIVE}/history"
    assert (await client.get(history, headers=AUTH, params={"max_points": 0})).status_code == 422
    assert (await client.get(history, headers=AUTH, params={"max_points": 5001})).status_code == 422
    assert (await client.get(history, headers=AUTH, params={"since": "yesterday"})).status_code == 422
    naive = await client.get(history, headers=AUTH, params={"since": "2026-01-01T00:00:00"})
    assert naive.status_code == 422 and "offset" in naive.json()["detail"]
