"""Kill-switch triggers in position_tracker: a daily loss beyond the limit, and an exception in P&L code."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from services.position_tracker.drawdown import DrawdownGuard
from services.position_tracker.guarded import halting_on_error
from shared.db.uow import UnitOfWork
from shared.messages import MarketSettled, Message, utc_now
from shared.pnl import daily_pnl, day_start
from shared.runtime.infra import Infra
from shared.trading_state import read_trading_state

pytestmark = pytest.mark.integration


async def _position(infra: Infra, market: str, realized: str, unrealized: str | None, status: str = "open") -> None:
    await infra.pool.execute(
        """INSERT INTO positions (venue, market_id, outcome_id, game_id, paper, quantity, cost_basis, realized_pnl,
               unrealized_pnl, status)
           VALUES ('kalshi', $1, 'yes', 'g1', true, 10, 5, $2, $3, $4)""",
        market,
        Decimal(realized),
        None if unrealized is None else Decimal(unrealized),
        status,
    )


def _guard(infra: Infra, limit: str) -> DrawdownGuard:
    return DrawdownGuard(infra.pool, infra.market_data, paper=True, max_daily_loss=Decimal(limit), interval_s=60)


async def test_a_daily_loss_beyond_the_limit_halts_trading_once(infra: Infra) -> None:
    await _position(infra, "KX-A", "-300", None, "settled")
    await _position(infra, "KX-B", "0", "-150")
    guard = _guard(infra, "500")
    assert not await guard.check() and guard.last_pnl == Decimal("-450")
    assert not (await read_trading_state(infra.pool)).halted
    await _position(infra, "KX-C", "-60", "-1")
    assert await guard.check() and await guard.check()
    state = await read_trading_state(infra.pool)
    assert state.halted and state.source == "position_tracker:drawdown" and "511.00" in state.reason
    halts = await infra.pool.fetchval("SELECT count(*) FROM trading_state_log WHERE state = 'halted'")
    assert halts == 1


async def test_yesterdays_losses_do_not_count_today(infra: Infra) -> None:
    now = utc_now()
    before = day_start(now) - timedelta(minutes=5)
    await infra.pool.execute(
        """INSERT INTO pnl_snapshots (ts, paper, realized_pnl, unrealized_pnl, fees_paid, open_positions)
           VALUES ($1, true, -900, -100, 0, 1)""",
        before,
    )
    await _position(infra, "KX-A", "-1100", "-100")
    assert await daily_pnl(infra.pool, True, now) == Decimal("-200")
    assert not await _guard(infra, "500").check(now)
    assert not (await read_trading_state(infra.pool)).halted


async def test_an_exception_in_pnl_code_halts_and_the_message_is_retried(infra: Infra) -> None:
    async def broken(message: Message, uow: UnitOfWork) -> None:
        raise ArithmeticError("bad mark")

    guarded = halting_on_error(broken, infra.pool, infra.market_data, "fill")
    message = MarketSettled(venue="kalshi", market_id="KX-A", payouts={"yes": Decimal(1), "no": Decimal(0)})
    with pytest.raises(ArithmeticError):
        async with infra.store.unit_of_work() as uow:
            await guarded(message, uow)
    state = await read_trading_state(infra.pool)
    assert state.halted and "ArithmeticError" in state.reason
