"""The execution side of the kill switch and the execution-time checks (R18, L4), and per-venue queues.

The execution service runs for real (its consumer, gates, halt watcher and reconciliation) on real
PostgreSQL and Redis, with the production Kalshi and Polymarket engines against both simulators in
process. Intents enter as the signal processor sends them: an approved ``order_intents`` row, then a
``SubmitOrder`` through the outbox onto ``orders.submit``. Every test ends with the ledger check.
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

from markets.base import ExecutionEngine, Unknown
from markets.sim.kalshi.auth import KeyRegistry
from markets.sim.kalshi.exchange import KalshiExchange, OrderSpec
from markets.sim.kalshi.inprocess import RunningSim, serve_in_process
from markets.sim.kalshi.seeding import open_game
from markets.sim.kalshi.state import SimState
from services.execution_service import engines as engine_setup
from services.execution_service.config import ExecutionSettings
from services.execution_service.service import ExecutionService
from shared.bus import keys
from shared.config import load_settings
from shared.ledger_check import UNSENT_REASONS, check_ledger
from shared.messages import MarketPriceUpdated, SubmitOrder, derive_id
from shared.prices import Venue
from shared.runtime.infra import Infra
from shared.runtime.runner import run_services
from shared.trading_state import halt, read_trading_state
from tests.contract.engines import harness_kalshi as hk
from tests.contract.engines.harness_polymarket import ExecEnv, execution_env
from tests.support import eventually
from tests.unit.kalshi.keys import private_key

pytestmark = pytest.mark.integration
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


async def test_an_intent_approved_before_a_halt_is_not_sent(fleet: Fleet) -> None:
    await fleet.price("kalshi", KALSHI_PRICE)
    await fleet.price("polymarket", PM_PRICE)
    approved = [await fleet.approve("kalshi"), await fleet.approve("polymarket")]
    async with fleet.infra.pool.acquire() as conn:
        await halt(conn, "operator: review", "test", bus=fleet.infra.market_data)
    for cmd in approved:
        await fleet.send(cmd)
    for cmd in approved:
        row = await eventually(lambda cmd=cmd: fleet.settled(cmd))
        assert row["status"] == "rejected" and row["reason"].startswith("trading_halted: operator: review")
    assert fleet.kalshi_orders() == 0 and fleet.pm.posts() == 0
    await fleet.ledger_ok()


async def test_a_halt_cancels_the_resting_order_on_each_venue_within_5s(fleet: Fleet) -> None:
    await fleet.price("kalshi", KALSHI_PRICE)
    await fleet.price("polymarket", PM_PRICE)
    resting = [await fleet.approve("kalshi"), await fleet.approve("polymarket")]
    for cmd in resting:
        await fleet.send(cmd)
    for cmd in resting:
        row = await eventually(lambda cmd=cmd: fleet.settled(cmd), timeout=30)
        assert row["status"] == "accepted", row["reason"]
    assert all([await e.open_orders() for e in fleet.engines().values()])

    async with fleet.infra.pool.acquire() as conn:
        await halt(conn, "drawdown", "test", bus=fleet.infra.market_data)
    sweep = (await eventually(lambda: _sweeps(fleet), timeout=30))[0]
    assert sweep.confirmed, sweep
    assert sweep.elapsed_s < 5.0  # measured by the service: from noticing the halt to no open order on any venue
    assert {v.venue: len(v.cancelled) for v in sweep.venues} == {"kalshi": 1, "polymarket": 1}
    for engine in fleet.engines().values():
        assert await engine.open_orders() == []
    for cmd in resting:
        await eventually(lambda cmd=cmd: _status_is(fleet, cmd, "canceled"), timeout=30)
    await fleet.ledger_ok()


async def _sweeps(fleet: Fleet) -> list[Any]:
    return fleet.service.halt_watcher.sweeps


async def _status_is(fleet: Fleet, cmd: SubmitOrder, status: str) -> bool:
    row = await fleet.order(cmd)
    return row is not None and row["status"] == status


async def test_expired_stale_and_moved_intents_are_not_sent(fleet: Fleet) -> None:
    await fleet.price("kalshi", D("0.35"))  # fresh, but above a 0.30 buy limit
    await fleet.price("polymarket", PM_PRICE, age_s=120)  # at the limit, but two minutes old
    past = datetime.now(UTC) - timedelta(seconds=1)
    expired = await fleet.approve("kalshi", limit_price=D("0.36"), expires_at=past)
    signal_expired = await fleet.approve("kalshi", limit_price=D("0.36"))
    await fleet.infra.pool.execute(
        """INSERT INTO signals (signal_id, message_id, ts, strategy, kind, game_id, edge_per_contract, payload)
           VALUES ($1, $2, now(), 'test', 'model_edge', 'g1', 0.05, $3)""",
        signal_expired.signal_id, derive_id("signal", signal_expired.signal_id), {"expires_at": past.isoformat()},
    )  # fmt: skip
    moved = await fleet.approve("kalshi")
    stale = await fleet.approve("polymarket")
    cases = {expired: "intent_expired", signal_expired: "intent_expired", moved: "price_moved", stale: "book_stale"}
    for cmd in cases:
        await fleet.send(cmd)
    for cmd, code in cases.items():
        row = await eventually(lambda cmd=cmd: fleet.settled(cmd))
        assert (row["status"], row["reason"].split(":")[0]) == ("rejected", code), row["reason"]
    assert fleet.kalshi_orders() == 0 and fleet.pm.posts() == 0
    await fleet.ledger_ok()


@pytest.mark.parametrize("exec_overrides", [{"submit_timeout_s": 4.0}])
async def test_a_stuck_venue_does_not_delay_orders_to_the_other(fleet: Fleet) -> None:
    await fleet.price("kalshi", KALSHI_PRICE)
    await fleet.price("polymarket", PM_PRICE)
    fault = {"kind": "latency", "method": "POST", "path": "portfolio/events/orders$", "latency_ms": 8000}
    await fleet.kalshi_sim.control("POST", "/_sim/faults", fault | {"count": 100})
    stuck, other = await fleet.approve("kalshi"), await fleet.approve("polymarket")
    await fleet.send(stuck)
    await eventually(lambda: _applied(fleet))  # the Kalshi submit is now hanging at the venue
    await fleet.send(other)

    settled = await eventually(lambda: fleet.settled(other), timeout=30)
    assert settled["status"] == "accepted", settled["reason"]
    assert (await fleet.order(stuck))["status"] == "submitted"  # still waiting for Kalshi
    await fleet.kalshi_sim.control("DELETE", "/_sim/faults")
    timed_out = await eventually(lambda: fleet.settled(stuck), timeout=30)
    assert timed_out["status"] == "unknown" and timed_out["reason"].startswith("venue_timeout"), timed_out["reason"]
    await fleet.ledger_ok()


async def _applied(fleet: Fleet) -> bool:
    faults = fleet.kalshi_sim.state.injector.list()
    return bool(faults) and faults[0]["applied"] >= 1


def test_every_refusal_code_is_an_unsent_reason_for_the_ledger() -> None:
    from services.execution_service import gates

    codes = [gates.TRADING_HALTED, gates.REDUCE_ONLY_INVALID, gates.INTENT_EXPIRED, gates.BOOK_STALE, gates.PRICE_MOVED]
    assert all(f"{code}:" in UNSENT_REASONS for code in codes)


async def test_a_reduce_only_sell_is_sent_while_halted_and_a_buy_is_not(fleet: Fleet) -> None:
    await fleet.price("polymarket", PM_PRICE)
    await fleet.pm.counterparty.offer(PM_PRICE, D(10))  # a resting sell our buy takes
    bought = await fleet.approve("polymarket", time_in_force="ioc")
    await fleet.send(bought)
    await eventually(lambda: _status_is(fleet, bought, "filled"), timeout=30)
    await eventually(lambda: _held(fleet, D(10)), timeout=30)

    async with fleet.infra.pool.acquire() as conn:
        await halt(conn, "drawdown", "test", bus=fleet.infra.market_data)
    await fleet.price("polymarket", PM_PRICE + D("0.05"))  # bid 0.40: a sell at 0.40 is not beyond the book
    exit_sell = await fleet.approve("polymarket", side="sell", time_in_force="ioc", reduce_only=True)
    too_big = await fleet.approve("polymarket", side="sell", quantity=D(11), time_in_force="ioc", reduce_only=True)
    buy = await fleet.approve("polymarket", limit_price=PM_PRICE + D("0.05"), time_in_force="ioc")
    for cmd in (exit_sell, too_big, buy):
        await fleet.send(cmd)
    sent = await eventually(lambda: fleet.settled(exit_sell), timeout=30)
    assert not (sent["reason"] or "").startswith(UNSENT_REASONS), sent["reason"]  # the venue answered it
    assert fleet.pm.posts() == 3  # the counterparty's offer, our buy before the halt and the exit (a killed FAK)
    refused = {cmd.client_order_id: await eventually(lambda cmd=cmd: fleet.settled(cmd)) for cmd in (too_big, buy)}
    assert refused[too_big.client_order_id]["reason"].startswith("reduce_only_invalid:")
    assert refused[buy.client_order_id]["reason"].startswith("trading_halted:")
    await fleet.ledger_ok()  # L4: the sell only reduced a position we held, so it may go out while halted


async def _held(fleet: Fleet, quantity: Decimal) -> bool:
    return any(p.outcome_id == fleet.pm.token and p.quantity >= quantity for p in await fleet.pm.engine.positions())


@pytest.mark.parametrize("exec_overrides", [{"circuit_open_s": 600.0, "circuit_open_max_s": 600.0}])
async def test_an_open_venue_circuit_refuses_orders_to_that_venue_only(fleet: Fleet) -> None:
    for _ in range(fleet.service.exec_settings.circuit_failure_threshold):
        fleet.service.circuit.record("kalshi", Unknown("venue_busy: 503 from the venue"))
    await fleet.price("kalshi", KALSHI_PRICE)
    await fleet.price("polymarket", PM_PRICE)
    refused, sent = await fleet.approve("kalshi"), await fleet.approve("polymarket")
    await fleet.send(refused)
    await fleet.send(sent)
    row = await eventually(lambda: fleet.settled(refused))
    assert row["status"] == "rejected" and row["reason"].startswith("venue_circuit_open: kalshi open")
    assert (await eventually(lambda: fleet.settled(sent)))["status"] != "rejected"
    assert fleet.kalshi_orders() == 0 and fleet.pm.posts() == 1
    await fleet.ledger_ok()


async def _arbitrage(fleet: Fleet, signal_id: str) -> list[SubmitOrder]:
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


async def _steps(fleet: Fleet, signal_id: str) -> list[Any]:
    return list(
        await fleet.infra.pool.fetch(
            """SELECT i.leg_index, i.venue, i.side, o.status, COALESCE(o.filled_quantity, 0) AS filled
               FROM order_intents i LEFT JOIN orders o ON o.client_order_id = i.client_order_id
               WHERE i.signal_id = $1 ORDER BY i.leg_index""",
            signal_id,
        )
    )


@pytest.mark.parametrize("exec_overrides", [{"legs_bound_s": 1.0, "legs_interval_s": 0.2}])
async def test_an_arbitrage_leg_that_does_not_fill_is_hedged_on_the_venue(fleet: Fleet) -> None:
    # Kalshi's offer has moved 2 cents above the leg's limit: the Kalshi leg is not filled (refused as
    # price_moved), the Polymarket leg fills, and the guard buys the Kalshi contracts at the new offer,
    # within its 3-cent cap.
    exchange = fleet.kalshi_sim.state.exchange
    exchange.add_account("seller", D(100000), unlimited=True)
    exchange.create_order("seller", OrderSpec(fleet.kalshi_ticker, "ask", KALSHI_PRICE + D("0.02"), D(10), "s-1"))
    await fleet.price("kalshi", KALSHI_PRICE + D("0.02"))
    await fleet.price("polymarket", PM_PRICE)
    await fleet.pm.counterparty.offer(PM_PRICE, D(10))
    for cmd in await _arbitrage(fleet, "arb-hedged"):
        await fleet.send(cmd)

    async def hedged() -> bool:
        return any(r["leg_index"] == 100 and r["filled"] == D(10) for r in await _steps(fleet, "arb-hedged"))

    await eventually(hedged, timeout=30)
    steps = {r["leg_index"]: r for r in await _steps(fleet, "arb-hedged")}
    assert (steps[0]["filled"], steps[1]["filled"], steps[100]["venue"]) == (D(0), D(10), "kalshi")
    assert [a for a, _ in fleet.service.legs.actions] == ["hedge"]
    await fleet.ledger_ok()


@pytest.mark.parametrize("exec_overrides", [{"legs_bound_s": 1.0, "legs_interval_s": 0.2, "unwind_attempts": 1}])
async def test_a_leg_neither_hedged_nor_unwound_halts_trading(fleet: Fleet) -> None:
    await fleet.price("kalshi", KALSHI_PRICE)
    await fleet.price("polymarket", PM_PRICE)
    await fleet.pm.counterparty.offer(PM_PRICE, D(10))
    for cmd in await _arbitrage(fleet, "arb-naked"):
        await fleet.send(cmd)
    # No Kalshi seller and no Polymarket buyer: the hedge and the unwind both go unfilled.
    state = await eventually(_halted_state(fleet), timeout=60)
    assert "could not be hedged or unwound" in state.reason
    assert [a for a, _ in fleet.service.legs.actions] == ["hedge", "unwind", "stuck"]
    await fleet.ledger_ok()


def _halted_state(fleet: Fleet) -> Any:
    async def check() -> Any:
        state = await read_trading_state(fleet.infra.pool)
        return state if state.halted else None

    return check
