"""The game shard prices a live game with the futures monitor's hand-off line as its prior.

The real handlers on PostgreSQL and Redis: a ``PregameLine`` noted in the shard's book (as the service does on
the ``pregame_line`` topic) makes the stored and published win probability the model's answer with that prior.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from services.game_shard.book import ShardBook
from services.game_shard.config import GameShardSettings
from services.game_shard.handlers import GameShardHandlers
from services.game_shard.price_store import PriceRecorder
from services.game_shard.pricing import price
from services.game_shard.signal_outlet import SignalOutlet
from shared.bus import keys
from shared.messages import (
    AssignShard,
    FeeSpec,
    GameAssignment,
    GameStateUpdated,
    InstrumentRef,
    PregameLine,
    WinProbabilityUpdated,
    utc_now,
)
from shared.runtime.infra import Infra

pytestmark = pytest.mark.integration
GAME, TICKER = "nba-prior-2", "KXNBAGAME-26NOV23LALBOS-BOS"


async def test_the_live_games_probability_uses_the_handed_off_prior(infra: Infra) -> None:
    yes = InstrumentRef(
        venue="kalshi", market_id=TICKER, outcome_id="yes", pays_on="home", fees=FeeSpec(schedule="kalshi")
    )
    game = GameAssignment(game_id=GAME, sport="nba", league="nba", home_team="BOS", away_team="LAL", instruments=(yes,))
    book = ShardBook()
    book.assign(AssignShard(shard_id="0", games=(game,)))
    handlers = GameShardHandlers(
        GameShardSettings(), book, infra.store, infra.market_data, PriceRecorder(infra.pool, 60),
        outlet=SignalOutlet(infra.pool, infra.redis, 60.0),
    )  # fmt: skip
    line = PregameLine(
        game_id=GAME,
        home_prob=0.78,
        venues=("kalshi",),
        line_ts=utc_now() - timedelta(seconds=5),
        scheduled_start=utc_now(),
    )
    book.handed_off_home_prob[line.game_id] = line.home_prob
    state = GameStateUpdated(
        game_id=GAME, sport="nba", league="nba", home_team="BOS", away_team="LAL", status="in",
        period=1, clock_seconds=700.0, home_score=0, away_score=0,
    )  # fmt: skip
    await handlers.on_game_state(state)
    expected = price(state, 0.78).home
    assert expected != pytest.approx(price(state, None).home)
    stored = await infra.pool.fetchval("SELECT home FROM win_probabilities WHERE game_id = $1", GAME)
    assert stored == pytest.approx(expected)
    published = await infra.market_data.latest(keys.WIN_PROBABILITY, GAME)
    assert isinstance(published, WinProbabilityUpdated) and published.home == pytest.approx(expected)
