"""Both venue simulators in process with one game's pre-game markets, the game in the catalogue, and the monitor.

The Kalshi simulator quotes the home team's market around a pinned fair price; the Polymarket simulator
quotes a two-way moneyline (outcome 0 the away team, outcome 1 the home team) around a pinned price. The
game and both matches are written to ``games`` and ``market_matches`` as discovery writes them. The
monitor reads both with the production clients; tests drive its clock by calling ``tick(now)``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from markets.kalshi.config import KalshiSettings
from markets.kalshi.rest import KalshiRestClient
from markets.polymarket.clob import ClobReader
from markets.sim.kalshi.auth import KeyRegistry
from markets.sim.kalshi.exchange import KalshiExchange
from markets.sim.kalshi.inprocess import RunningSim as KalshiSim
from markets.sim.kalshi.inprocess import serve_in_process
from markets.sim.kalshi.state import SimState
from markets.sim.polymarket.inprocess import RunningSim as PolymarketSim
from markets.sim.polymarket.inprocess import running
from services.futures_monitor.config import FuturesSettings
from services.futures_monitor.monitor import FuturesMonitor
from services.futures_monitor.quotes import VenueLineReader
from shared.messages import FeeSpec, InstrumentRef
from shared.runtime.infra import Infra

GAME = "nba-futures-1"
START = datetime.now(UTC).replace(microsecond=0) + timedelta(hours=6)
KALSHI_FEES = FeeSpec(schedule="kalshi", fee_type="quadratic")


@dataclass
class Rig:
    """The simulators, the monitor and the game's markets."""

    infra: Infra
    monitor: FuturesMonitor
    kalshi: KalshiSim
    polymarket: PolymarketSim
    http: httpx.AsyncClient
    ticker: str
    condition_id: str
    home_token: str

    async def move_kalshi(self, home_fair: str) -> None:
        """Pin the Kalshi makers' fair (home YES) through ``/_sim``."""
        await self.kalshi.control("POST", f"/_sim/markets/{self.ticker}/fair", {"fair": home_fair})

    async def move_polymarket(self, home_price: float) -> None:
        """Pin the Polymarket makers' reference through ``/_sim`` (it is outcome 0's, the away team's)."""
        body = {"price": round(1 - home_price, 6)}
        response = await self.http.post(f"{self.polymarket.url}/_sim/markets/{self.condition_id}/price", json=body)
        response.raise_for_status()

    async def rows(self, table: str) -> list[dict[str, Any]]:
        """Rows of ``table`` for the game, oldest first."""
        order = "handed_off_at" if table == "pregame_lines" else "venue, ts"
        found = await self.infra.pool.fetch(f"SELECT * FROM {table} WHERE game_id = $1 ORDER BY {order}", GAME)  # noqa: S608
        return [dict(r) for r in found]


async def _catalogue(infra: Infra, ticker: str, condition_id: str, tokens: list[str]) -> None:
    await infra.pool.execute(
        """INSERT INTO games (game_id, league, sport, scheduled_start, status, home_team, away_team, home_name,
               away_name, name, payload) VALUES ($1, 'nba', 'nba', $2, 'pre', 'BOS', 'LAL', 'Celtics', 'Lakers',
               'Lakers at Celtics', '{}')""",
        GAME,
        START,
    )
    pm_fees = FeeSpec(schedule="polymarket", rate="0.05")
    kalshi = [
        InstrumentRef(venue="kalshi", market_id=ticker, outcome_id="yes", pays_on="home", fees=KALSHI_FEES),
        InstrumentRef(
            venue="kalshi", market_id=ticker, outcome_id="no", pays_on="home", negated=True, fees=KALSHI_FEES
        ),
    ]
    polymarket = [
        InstrumentRef(venue="polymarket", market_id=condition_id, outcome_id=tokens[0], pays_on="away", fees=pm_fees),
        InstrumentRef(venue="polymarket", market_id=condition_id, outcome_id=tokens[1], pays_on="home", fees=pm_fees),
    ]
    for venue, market_id, instruments in (("kalshi", ticker, kalshi), ("polymarket", condition_id, polymarket)):
        await infra.pool.execute(
            """INSERT INTO market_matches (venue, market_id, game_id, status, confidence, instruments)
               VALUES ($1, $2, $3, 'matched', 1.0, $4)""",
            venue,
            market_id,
            GAME,
            [i.model_dump(mode="json") for i in instruments],
        )


@pytest.fixture
async def rig(infra: Infra) -> AsyncIterator[Rig]:
    """Both simulators quoting the game's home team at 0.55, the game catalogued, the monitor built."""
    state = SimState(KalshiExchange(), KeyRegistry({}))
    async with serve_in_process(state) as kalshi, running() as polymarket, httpx.AsyncClient(timeout=10) as http:
        created = await kalshi.control(
            "POST",
            "/_sim/markets",
            {"away": ["LAL", "Lakers"], "home": ["BOS", "Celtics"], "start": START.isoformat(), "fair": "0.55"},
        )
        ticker = created["markets"][0]["ticker"]
        body = {"away": "Lakers", "home": "Celtics", "start": START.isoformat(), "price": 0.45, "game_id": GAME}
        response = await http.post(f"{polymarket.url}/_sim/markets", json=body)
        response.raise_for_status()
        market = response.json()
        await _catalogue(infra, ticker, market["condition_id"], market["token_ids"])
        rest = KalshiRestClient(KalshiSettings(base_url=kalshi.rest_url))
        settings = FuturesSettings(movement_threshold="0.03", movement_window_s=600, poll_interval_s=1)
        monitor = FuturesMonitor(
            settings, infra.pool, infra.market_data, VenueLineReader(rest, ClobReader(http, polymarket.url))
        )
        try:
            yield Rig(infra, monitor, kalshi, polymarket, http, ticker, market["condition_id"], market["token_ids"][1])
        finally:
            await rest.aclose()
