"""The execution service around the engines: the paper/real switch, persistence before sending, later fills
found by reconciliation, and a disabled venue (real PostgreSQL)."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import asyncpg
import pytest

from markets.paper.books import BookSnapshot
from markets.paper.engine import PaperTradingEngine
from services.execution_service.config import ExecutionSettings
from services.execution_service.engines import build, engine_config, log_trading_mode
from services.execution_service.handlers import SubmitHandler
from services.execution_service.reconcile import reconcile_once
from services.execution_service.service import ExecutionService
from shared.bus.pubsub import MarketDataBus
from shared.config import ConfigError, load_settings
from shared.db.uow import Store
from shared.messages import SubmitOrder, decode
from shared.runtime.infra import Infra
from shared.runtime.runner import run_services

pytestmark = pytest.mark.integration
D = Decimal


class MovableBook:
    """A book we move by hand (our own test double of a BookSource, not of a venue)."""

    def __init__(self, ask: str) -> None:
        self.ask = D(ask)

    async def snapshot(self, market_id: str, outcome_id: str) -> BookSnapshot | None:
        if market_id != "m":
            return None
        return BookSnapshot(
            bids=((D("0.30"), D(100)),),
            asks=((self.ask, D(100)),),
            ts=datetime.now(UTC),
            tick_size=D("0.01"),
            min_size=D(1),
        )


def _command(tif: str = "gtc") -> SubmitOrder:
    return SubmitOrder(
        intent_id="i1",
        client_order_id="arb-c1",
        signal_id="s1",
        strategy="t",
        game_id="g1",
        venue="kalshi",
        market_id="m",
        outcome_id="yes",
        side="buy",
        limit_price=D("0.40"),
        quantity=D(10),
        time_in_force=tif,
        tick_size=D("0.01"),
    )


async def _run(handler: SubmitHandler, store: Store, command: SubmitOrder) -> None:
    await store.pool.execute(
        """INSERT INTO order_intents (intent_id, client_order_id, signal_id, leg_index, strategy, game_id, venue,
               market_id, outcome_id, side, limit_price, quantity, notional, decision)
           VALUES ($1, $2, $3, 0, $4, $5, $6, $7, $8, $9, $10, $11, $12, 'approved') ON CONFLICT DO NOTHING""",
        command.intent_id,
        command.client_order_id,
        command.signal_id,
        command.strategy,
        command.game_id,
        command.venue,
        command.market_id,
        command.outcome_id,
        command.side,
        command.limit_price,
        command.quantity,
        command.limit_price * command.quantity,
    )
    async with store.unit_of_work() as uow:
        await handler(command, uow)


async def test_paper_switch_is_the_default(clean_env: pytest.MonkeyPatch, tmp_path: Any) -> None:
    clean_env.setenv("ARBEES_DATA_DIR", str(tmp_path))
    settings = load_settings(ExecutionSettings)
    engines = build(settings, MarketDataBus(None))
    assert set(engines) == {"kalshi", "polymarket"}
    assert all(isinstance(e, PaperTradingEngine) and e.paper for e in engines.values())


async def test_real_money_without_credentials_stops_start_up(clean_env: pytest.MonkeyPatch, tmp_path: Any) -> None:
    clean_env.setenv("ARBEES_DATA_DIR", str(tmp_path))
    clean_env.setenv("PAPER_TRADING", "0")
    clean_env.setenv("LIVE_TRADING_CONFIRMED", "1")
    settings = load_settings(ExecutionSettings)
    assert engine_config(settings).mode == "live"
    with pytest.raises(ConfigError, match="KALSHI_API_KEY_ID"):
        build(settings, MarketDataBus(None))


async def test_resting_order_filled_later_is_found_by_reconciliation(db_pool: asyncpg.Pool) -> None:
    pool = db_pool
    store = Store(pool)
    book = MovableBook(ask="0.45")
    engine = PaperTradingEngine("kalshi", book, starting_balance=D(100))
    handler = SubmitHandler({"kalshi": engine}, pool, {})
    await _run(handler, store, _command())
    order = await pool.fetchrow("SELECT status, filled_quantity FROM orders WHERE client_order_id = 'arb-c1'")
    assert order["status"] == "accepted" and order["filled_quantity"] == 0

    book.ask = D("0.40")  # the market trades down through our resting buy
    await engine.poll()
    assert await reconcile_once(pool, store, {"kalshi": engine}) == 1
    order = await pool.fetchrow("SELECT status, filled_quantity FROM orders WHERE client_order_id = 'arb-c1'")
    assert order["status"] == "filled" and order["filled_quantity"] == 10
    assert await pool.fetchval("SELECT count(*) FROM fills WHERE client_order_id = 'arb-c1'") == 1
    assert await reconcile_once(pool, store, {"kalshi": engine}) == 0  # nothing new: nothing emitted twice
    kinds = [decode(bytes(r["payload"])).type for r in await pool.fetch("SELECT payload FROM outbox ORDER BY id")]
    assert kinds.count("order_filled") == 1


async def test_the_order_row_is_committed_before_the_engine_is_called(db_pool: asyncpg.Pool, database_url: str) -> None:
    pool = db_pool
    store = Store(pool)
    seen: list[Any] = []

    class Probe(PaperTradingEngine):
        async def submit(self, request: Any) -> Any:
            async with asyncpg.create_pool(database_url, min_size=1, max_size=1) as other:
                seen.append(
                    await other.fetchval(
                        "SELECT status FROM orders WHERE client_order_id = $1", request.client_order_id
                    )
                )
            return await super().submit(request)

    engine = Probe("kalshi", MovableBook(ask="0.40"), starting_balance=D(100))
    await _run(SubmitHandler({"kalshi": engine}, pool, {}), store, _command(tif="ioc"))
    assert seen == ["submitted"]  # visible to another connection: it survives a crash during the send


async def test_orders_for_a_disabled_venue_are_rejected_with_the_reason(db_pool: asyncpg.Pool) -> None:
    pool = db_pool
    store = Store(pool)
    handler = SubmitHandler({}, pool, {"kalshi": "geoblocked: trading restricted in your region"})
    await _run(handler, store, _command())
    row = await pool.fetchrow("SELECT status, reason FROM orders WHERE client_order_id = 'arb-c1'")
    assert row["status"] == "rejected" and "geoblocked" in row["reason"]


def _trading_lines(caplog: pytest.LogCaptureFixture) -> list[tuple[Any, Any, Any]]:
    """(trading_mode, venues, venues_off) of each start-up trading line."""
    lines = [r.__dict__ for r in caplog.records if hasattr(r, "trading_mode")]
    return [(r["trading_mode"], r["venues"], r["venues_off"]) for r in lines]


async def test_start_up_logs_one_line_with_the_trading_mode_and_the_venues(
    infra: Infra, clean_env: pytest.MonkeyPatch, tmp_path: Any, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    clean_env.setenv("ARBEES_DATA_DIR", str(tmp_path))
    service = ExecutionService(load_settings(ExecutionSettings))
    stopping, ready = asyncio.Event(), asyncio.Event()
    run = asyncio.create_task(
        run_services([service], infra, stopping=stopping, ready=ready, install_signals=False, serve_health=False)
    )
    try:
        await asyncio.wait_for(ready.wait(), 60)
    finally:
        stopping.set()
        await asyncio.wait_for(run, 60)
    assert _trading_lines(caplog) == [("paper", ["kalshi", "polymarket"], {})]


def test_the_line_names_what_enables_a_venue_that_is_not_traded(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    kalshi = PaperTradingEngine("kalshi", MovableBook("0.40"))  # stands in for the real engine: only the key counts
    log_trading_mode("live", {"kalshi": kalshi}, {})
    log_trading_mode("live", {}, {"kalshi": "geoblocked: 403"})
    first, second = _trading_lines(caplog)
    assert first == ("live", ["kalshi"], {"polymarket": "no credentials: set POLYMARKET_PRIVATE_KEY"})
    assert second[1] == [] and second[2]["kalshi"] == "geoblocked: 403"
    assert "KALSHI_API_KEY_ID" not in second[2]["kalshi"]  # a geoblock is not a missing credential
