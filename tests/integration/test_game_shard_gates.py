"""game_shard never signals on a stale game state or a stale (or emptied) book; fresh inputs do signal.

The handlers run on the real PostgreSQL (signals go onto their stream and are recorded in batches) and the real
Redis bus. The game is late in the fourth quarter with the home team 20 points up, and the home YES is
offered at 0.50: a fresh state and a fresh book give a large edge, so each gate is what stops the signal.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from services.game_shard.book import ShardBook
from services.game_shard.config import GameShardSettings
from services.game_shard.handlers import GameShardHandlers
from services.game_shard.price_store import PriceRecorder
from services.game_shard.signal_outlet import SignalOutlet
from shared.bus import keys
from shared.messages import (
    AssignShard,
    FeeSpec,
    GameAssignment,
    GameStateUpdated,
    InstrumentRef,
    MarketPriceUpdated,
    utc_now,
)
from shared.runtime.infra import Infra

pytestmark = pytest.mark.integration
GAME, TICKER = "nba-gates-1", "KXNBAGAME-26DEC03LALBOS-BOS"
FEES = FeeSpec(schedule="kalshi", fee_type="quadratic")


def _assignment() -> AssignShard:
    yes = InstrumentRef(venue="kalshi", market_id=TICKER, outcome_id="yes", pays_on="home", fees=FEES)
    game = GameAssignment(game_id=GAME, sport="nba", league="nba", home_team="BOS", away_team="LAL", instruments=(yes,))
    return AssignShard(shard_id="gates", games=(game,))


def _state(home_score: int) -> GameStateUpdated:
    return GameStateUpdated(
        game_id=GAME, sport="nba", league="nba", home_team="BOS", away_team="LAL", status="in",
        period=4, clock_seconds=120.0, home_score=home_score, away_score=80,
    )  # fmt: skip


def _top(age_s: float = 0.0, *, empty: bool = False) -> MarketPriceUpdated:
    ask = None if empty else Decimal("0.50")
    return MarketPriceUpdated(
        venue="kalshi", market_id=TICKER, outcome_id="yes", best_bid=None if empty else Decimal("0.49"),
        best_ask=ask, ask_size=None if empty else Decimal("100"), ts_event=utc_now() - timedelta(seconds=age_s),
    )  # fmt: skip


async def _signals(infra: Infra, handlers: GameShardHandlers) -> int:
    """Signals on the stream, checked against the rows the shard records of them."""
    on_stream = int(await infra.redis.xlen(keys.SIGNALS))
    await handlers.outlet.flush()
    assert int(await infra.pool.fetchval("SELECT count(*) FROM signals WHERE game_id = $1", GAME)) == on_stream
    return on_stream


@pytest.fixture
def shard(infra: Infra) -> tuple[GameShardHandlers, dict[str, float]]:
    settings = GameShardSettings(min_edge_cents=3, max_state_age_s=10, max_book_age_s=10, signal_cooldown_s=0.0)
    book = ShardBook()
    book.assign(_assignment())
    ages: dict[str, float] = {}
    handlers = GameShardHandlers(
        settings, book, infra.store, infra.market_data, PriceRecorder(infra.pool, 60.0), ages.get,
        outlet=SignalOutlet(infra.pool, infra.redis, 60.0),
    )  # fmt: skip
    return handlers, ages


async def test_a_stale_game_state_produces_no_signal(
    infra: Infra, shard: tuple[GameShardHandlers, dict[str, float]]
) -> None:
    handlers, ages = shard
    ages[GAME] = 11.0  # no successful ESPN read for longer than max_state_age_s
    await handlers.on_price(_top())
    await handlers.on_game_state(_state(100))
    assert await _signals(infra, handlers) == 0 and handlers.stale_skips >= 1
    ages[GAME] = 0.5
    await handlers.on_game_state(_state(101))
    assert await _signals(infra, handlers) == 1


async def test_a_stale_or_emptied_book_produces_no_signal(
    infra: Infra, shard: tuple[GameShardHandlers, dict[str, float]]
) -> None:
    handlers, ages = shard
    ages[GAME] = 0.0
    await handlers.on_price(_top(age_s=11.0))
    await handlers.on_game_state(_state(100))
    assert await _signals(infra, handlers) == 0
    await handlers.on_price(_top(empty=True))
    await handlers.on_game_state(_state(101))
    assert await _signals(infra, handlers) == 0
    await handlers.on_price(_top())
    assert await _signals(infra, handlers) == 1
