"""The persisted trading state (kill switch): fail-closed reads, logged changes, the bus announcement, L4."""

from __future__ import annotations

import asyncio
from decimal import Decimal

import pytest

from shared.bus import keys
from shared.ledger_check import check_ledger
from shared.messages import TradingStateChanged
from shared.runtime.infra import Infra
from shared.trading_state import halt, read_trading_state, resume

pytestmark = pytest.mark.integration


async def test_a_fresh_database_trades_and_a_halt_is_persisted_logged_and_announced(infra: Infra) -> None:
    assert (await read_trading_state(infra.pool)).state == "active"
    heard: asyncio.Queue[TradingStateChanged] = asyncio.Queue()
    stopping, subscribed = asyncio.Event(), asyncio.Event()

    async def listen() -> None:
        async for _topic, message in infra.market_data.subscribe([keys.TRADING_STATE], stopping, subscribed=subscribed):
            if isinstance(message, TradingStateChanged):
                await heard.put(message)

    listener = asyncio.create_task(listen())
    try:
        await asyncio.wait_for(subscribed.wait(), timeout=30)
        async with infra.pool.acquire() as conn:
            state = await halt(conn, "operator: test", "cli", bus=infra.market_data)
            again = await halt(conn, "operator: test", "cli", bus=infra.market_data)
        assert state.halted and again.changed_at == state.changed_at
        read = await read_trading_state(infra.pool)
        assert (read.state, read.reason, read.source) == ("halted", "operator: test", "cli")
        message = await asyncio.wait_for(heard.get(), timeout=30)
        assert (message.state, message.reason) == ("halted", "operator: test")
        log = await infra.pool.fetch("SELECT state, source FROM trading_state_log ORDER BY id")
        assert [(r["state"], r["source"]) for r in log] == [("active", "migration"), ("halted", "cli")]
        async with infra.pool.acquire() as conn:
            await resume(conn, "operator: done", "api")
            with pytest.raises(ValueError, match="reason"):
                await halt(conn, "  ", "cli")
        assert (await read_trading_state(infra.pool)).state == "active"
    finally:
        stopping.set()
        await listener


@pytest.mark.parametrize("sql", ["DELETE FROM risk_state", 'UPDATE risk_state SET value = \'{"state": "maybe"}\''])
async def test_a_missing_or_unreadable_state_is_halted(infra: Infra, sql: str) -> None:
    await infra.pool.execute(sql)
    state = await read_trading_state(infra.pool)
    assert state.halted and state.source == "fail-closed"


async def test_the_ledger_check_flags_an_order_sent_while_halted(infra: Infra) -> None:
    async with infra.pool.acquire() as conn:
        await halt(conn, "drawdown", "position_tracker")
        await conn.execute(
            """INSERT INTO orders (client_order_id, venue, game_id, market_id, outcome_id, side, limit_price, quantity,
                   status, paper)
               VALUES ('arb-halted-1', 'kalshi', 'g1', 'KXTEST-1', 'yes', 'buy', $1, $2, 'submitted', true)""",
            Decimal("0.50"),
            Decimal(1),
        )
    report = await check_ledger(infra.pool, infra.redis)
    assert not report.ok
    assert any("while trading was halted (drawdown)" in p for p in report.gates)
