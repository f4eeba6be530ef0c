"""Exit signals of open positions: take-profit, stop-loss and model flip, emitted once per position state."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from services.discovery_coordinator import store
from services.discovery_coordinator.catalogue import MarketMatch
from services.position_tracker.exits import ExitRules, ExitWatcher
from shared.bus import keys
from shared.messages import FeeSpec, InstrumentRef, WinProbabilityUpdated
from shared.runtime.infra import Infra

pytestmark = pytest.mark.integration
RULES = ExitRules(Decimal("0.20"), Decimal("0.25"), Decimal("0.08"), timedelta(seconds=10))


async def _position(infra: Infra, market: str, game: str, cost: str, mark: str) -> None:
    fees = FeeSpec(schedule="kalshi")
    match = MarketMatch(
        game, "kalshi", market, "matched", 1.0, ("test",), "", "", None, "yes",
        (InstrumentRef(venue="kalshi", market_id=market, outcome_id="yes", pays_on="home", fees=fees),),
    )  # fmt: skip
    async with infra.pool.acquire() as conn:
        await store.upsert_matches(conn, [match])
        await conn.execute(
            """INSERT INTO positions (venue, market_id, outcome_id, game_id, paper, quantity, cost_basis,
                   mark_price, unrealized_pnl, status)
               VALUES ('kalshi', $1, 'yes', $2, true, 10, $3, $4, 0, 'open')""",
            market, game, Decimal(cost), Decimal(mark),
        )  # fmt: skip


async def _model(infra: Infra, game: str, home: float) -> None:
    wp = WinProbabilityUpdated(game_id=game, model="test", model_version="1", home=home, away=1 - home)
    await infra.market_data.publish(keys.WIN_PROBABILITY, game, wp)


async def test_each_rule_emits_one_reduce_only_sell_of_the_whole_position(infra: Infra) -> None:
    await _position(infra, "KX-TP", "g-tp", "4.00", "0.65")  # +0.25 a contract: take profit
    await _position(infra, "KX-SL", "g-sl", "4.00", "0.10")  # -0.30: stop loss
    await _position(infra, "KX-MF", "g-mf", "5.00", "0.55")  # model says 0.40: flip
    await _position(infra, "KX-KEEP", "g-keep", "5.00", "0.52")
    await _model(infra, "g-mf", 0.40)
    await _model(infra, "g-keep", 0.55)
    watcher = ExitWatcher(infra.store, infra.market_data, RULES, 60)
    emitted = await watcher.scan()
    by_market = {s.legs[0].market_id: s for s in emitted}
    assert {m: s.strategy for m, s in by_market.items()} == {
        "KX-TP": "exit_v1:take_profit",
        "KX-SL": "exit_v1:stop_loss",
        "KX-MF": "exit_v1:model_flip",
    }
    leg = by_market["KX-TP"].legs[0]
    assert (leg.side, leg.limit_price, leg.available_quantity, leg.reduce_only) == (
        "sell",
        Decimal("0.65"),
        Decimal(10),
        True,
    )
    assert by_market["KX-MF"].kind == "exit" and by_market["KX-MF"].model_probability == pytest.approx(0.40)
    assert await watcher.scan() == []  # same positions, same state: nothing new
    outbox = await infra.pool.fetchval("SELECT count(*) FROM signals WHERE kind = 'exit'")
    assert outbox == 3
