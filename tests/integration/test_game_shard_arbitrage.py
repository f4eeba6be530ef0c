"""game_shard signals cross-venue arbitrage from fresh tops of both venues (stored, two legs, one size)."""

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
from shared.messages import AssignShard, FeeSpec, GameAssignment, InstrumentRef, MarketPriceUpdated, utc_now
from shared.runtime.infra import Infra

pytestmark = pytest.mark.integration
K_YES = InstrumentRef(
    venue="kalshi", market_id="KXNBAGAME-26DEC03LALBOS-BOS", outcome_id="yes", pays_on="home",
    fees=FeeSpec(schedule="kalshi"),
)  # fmt: skip
P_AWAY = InstrumentRef(
    venue="polymarket", market_id="0x" + "ab" * 32, outcome_id="1111", pays_on="away",
    fees=FeeSpec(schedule="polymarket", fee_type="taker", rate=Decimal("0.05")),
)  # fmt: skip


def _top(i: InstrumentRef, ask: str, age_s: float = 0.0) -> MarketPriceUpdated:
    return MarketPriceUpdated(
        venue=i.venue, market_id=i.market_id, outcome_id=i.outcome_id, best_bid=Decimal(ask) - Decimal("0.01"),
        best_ask=Decimal(ask), ask_size=Decimal(30), ts_event=utc_now() - timedelta(seconds=age_s),
    )  # fmt: skip


@pytest.fixture
def handlers(infra: Infra) -> GameShardHandlers:
    book = ShardBook()
    game = GameAssignment(
        game_id="nba-arb-1", sport="nba", league="nba", home_team="BOS", away_team="LAL", instruments=(K_YES, P_AWAY)
    )
    book.assign(AssignShard(shard_id="arb", games=(game,)))
    settings = GameShardSettings(max_book_age_s=10, signal_cooldown_s=0.0, arbitrage_min_edge_cents=1)
    outlet = SignalOutlet(infra.pool, infra.redis, 60.0)
    return GameShardHandlers(
        settings, book, infra.store, infra.market_data, PriceRecorder(infra.pool, 60.0), outlet=outlet
    )


async def test_a_cross_venue_arbitrage_is_signalled_with_both_legs(infra: Infra, handlers: GameShardHandlers) -> None:
    await handlers.on_price(_top(K_YES, "0.45", age_s=11.0))
    await handlers.on_price(_top(P_AWAY, "0.50"))
    assert await infra.redis.xlen(keys.SIGNALS) == 0  # the Kalshi top is stale
    await handlers.on_price(_top(K_YES, "0.45"))
    assert await infra.redis.xlen(keys.SIGNALS) == 1  # on its stream at once, recorded in the next batch
    assert await handlers.outlet.flush() == 1
    row = await infra.pool.fetchrow("SELECT kind, payload FROM signals")
    assert row["kind"] == "arbitrage"
    legs = row["payload"]["legs"]
    assert [(leg["venue"], leg["available_quantity"]) for leg in legs] == [("kalshi", "30"), ("polymarket", "30")]
    await handlers.on_price(_top(P_AWAY, "0.56"))  # 0.45 + 0.56 + fees > 1: nothing more
    await handlers.outlet.flush()
    assert await infra.pool.fetchval("SELECT count(*) FROM signals") == 1
    assert await infra.redis.xlen(keys.SIGNALS) == 1
