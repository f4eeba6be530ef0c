"""The API's catalogue routes: games discovered and the match verdicts with their reasons (real PostgreSQL)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import httpx
import pytest

from services.api.app import create_app
from services.discovery_coordinator import store
from services.discovery_coordinator.catalogue import EspnGame, MarketMatch, TeamRef
from shared.messages import FeeSpec, InstrumentRef, utc_now
from shared.runtime.infra import Infra

pytestmark = pytest.mark.integration
TOKEN = "catalogue-test-token-0123456789abcdef"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


async def _seed(infra: Infra) -> None:
    game = EspnGame(
        "401900001", "nba", "nba", utc_now() + timedelta(hours=1), "pre", False,
        TeamRef("BOS", "Boston Celtics"), TeamRef("LAL", "Los Angeles Lakers"), "Lakers at Celtics",
    )  # fmt: skip
    fees = FeeSpec(schedule="kalshi", fee_type="quadratic", rate=Decimal("0.07"))
    ticker = "KXNBAGAME-26DEC03LALBOS-LAL"
    matched = MarketMatch(
        game.game_id, "kalshi", ticker, "matched", 1.0, ("YES is the away team",), "KXNBAGAME-26DEC03LALBOS",
        "Los Angeles L at Boston Winner?", None, "no",
        (InstrumentRef(venue="kalshi", market_id=ticker, outcome_id="yes", pays_on="away", fees=fees),),
    )  # fmt: skip
    refused = MarketMatch(
        game.game_id, "polymarket", "0x" + "ab" * 32, "refused", 0.0, ("settles on regulation time only",),
        "90001", "Lakers vs. Celtics", "settlement_terms",
    )  # fmt: skip
    async with infra.pool.acquire() as conn:
        await store.upsert_games(conn, [game])
        await store.upsert_matches(conn, [matched, refused])


@pytest.fixture
async def client(infra: Infra) -> httpx.AsyncClient:
    await _seed(infra)
    app = create_app(infra.pool, infra.redis, TOKEN)
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://api")


async def test_games_and_matches_are_listed_with_reasons_and_orientation(client: httpx.AsyncClient) -> None:
    async with client:
        page = (await client.get("/api/v1/games", headers=AUTH)).json()
        assert page["next_offset"] is None
        games = page["items"]
        assert [(g["game_id"], g["home_team"], g["away_team"], g["status"]) for g in games] == [
            ("401900001", "BOS", "LAL", "pre")
        ]
        matches = (await client.get("/api/v1/matches", headers=AUTH, params={"game_id": "401900001"})).json()["items"]
        by_venue = {m["venue"]: m for m in matches}
        assert by_venue["kalshi"]["status"] == "matched" and by_venue["kalshi"]["home_outcome"] == "no"
        assert by_venue["kalshi"]["instruments"][0]["pays_on"] == "away"
        assert by_venue["polymarket"]["reason_code"] == "settlement_terms"
        assert by_venue["polymarket"]["reasons"] == ["settles on regulation time only"]
        refused = (await client.get("/api/v1/matches", headers=AUTH, params={"status": "refused"})).json()["items"]
        assert [m["venue"] for m in refused] == ["polymarket"]


async def test_catalogue_routes_need_the_token_and_reject_bad_parameters(client: httpx.AsyncClient) -> None:
    async with client:
        assert (await client.get("/api/v1/games")).status_code == 401
        assert (await client.get("/api/v1/matches", headers={"Authorization": "Bearer nope"})).status_code == 401
        bad = await client.get("/api/v1/games", headers=AUTH, params={"status": "halftime"})
        assert bad.status_code == 422 and "status" in bad.text
        assert (await client.get("/api/v1/matches", headers=AUTH, params={"limit": 0})).status_code == 422
