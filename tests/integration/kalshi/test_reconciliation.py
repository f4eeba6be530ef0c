"""Start-up reconciliation (R04), a failing start (R04), crash points of the submit path (R03), the
lost-message sweep (R12) and the venue circuit (R20): the Kalshi simulator, real PostgreSQL and Redis."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from markets.base import Accepted, OrderRequest, Unknown
from markets.kalshi.execution import KalshiExecutionEngine
from markets.kalshi.execution.options import ExecutionOptions
from services.execution_service import engines as engine_setup
from services.execution_service.circuit import REASON, VenueCircuit
from services.execution_service.handlers import SubmitHandler
from services.execution_service.recovery import Policy, Reconciler, ReconciliationFailed
from services.execution_service.service import ExecutionService
from shared.bus import keys
from shared.messages import MarketPriceUpdated, SubmitOrder, derive_id, encode
from shared.runtime.infra import Infra
from shared.runtime.runner import run_services
from shared.trading_state import resume
from tests.contract.engines.harness_kalshi import build_engine
from tests.integration.helpers.reconciliation import exec_settings, ledger_problems, snapshot
from tests.integration.kalshi.conftest import KEY_A, KEY_B, TICKER, Sim

pytestmark = pytest.mark.integration
D = Decimal


def _engine(sim: Sim, folder: Path) -> KalshiExecutionEngine:
    return build_engine(
        sim.rest_url, sim.ws_url, KEY_A, sim.keys[KEY_A], folder, options=ExecutionOptions(ws_enabled=False)
    )


async def _approve(infra: Infra, cid: str, *, price: str = "0.30", qty: str = "10", tif: str = "gtc") -> SubmitOrder:
    """An approved intent (and its signal) as signal_processor stores it; returns its command."""
    intent_id = f"i-{cid}"
    signal_id = f"s-{cid}"
    expires = (datetime.now(UTC) + timedelta(hours=1)).isoformat()
    await infra.pool.execute(
        """INSERT INTO signals (signal_id, message_id, ts, strategy, kind, game_id, edge_per_contract, payload)
           VALUES ($1, $2, now(), 't', 'model_edge', 'g1', 0.05, $3)""",
        signal_id,
        uuid.uuid4(),
        {"expires_at": expires, "legs": [{"tick_size": "0.01"}]},
    )
    await infra.pool.execute(
        """INSERT INTO order_intents (intent_id, client_order_id, signal_id, leg_index, strategy, game_id, venue,
               market_id, outcome_id, side, limit_price, quantity, notional, decision)
           VALUES ($1, $2, $3, 0, 't', 'g1', 'kalshi', $4, 'yes', 'buy', $5, $6, $7, 'approved')""",
        intent_id,
        cid,
        signal_id,
        TICKER,
        D(price),
        D(qty),
        D(price) * D(qty),
    )
    return SubmitOrder(
        message_id=derive_id("submit", intent_id),
        intent_id=intent_id,
        client_order_id=cid,
        signal_id=signal_id,
        strategy="t",
        game_id="g1",
        venue="kalshi",
        market_id=TICKER,
        outcome_id="yes",
        side="buy",
        limit_price=D(price),
        quantity=D(qty),
        time_in_force=tif,
        tick_size=D("0.01"),
    )


async def _handle(infra: Infra, engine: KalshiExecutionEngine, cmd: SubmitOrder) -> None:
    async with infra.store.unit_of_work() as uow:
        await SubmitHandler({"kalshi": engine}, infra.pool, {})(cmd, uow)


async def _sell_into(sim: Sim, qty: str, price: str = "0.30") -> None:
    """Key B sells YES into our resting bid (an ask at ``price``, immediate or cancel)."""
    await sim.rest(KEY_B).create_order(
        ticker=TICKER, side="ask", count=D(qty), price=D(price), client_order_id=f"b-{uuid.uuid4().hex[:8]}",
        time_in_force="immediate_or_cancel",
    )  # fmt: skip


def _venue_orders(sim: Sim, cid: str) -> int:
    return sum(1 for o in sim.state.exchange.orders.values() if o.client_order_id == cid)


# -- R04: the start-up reconciliation table ------------------------------------------------------


async def _down_then(sim: Sim, infra: Infra, tmp_path: Path, case: str) -> tuple[KalshiExecutionEngine, str]:
    """Rest one order of ours, stop the engine, let ``case`` happen at the venue, start a new engine."""
    first = _engine(sim, tmp_path)
    await first.start()
    await _handle(infra, first, await _approve(infra, "arb-r04"))
    await first.close()
    venue_id = await infra.pool.fetchval("SELECT venue_order_id FROM orders WHERE client_order_id = 'arb-r04'")
    a = sim.rest(KEY_A)
    if case == "filled":
        await _sell_into(sim, "10")
    elif case == "cancelled":
        await a.cancel_order(venue_id, exchange_index=0)
    elif case == "partly_filled_then_cancelled":
        await _sell_into(sim, "4")
        await a.cancel_order(venue_id, exchange_index=0)
    elif case == "external":
        await a.create_order(ticker=TICKER, side="bid", count=D(3), price=D("0.20"), client_order_id="ext-1")
    elif case == "position_mismatch":  # the ledger holds 3 contracts the venue never had
        await _approve(infra, "arb-ghost", qty="3")
        await infra.pool.execute(
            """INSERT INTO orders (client_order_id, intent_id, venue, game_id, market_id, outcome_id, side,
                   limit_price, quantity, filled_quantity, status, paper)
               VALUES ('arb-ghost', 'i-arb-ghost', 'kalshi', 'g1', $1, 'yes', 'buy', 0.30, 3, 3, 'filled', false)""",
            TICKER,
        )
        await infra.pool.execute(
            """INSERT INTO fills (venue, venue_trade_id, client_order_id, game_id, market_id, outcome_id, side,
                   price, quantity, fee, liquidity, paper, ts)
               VALUES ('kalshi', 'ghost-t1', 'arb-ghost', 'g1', $1, 'yes', 'buy', 0.30, 3, 0, 'taker', false, now())""",
            TICKER,
        )
    second = _engine(sim, tmp_path)
    await second.start()
    return second, venue_id


EXPECTED = {
    "filled": ("filled", D(10)),
    "cancelled": ("canceled", D(0)),
    "partly_filled_then_cancelled": ("canceled", D(4)),
    "external": ("accepted", D(0)),
    "position_mismatch": ("accepted", D(0)),
}


@pytest.mark.parametrize("case", list(EXPECTED))
async def test_start_up_reconciliation_follows_the_venue(sim: Sim, infra: Infra, tmp_path: Path, case: str) -> None:
    engine, _ = await _down_then(sim, infra, tmp_path, case)
    try:
        reconciler = Reconciler(infra.pool, infra.store, {"kalshi": engine}, Policy())
        found = await reconciler.run(at_start=True)
        before = await snapshot(infra)
        again = await reconciler.run(at_start=True)
        assert await snapshot(infra) == before  # deterministic: a second run changes nothing
    finally:
        await engine.close()
    row = await infra.pool.fetchrow("SELECT status, filled_quantity FROM orders WHERE client_order_id = 'arb-r04'")
    assert (row["status"], row["filled_quantity"]) == EXPECTED[case]
    fills = await infra.pool.fetchval("SELECT COALESCE(SUM(quantity), 0) FROM fills WHERE client_order_id = 'arb-r04'")
    assert fills == EXPECTED[case][1]
    assert _venue_orders(sim, "arb-r04") == 1
    problems = await ledger_problems(infra)
    if case == "external":
        external = await infra.pool.fetchrow("SELECT intent_id, reason FROM orders WHERE client_order_id = 'ext-1'")
        assert external["intent_id"] is None and external["reason"].startswith("EXTERNAL")
        assert found.external == ["ext-1"] and again.external == []
        assert problems == ["L1 order ext-1 has no approved intent (external)"]  # reported, loudly, by L1 too
        return
    if case == "position_mismatch":
        assert len(found.position_mismatches) == 1 and TICKER in found.position_mismatches[0]
    else:
        assert found.position_mismatches == [] and found.external == []
    assert problems == []


# -- R04: a failing reconciliation stops the start -----------------------------------------------


def _filled(infra: Infra, cid: str) -> Callable[[], Awaitable[bool]]:
    """True once ``cid`` is filled with its fills stored and no submit message is pending."""

    async def done() -> bool:
        row = await infra.pool.fetchrow(
            "SELECT o.status, o.filled_quantity, (SELECT COALESCE(SUM(quantity), 0) FROM fills f"
            " WHERE f.client_order_id = o.client_order_id) AS fills FROM orders o WHERE client_order_id = $1",
            cid,
        )
        if row is None or row["status"] != "filled" or row["fills"] != row["filled_quantity"]:
            return False
        if not await infra.redis.exists(keys.ORDER_SUBMIT):
            return True
        groups = await infra.redis.xinfo_groups(keys.ORDER_SUBMIT)
        return all(g["pending"] == 0 for g in groups)

    return done


async def _tradeable(infra: Infra) -> None:
    """Trading active and a fresh top of book for the market (the execution-time checks pass)."""
    async with infra.pool.acquire() as conn:
        await resume(conn, "test", "test")
    top = MarketPriceUpdated(venue="kalshi", market_id=TICKER, outcome_id="yes", best_bid=D("0.35"), best_ask=D("0.40"))
    await infra.market_data.publish(keys.MARKET_PRICE, top.key, top)


async def _run_until(
    service: ExecutionService, infra: Infra, done: Callable[[], Awaitable[bool]], timeout_s: float = 30
) -> None:
    await _tradeable(infra)
    stopping, ready = asyncio.Event(), asyncio.Event()
    run = asyncio.create_task(
        run_services([service], infra, stopping=stopping, ready=ready, install_signals=False, serve_health=False)
    )
    try:
        await asyncio.wait_for(ready.wait(), timeout_s)
        async with asyncio.timeout(timeout_s):
            while not await done():
                await asyncio.sleep(0.05)
    finally:
        stopping.set()
        await asyncio.wait_for(run, timeout_s)


async def test_a_failing_reconciliation_stops_the_service_before_trading(
    sim: Sim, infra: Infra, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, clean_env: pytest.MonkeyPatch
) -> None:
    engine = _engine(sim, tmp_path)
    monkeypatch.setattr(engine_setup, "build", lambda settings, bus: {"kalshi": engine})
    await sim.fault(kind="http_status", method="GET", path="/portfolio/positions", status=400, count=None)
    await _approve(infra, "arb-never")
    service = ExecutionService(exec_settings(infra, tmp_path))
    with pytest.raises(ReconciliationFailed, match="start-up reconciliation failed"):
        await run_services([service], infra, install_signals=False, serve_health=False)
    assert not service.consumers  # the submit consumer was never started
    assert await infra.pool.fetchval("SELECT count(*) FROM orders") == 0
    assert _venue_orders(sim, "arb-never") == 0


# -- R03: a crash at each point of the submit path, then a restart ---------------------------------


@pytest.mark.parametrize("crash", ["after_intent_commit", "after_order_row", "after_send", "after_fill"])
async def test_restart_after_a_crash_places_exactly_one_order(
    sim: Sim, infra: Infra, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, clean_env: pytest.MonkeyPatch, crash: str
) -> None:
    sim.set_book(yes=[], no=[("0.60", "100")])  # YES asks at 0.40: an IOC buy at 0.40 fills
    cmd = await _approve(infra, "arb-r03", price="0.40", qty="5", tif="ioc")
    async with infra.store.unit_of_work() as uow:  # the command as signal_processor left it
        await uow.emit(keys.ORDER_SUBMIT, cmd)
    await infra.relay.flush()
    before = _engine(sim, tmp_path)
    if crash != "after_intent_commit":
        await infra.pool.execute(
            """INSERT INTO orders (client_order_id, intent_id, venue, game_id, market_id, outcome_id, side,
                   limit_price, quantity, status, paper, time_in_force)
               VALUES ('arb-r03', 'i-arb-r03', 'kalshi', 'g1', $1, 'yes', 'buy', 0.40, 5, 'submitted', false, 'ioc')""",
            TICKER,
        )  # persisted before the send, as the handler does
    if crash in ("after_send", "after_fill"):
        await before.start()
        request = OrderRequest("arb-r03", TICKER, "yes", "buy", D("0.40"), D(5), "ioc", tick_size=D("0.01"))
        await before.submit(request)  # the venue acted; the process died before recording it
    await before.close()
    engine = _engine(sim, tmp_path)
    monkeypatch.setattr(engine_setup, "build", lambda settings, bus: {"kalshi": engine})

    await _run_until(
        ExecutionService(exec_settings(infra, tmp_path, sweep_interval_s=0.2)), infra, _filled(infra, "arb-r03")
    )
    assert _venue_orders(sim, "arb-r03") == 1
    assert await ledger_problems(infra) == []


# -- R12: an approved intent whose SubmitOrder Redis lost is re-published by the sweep ------------


async def test_the_sweep_republishes_an_intent_whose_message_was_lost(
    sim: Sim, infra: Infra, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, clean_env: pytest.MonkeyPatch
) -> None:
    sim.set_book(yes=[], no=[("0.60", "100")])
    engine = _engine(sim, tmp_path)
    monkeypatch.setattr(engine_setup, "build", lambda settings, bus: {"kalshi": engine})
    service = ExecutionService(exec_settings(infra, tmp_path, sweep_interval_s=0.2))
    lost = False

    async def filled() -> bool:
        nonlocal lost
        if not lost:  # once trading: an intent approved, its row "published", the stream entry gone
            lost = True
            cmd = await _approve(infra, "arb-r12", price="0.40", qty="5", tif="ioc")
            await infra.pool.execute(
                "INSERT INTO outbox (stream, msg_type, message_id, payload, sent_at) VALUES ($1, $2, $3, $4, now())",
                keys.ORDER_SUBMIT,
                cmd.type,
                cmd.message_id,
                encode(cmd),
            )
        return await _filled(infra, "arb-r12")()

    await _run_until(service, infra, filled)
    assert _venue_orders(sim, "arb-r12") == 1
    assert await ledger_problems(infra) == []


# -- R20: the venue circuit ----------------------------------------------------------------------


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


async def test_circuit_opens_on_repeated_5xx_and_closes_after_a_good_probe(sim: Sim, tmp_path: Path) -> None:
    sim.set_book(yes=[], no=[("0.60", "100")])
    clock = FakeClock()
    circuit = VenueCircuit(failure_threshold=2, open_s=5, clock=clock)
    engine = _engine(sim, tmp_path)
    await engine.start()
    try:
        await sim.fault(kind="http_status", method="POST", path="/portfolio/events/orders", status=503, count=None)
        for n in range(2):
            assert circuit.allow("kalshi") is None
            outcome = await engine.submit(OrderRequest(f"arb-5xx-{n}", TICKER, "yes", "buy", D("0.40"), D(1), "ioc"))
            assert isinstance(outcome, Unknown)
            circuit.record("kalshi", outcome)
        refusal = circuit.allow("kalshi")
        assert refusal is not None and refusal.startswith(REASON)
        await circuit.check({"kalshi": engine})  # back-off not over: no probe yet
        assert circuit.state("kalshi") == "open"
        await sim.control("DELETE", "/_sim/faults")
        clock.now += 5
        await circuit.check({"kalshi": engine})
        assert circuit.state("kalshi") == "closed" and circuit.allow("kalshi") is None
    finally:
        await engine.close()


async def test_circuit_opens_while_trading_is_paused_and_probes_until_it_resumes(sim: Sim, tmp_path: Path) -> None:
    clock = FakeClock()
    circuit = VenueCircuit(open_s=5, open_max_s=20, clock=clock)
    engine = _engine(sim, tmp_path)
    await engine.start()
    try:
        await sim.control("POST", "/_sim/exchange", {"trading_active": False})
        await circuit.check({"kalshi": engine})
        refusal = circuit.allow("kalshi")
        assert refusal is not None and "trading_active=false" in refusal
        clock.now += 5
        await circuit.check({"kalshi": engine}, status=False)  # half-open probe: still paused
        assert circuit.state("kalshi") == "open"
        await sim.control("POST", "/_sim/exchange", {"trading_active": True})
        clock.now += 5
        await circuit.check({"kalshi": engine}, status=False)
        assert circuit.state("kalshi") == "open"  # the back-off doubled to 10 s
        clock.now += 5
        await circuit.check({"kalshi": engine}, status=False)
        assert circuit.state("kalshi") == "closed" and circuit.allow("kalshi") is None
    finally:
        await engine.close()


async def test_a_401_opens_the_circuit_at_once_and_is_re_checked_not_latched(sim: Sim, tmp_path: Path) -> None:
    sim.set_book(yes=[], no=[("0.60", "100")])
    clock = FakeClock()
    circuit = VenueCircuit(failure_threshold=3, open_s=5, clock=clock)
    engine = _engine(sim, tmp_path)
    await engine.start()
    try:
        await sim.fault(kind="http_status", method="POST", path="/portfolio/events/orders", status=401, count=None)
        result: Any
        try:
            result = await engine.submit(OrderRequest("arb-401-0", TICKER, "yes", "buy", D("0.40"), D(1), "ioc"))
        except Exception as e:  # noqa: BLE001 - the engine may raise or answer; the circuit takes either
            result = e
        circuit.record("kalshi", result)
        refusal = circuit.allow("kalshi")
        assert refusal is not None and refusal.startswith(REASON)  # one auth failure is enough
        await sim.control("DELETE", "/_sim/faults")
        clock.now += 5
        await circuit.check({"kalshi": engine})  # the probe re-runs the engine's start: the 401 is re-checked
        assert circuit.state("kalshi") == "closed" and circuit.allow("kalshi") is None
        outcome = await engine.submit(OrderRequest("arb-401-1", TICKER, "yes", "buy", D("0.40"), D(1), "ioc"))
        assert isinstance(outcome, Accepted), outcome  # the engine trades again: nothing latched it off
    finally:
        await engine.close()
