"""Shared fixtures of the API tests: realistic seeded rows, an in-process client and a real uvicorn server.

The seed: two NBA games (one live, one scheduled), a Kalshi market matched to the live game (``yes`` pays
on home, ``no`` on home negated) and a refused Polymarket market; game states, probabilities, prices;
two signals (one approved and filled, one denied); orders, fills, an open and a settled position; a P&L
snapshot; a shard assignment.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

import httpx
import pytest
from fastapi import FastAPI

from services.api.app import create_app
from services.discovery_coordinator import store
from services.discovery_coordinator.catalogue import EspnGame, MarketMatch, TeamRef
from shared.messages import FeeSpec, InstrumentRef, utc_now
from shared.runtime.health import make_server, serve_until, wait_started
from shared.runtime.infra import Infra

TOKEN = "api-read-test-token-0123456789abcdef"
CONTROL = "api-control-test-token-0123456789abcd"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
CONTROL_AUTH = {"Authorization": f"Bearer {CONTROL}"}
LIVE, LATER = "401900001", "401900002"
TICKER = "KXNBAGAME-26DEC03LALBOS-BOS"
POLY = "0x" + "ab" * 32


@dataclass(frozen=True)
class Seed:
    """What the seed wrote (times the tests compare against)."""

    now: datetime
    t0: datetime


async def seed(infra: Infra) -> Seed:
    """Write the realistic rows described in the module docstring."""
    now = utc_now()
    t0 = now - timedelta(minutes=30)
    live = EspnGame(
        LIVE, "nba", "nba", now - timedelta(hours=1), "in", False,
        TeamRef("BOS", "Boston Celtics"), TeamRef("LAL", "Los Angeles Lakers"), "Lakers at Celtics",
    )  # fmt: skip
    later = EspnGame(
        LATER, "nba", "nba", now + timedelta(hours=5), "pre", False,
        TeamRef("NYK", "New York Knicks"), TeamRef("MIA", "Miami Heat"), "Heat at Knicks",
    )  # fmt: skip
    fees = FeeSpec(schedule="kalshi", fee_type="quadratic", rate=Decimal("0.07"))
    matched = MarketMatch(
        LIVE, "kalshi", TICKER, "matched", 1.0, ("YES is the home team",), "KXNBAGAME-26DEC03LALBOS",
        "Los Angeles L at Boston Winner?", None, "yes",
        (
            InstrumentRef(venue="kalshi", market_id=TICKER, outcome_id="yes", pays_on="home", fees=fees),
            InstrumentRef(venue="kalshi", market_id=TICKER, outcome_id="no", pays_on="home", negated=True, fees=fees),
        ),
    )  # fmt: skip
    refused = MarketMatch(
        LIVE, "polymarket", POLY, "refused", 0.0, ("settles on regulation time only",),
        "90001", "Lakers vs. Celtics", "settlement_terms",
    )  # fmt: skip
    async with infra.pool.acquire() as conn:
        await store.upsert_games(conn, [live, later])
        await store.upsert_matches(conn, [matched, refused])
        await conn.execute("INSERT INTO shard_assignments (game_id, shard_id) VALUES ($1, 'shard-a')", LIVE)
        for i in range(10):
            await conn.execute(
                """INSERT INTO game_states (game_id, ts, sport, league, status, period, clock_seconds, home_team,
                       away_team, home_score, away_score, payload)
                   VALUES ($1, $2, 'nba', 'nba', 'in', $3, $4, 'BOS', 'LAL', $5, $6, '{}')""",
                LIVE, t0 + timedelta(minutes=i), 1 + i // 4, 600.0 - 30 * i, 2 * i, 2 * i - 1 if i else 0,
            )  # fmt: skip
            await conn.execute(
                """INSERT INTO win_probabilities (game_id, ts, model, model_version, home, away)
                   VALUES ($1, $2, 'nba_logit', '1', $3, $4)""",
                LIVE, t0 + timedelta(minutes=i), 0.5 + i / 100, 0.5 - i / 100,
            )  # fmt: skip
            for outcome, bid, ask in (("yes", "0.55", "0.57"), ("no", "0.42", "0.44")):
                await conn.execute(
                    """INSERT INTO market_prices (venue, market_id, outcome_id, ts, best_bid, best_ask)
                       VALUES ('kalshi', $1, $2, $3, $4, $5)""",
                    TICKER, outcome, t0 + timedelta(minutes=i),
                    Decimal(bid) + Decimal(i) / 100 if outcome == "yes" else Decimal(bid) - Decimal(i) / 100,
                    Decimal(ask) + Decimal(i) / 100 if outcome == "yes" else Decimal(ask) - Decimal(i) / 100,
                )  # fmt: skip
        await _trading(conn, t0)
        await conn.execute(
            """INSERT INTO pnl_snapshots (ts, paper, realized_pnl, unrealized_pnl, fees_paid, open_positions)
               VALUES ($1, TRUE, 0, '0.5', '0.1', 1)""",
            t0,
        )
    return Seed(now=now, t0=t0)


async def _trading(conn: object, t0: datetime) -> None:
    """Two signals with intents; one order filled twice; an open and a settled position."""
    execute = conn.execute  # type: ignore[attr-defined]
    for sid, minute, edge, decision in (("sig-1", 3, "0.05", "approved"), ("sig-2", 6, "0.02", "denied")):
        await execute(
            """INSERT INTO signals (signal_id, message_id, ts, strategy, kind, game_id, edge_per_contract,
                   model_probability, payload)
               VALUES ($1, gen_random_uuid(), $2, 'model_edge', 'model_edge', $3, $4, 0.62, $5)""",
            sid, t0 + timedelta(minutes=minute), LIVE, Decimal(edge),
            {"legs": [{"venue": "kalshi", "market_id": TICKER, "outcome_id": "yes", "side": "buy",
                       "limit_price": "0.57"}]},
        )  # fmt: skip
        await execute(
            """INSERT INTO order_intents (intent_id, client_order_id, signal_id, leg_index, strategy, game_id, venue,
                   market_id, outcome_id, side, limit_price, quantity, notional, decision, reason_code, reason,
                   created_at)
               VALUES ($1, $2, $3, 0, 'model_edge', $4, 'kalshi', $5, 'yes', 'buy', '0.57', 10, '5.81', $6, $7, $8,
                   now())""",
            f"int-{sid}", f"coid-{sid}", sid, LIVE, TICKER, decision,
            None if decision == "approved" else "max_game_exposure",
            None if decision == "approved" else "game exposure limit reached",
        )  # fmt: skip
    await execute(
        """INSERT INTO orders (client_order_id, intent_id, venue, venue_order_id, game_id, market_id, outcome_id,
               side, limit_price, quantity, filled_quantity, avg_fill_price, status, paper, created_at, updated_at)
           VALUES ('coid-sig-1', 'int-sig-1', 'kalshi', 'v-1', $1, $2, 'yes', 'buy', '0.57', 10, 10, '0.565',
               'filled', TRUE, $3, $3)""",
        LIVE, TICKER, t0 + timedelta(minutes=3),
    )  # fmt: skip
    for n, (price, qty) in enumerate((("0.56", 5), ("0.57", 5))):
        await execute(
            """INSERT INTO fills (venue, venue_trade_id, client_order_id, venue_order_id, game_id, market_id,
                   outcome_id, side, price, quantity, fee, liquidity, paper, ts)
               VALUES ('kalshi', $1, 'coid-sig-1', 'v-1', $2, $3, 'yes', 'buy', $4, $5, '0.09', 'taker', TRUE, $6)""",
            f"trade-{n}", LIVE, TICKER, Decimal(price), Decimal(qty), t0 + timedelta(minutes=3, seconds=n),
        )  # fmt: skip
    await execute(
        """INSERT INTO positions (venue, market_id, outcome_id, game_id, paper, quantity, cost_basis, fees_paid,
               realized_pnl, mark_price, unrealized_pnl, status, opened_at, updated_at)
           VALUES ('kalshi', $1, 'yes', $2, TRUE, 10, '5.65', '0.18', 0, '0.64', '0.75', 'open', $3, $3)""",
        TICKER, LIVE, t0 + timedelta(minutes=3),
    )  # fmt: skip
    await execute(
        """INSERT INTO positions (venue, market_id, outcome_id, game_id, paper, quantity, cost_basis, fees_paid,
               realized_pnl, status, opened_at, updated_at)
           VALUES ('kalshi', 'KXOLD-1', 'yes', 'old-game', TRUE, 0, 0, '0.05', '1.50', 'settled', $1, $1)""",
        t0 - timedelta(days=1),
    )  # fmt: skip
    await execute(
        """INSERT INTO settlements (venue, market_id, outcome_id, paper, payout, quantity, proceeds, pnl, settled_at)
           VALUES ('kalshi', 'KXOLD-1', 'yes', TRUE, '1', 4, '4', '1.50', $1)""",
        t0 - timedelta(hours=20),
    )  # fmt: skip


def build_app(infra: Infra, stopping: asyncio.Event | None = None) -> FastAPI:
    """The app with both scopes, on the test's servers."""
    return create_app(infra.pool, infra.redis, TOKEN, CONTROL, stopping=stopping)


@pytest.fixture
async def seeded(infra: Infra) -> Seed:
    """The seeded rows."""
    return await seed(infra)


@pytest.fixture
async def client(infra: Infra, seeded: Seed) -> AsyncIterator[httpx.AsyncClient]:
    """An in-process client of the app (seeded)."""
    transport = httpx.ASGITransport(app=build_app(infra))
    async with httpx.AsyncClient(transport=transport, base_url="http://api") as http:
        yield http


@dataclass
class Server:
    """A real uvicorn server of the app."""

    url: str
    stopping: asyncio.Event
    task: asyncio.Task[None]


@pytest.fixture
async def server(infra: Infra, seeded: Seed) -> AsyncIterator[Server]:
    """The app on a real uvicorn server (port 0); stopping it must not hang on open streams."""
    stopping = asyncio.Event()
    http = make_server(build_app(infra, stopping), "127.0.0.1", 0)
    task = asyncio.create_task(serve_until(http, stopping))
    await wait_started(http, task)
    running = Server(f"http://127.0.0.1:{http.bound_port}", stopping, task)
    yield running
    stopping.set()
    await asyncio.wait_for(task, timeout=5)
