"""The execution service running for real over both simulators: the ``fleet`` fixture of the execution tests.

The service runs its consumer, gates, halt watcher and reconciliation on real PostgreSQL and Redis, with
the production Kalshi and Polymarket engines against both simulators in process. Intents enter as the
signal processor sends them: an approved ``order_intents`` row, then a ``SubmitOrder`` through the outbox
onto ``orders.submit``. :meth:`Fleet.ledger_ok` is the ledger check every test ends with.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from markets.base import ExecutionEngine
from markets.sim.kalshi.auth import KeyRegistry
from markets.sim.kalshi.exchange import KalshiExchange
from markets.sim.kalshi.inprocess import RunningSim, serve_in_process
from markets.sim.kalshi.seeding import open_game
from markets.sim.kalshi.state import SimState
from services.execution_service import engines as engine_setup
from services.execution_service.config import ExecutionSettings
from services.execution_service.service import ExecutionService
from shared.bus import keys
from shared.config import load_settings
from shared.ledger_check import check_ledger
from shared.messages import MarketPriceUpdated, SubmitOrder, derive_id
from shared.prices import Venue
from shared.runtime.infra import Infra
from shared.runtime.runner import run_services
from tests.contract.engines import harness_kalshi as hk
from tests.contract.engines.harness_polymarket import ExecEnv, execution_env
from tests.support import eventually
from tests.unit.kalshi.keys import private_key

D = Decimal
KALSHI_PRICE, PM_PRICE = D("0.30"), D("0.40")


@dataclass
class Fleet:
    """The running execution service, both simulators and helpers to send intents."""

    infra: Infra
    service: ExecutionService
    kalshi_sim: RunningSim
    kalshi_ticker: str
    pm: ExecEnv
    count: int = 0

    def market(self, venue: Venue) -> tuple[str, str]:
        return (self.kalshi_ticker, "yes") if venue == "kalshi" else (self.pm.condition_id, self.pm.token)

    async def price(self, venue: Venue, ask: Decimal, *, age_s: float = 0.0) -> None:
        market_id, outcome_id = self.market(venue)
        top = MarketPriceUpdated(
            venue=venue, market_id=market_id, outcome_id=outcome_id, best_bid=ask - D("0.05"), best_ask=ask,
            bid_size=D(100), ask_size=D(100), ts_event=datetime.now(UTC) - timedelta(seconds=age_s),
        )  # fmt: skip
        await self.infra.market_data.publish(keys.MARKET_PRICE, top.key, top)

    async def approve(self, venue: Venue, *, leg_index: int = 0, **overrides: Any) -> SubmitOrder:
        """An approved intent row (not yet sent on the stream)."""
        self.count += 1
        market_id, outcome_id = self.market(venue)
        intent_id = f"i-{venue}-{self.count}"
        fields: dict[str, Any] = {
            "intent_id": intent_id, "client_order_id": f"arb-{derive_id('t', intent_id).hex[:20]}",
            "signal_id": f"s-{self.count}", "strategy": "test", "game_id": "g1", "venue": venue,
            "market_id": market_id, "outcome_id": outcome_id, "side": "buy",
            "limit_price": KALSHI_PRICE if venue == "kalshi" else PM_PRICE, "quantity": D(10),
            "time_in_force": "gtc", "tick_size": D("0.01"),
        }  # fmt: skip
        cmd = SubmitOrder(**(fields | overrides))
        await self.infra.pool.execute(
            """INSERT INTO order_intents (intent_id, client_order_id, signal_id, leg_index, strategy, game_id, venue,
                   market_id, outcome_id, side, limit_price, quantity, notional, decision)
               VALUES ($1, $2, $3, $13, $4, $5, $6, $7, $8, $9, $10, $11, $12, 'approved')""",
            cmd.intent_id, cmd.client_order_id, cmd.signal_id, cmd.strategy, cmd.game_id, cmd.venue, cmd.market_id,
            cmd.outcome_id, cmd.side, cmd.limit_price, cmd.quantity, cmd.limit_price * cmd.quantity, leg_index,
        )  # fmt: skip
        return cmd

    async def send(self, cmd: SubmitOrder) -> None:
        async with self.infra.store.unit_of_work() as uow:
            await uow.emit(keys.ORDER_SUBMIT, cmd)

    async def order(self, cmd: SubmitOrder) -> Any:
        return await self.infra.pool.fetchrow("SELECT * FROM orders WHERE client_order_id = $1", cmd.client_order_id)

    async def settled(self, cmd: SubmitOrder) -> Any:
        """The order row once the service has recorded an answer (no longer ``submitted``)."""
        row = await self.order(cmd)
        return row if row is not None and row["status"] != "submitted" else None

    def engines(self) -> dict[Venue, ExecutionEngine]:
        return self.service.engines

    def kalshi_orders(self) -> int:
        return len(self.kalshi_sim.state.exchange.orders)

    async def ledger_ok(self) -> None:
        async def quiet() -> bool:  # nothing left in the outbox or pending on a stream
            return (await check_ledger(self.infra.pool, self.infra.redis)).ok

        with contextlib.suppress(AssertionError):
            await eventually(quiet, timeout=10)
        report = await check_ledger(self.infra.pool, self.infra.redis)
        assert report.ok, report.problems


@contextlib.asynccontextmanager
async def kalshi_sim() -> AsyncIterator[tuple[RunningSim, str, Any]]:
    key = private_key(0)
    registry = KeyRegistry({hk.OURS: key.public_key()}, max_skew_s=hk.SIM_AUTH_WINDOW_S)
    exchange = KalshiExchange(starting_balance=D(1000))
    (market,) = open_game(
        exchange, league="nba", away=("LAL", "Los Angeles L"), home=("BOS", "Boston"), start=hk.GAME_START
    )
    async with serve_in_process(SimState(exchange, registry, run_makers=False)) as sim:
        yield sim, market.ticker, key


@pytest.fixture
def exec_overrides() -> dict[str, Any]:
    """Execution settings of a test (parametrize to change them)."""
    return {}


@pytest.fixture
async def fleet(
    infra: Infra, clean_env: pytest.MonkeyPatch, tmp_path: Path, exec_overrides: dict[str, Any]
) -> AsyncIterator[Fleet]:
    """The service over both simulators."""
    overrides: dict[str, Any] = {"halt_poll_interval_s": 0.5, "reconcile_interval_s": 0.5} | exec_overrides
    settings = load_settings(ExecutionSettings, data_dir=tmp_path, stream_block_ms=100, **overrides)
    async with kalshi_sim() as (ksim, ticker, key), execution_env(tmp_path / "pm", start=False) as pm:
        kalshi = hk.build_engine(ksim.rest_url, ksim.ws_url, hk.OURS, key, tmp_path)
        built: dict[Venue, ExecutionEngine] = {"kalshi": kalshi, "polymarket": pm.engine}
        clean_env.setattr(engine_setup, "build", lambda *_: built)
        service = ExecutionService(settings)
        stopping, ready = asyncio.Event(), asyncio.Event()
        run = asyncio.create_task(
            run_services([service], infra, stopping=stopping, ready=ready, install_signals=False, serve_health=False)
        )
        try:
            await asyncio.wait_for(asyncio.shield(ready.wait()), 60)
            yield Fleet(infra, service, ksim, ticker, pm)
        finally:
            stopping.set()
            await asyncio.wait_for(run, 60)


async def arbitrage_legs(fleet: Fleet, signal_id: str) -> list[SubmitOrder]:
    """Both legs of an arbitrage approved as signal_processor would (a signals row, one intent per leg)."""
    legs = [
        {"venue": v, "market_id": m, "outcome_id": o, "tick_size": "0.01"}
        for v, (m, o) in (("kalshi", fleet.market("kalshi")), ("polymarket", fleet.market("polymarket")))
    ]
    await fleet.infra.pool.execute(
        """INSERT INTO signals (signal_id, message_id, ts, strategy, kind, game_id, edge_per_contract, payload)
           VALUES ($1, gen_random_uuid(), now(), 'arb', 'arbitrage', 'g1', 0.02, $2)""",
        signal_id,
        {"legs": legs},
    )
    kalshi = await fleet.approve("kalshi", signal_id=signal_id, strategy="arb", time_in_force="ioc")
    pm = await fleet.approve("polymarket", leg_index=1, signal_id=signal_id, strategy="arb", time_in_force="ioc")
    return [kalshi, pm]


async def arbitrage_steps(fleet: Fleet, signal_id: str) -> list[Any]:
    """Every intent of ``signal_id`` (legs, hedges, unwinds) with its order's status and filled quantity."""
    return list(
        await fleet.infra.pool.fetch(
            """SELECT i.leg_index, i.venue, i.side, o.status, COALESCE(o.filled_quantity, 0) AS filled
               FROM order_intents i LEFT JOIN orders o ON o.client_order_id = i.client_order_id
               WHERE i.signal_id = $1 ORDER BY i.leg_index""",
            signal_id,
        )
    )
