"""Shard failover: two game shards, one dies, its games move to the other within 30 s and signals continue.

Discovery (the real service, its assignment loop) and two game shards run as three separate runtimes
on the real Redis and PostgreSQL, each with its own heartbeats. The game and its matched Kalshi market
are in the catalogue as discovery would have stored them. Shard A is killed (its task group cancelled:
no goodbye heartbeat, its key just expires); the game must be reassigned to B, and B must then signal
on it from game state and prices published on the bus.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest

from services.discovery_coordinator import store
from services.discovery_coordinator.catalogue import EspnGame, MarketMatch, TeamRef
from services.game_shard.service import GameShardService
from services.registry import build_service
from shared.bus import keys
from shared.config import ArbeesSettings, load_settings
from shared.messages import FeeSpec, GameStateUpdated, InstrumentRef, MarketPriceUpdated, utc_now
from shared.runtime.infra import open_infra
from shared.runtime.runner import run_services
from tests.support import eventually

pytestmark = pytest.mark.integration
GAME = "nba-failover-1"
TICKER = "KXNBAGAME-26DEC02LALBOS-BOS"


async def _catalogue(infra: Any) -> None:
    game = EspnGame(
        game_id=GAME,
        league="nba",
        sport="nba",
        scheduled_start=utc_now() + timedelta(minutes=5),
        status="pre",
        completed=False,
        home=TeamRef("BOS", "Boston Celtics"),
        away=TeamRef("LAL", "Los Angeles Lakers"),
    )
    fees = FeeSpec(schedule="kalshi", fee_type="quadratic", rate=Decimal("0.07"))
    match = MarketMatch(
        game_id=GAME,
        venue="kalshi",
        market_id=TICKER,
        status="matched",
        confidence=1.0,
        reasons=("constructed for the test",),
        instruments=(
            InstrumentRef(venue="kalshi", market_id=TICKER, outcome_id="yes", pays_on="home", fees=fees),
            InstrumentRef(venue="kalshi", market_id=TICKER, outcome_id="no", pays_on="home", negated=True, fees=fees),
        ),
    )
    async with infra.pool.acquire() as conn:
        await store.upsert_games(conn, [game])
        await store.upsert_matches(conn, [match])


async def test_a_dead_shards_games_move_to_a_healthy_shard_and_signals_continue(
    clean_env: pytest.MonkeyPatch, redis_url: str, database_url: str, tmp_path: Any
) -> None:
    dead = "http://127.0.0.1:9"
    for key, value in {
        "REDIS_URL": redis_url,
        "DATABASE_URL": database_url,
        "ARBEES_DATA_DIR": str(tmp_path),
        "ARBEES_HEALTH_PORT": "0",
        "ARBEES_HEARTBEAT_INTERVAL_S": "0.5",
        "ARBEES_STREAM_BLOCK_MS": "100",
        "ESPN_BASE_URL": dead,
        "KALSHI_BASE_URL": f"{dead}/trade-api/v2",
        "POLYMARKET_GAMMA_URL": f"{dead}/gamma",
        "DISCOVERY_LEAGUES": "nba",
        "DISCOVERY_INTERVAL_S": "600",
        "DISCOVERY_ASSIGN_INTERVAL_S": "0.5",
        "GAME_SHARD_ESPN_FEED": "off",
        "GAME_SHARD_KALSHI_FEED": "off",
    }.items():
        clean_env.setenv(key, value)

    runs: dict[str, asyncio.Task[None]] = {}
    stops: dict[str, asyncio.Event] = {}

    async def process(name: str, service: Any) -> None:
        settings = load_settings(ArbeesSettings, instance_id=name)
        stopping = stops.setdefault(name, asyncio.Event())
        async with open_infra(settings, single_process=False) as infra:
            if name == "discovery":
                await _catalogue(infra)
            await run_services([service], infra, stopping=stopping, install_signals=False, serve_health=False)

    shard_a = build_service("game_shard", shard_id="A")
    shard_b = build_service("game_shard", shard_id="B")
    assert isinstance(shard_a, GameShardService) and isinstance(shard_b, GameShardService)
    discovery = build_service("discovery_coordinator")
    runs["shard-a"] = asyncio.create_task(process("shard-a", shard_a))
    runs["shard-b"] = asyncio.create_task(process("shard-b", shard_b))
    runs["discovery"] = asyncio.create_task(process("discovery", discovery))
    settings = load_settings(ArbeesSettings, instance_id="test")
    try:
        async with open_infra(settings, single_process=False) as infra:
            # Ties go to the lowest shard id: A watches the game first.
            await eventually(lambda: _watching(shard_a), timeout=30)
            assert not shard_b.book.watches_game(GAME)

            runs["shard-a"].cancel()  # a crash: no final heartbeat, the key just expires
            with contextlib.suppress(asyncio.CancelledError):
                await runs["shard-a"]
            killed = time.monotonic()
            await eventually(lambda: _watching(shard_b), timeout=30)
            moved_after = time.monotonic() - killed
            assert moved_after < 30
            shard = await infra.pool.fetchval("SELECT shard_id FROM shard_assignments WHERE game_id = $1", GAME)
            assert shard == "B"

            # Signals continue on B: home up 20 late in the game, the market still at 40 cents.
            bus = infra.market_data
            await bus.publish(
                keys.MARKET_PRICE,
                f"kalshi:{TICKER}:yes",
                MarketPriceUpdated(
                    venue="kalshi",
                    market_id=TICKER,
                    outcome_id="yes",
                    best_bid=Decimal("0.39"),
                    best_ask=Decimal("0.40"),
                    bid_size=Decimal(100),
                    ask_size=Decimal(100),
                ),
            )
            await bus.publish(
                keys.GAME_STATE,
                GAME,
                GameStateUpdated(
                    game_id=GAME,
                    sport="nba",
                    league="nba",
                    home_team="BOS",
                    away_team="LAL",
                    status="in",
                    period=4,
                    clock_seconds=240.0,
                    home_score=110,
                    away_score=90,
                ),
            )
            signal = await eventually(
                lambda: infra.pool.fetchrow("SELECT * FROM signals WHERE game_id = $1", GAME), timeout=20
            )
            assert signal["kind"] == "model_edge" and signal["payload"]["legs"][0]["market_id"] == TICKER
            assert shard_b.handlers is not None and shard_b.handlers.signals_emitted >= 1
    finally:
        for name in runs:
            stops.setdefault(name, asyncio.Event()).set()
        for task in runs.values():
            with contextlib.suppress(asyncio.CancelledError, Exception):
                async with asyncio.timeout(20):
                    await task


async def _watching(shard: GameShardService) -> bool:
    return shard.book.watches_game(GAME)
