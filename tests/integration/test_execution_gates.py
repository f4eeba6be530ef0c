"""The execution side of the kill switch and the execution-time checks (R18, L4), and per-venue queues.

The execution service runs for real (its consumer, gates, halt watcher and reconciliation) on real
PostgreSQL and Redis, with the production Kalshi and Polymarket engines against both simulators in
process. Intents enter as the signal processor sends them: an approved ``order_intents`` row, then a
``SubmitOrder`` through the outbox onto ``orders.submit``. Every test ends with the ledger check.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from markets.base import Unknown
from markets.sim.kalshi.exchange import OrderSpec
from shared.ledger_check import UNSENT_REASONS
from shared.messages import SubmitOrder, derive_id
from shared.trading_state import halt, read_trading_state
from tests.integration.helpers.execution_fleet import KALSHI_PRICE, PM_PRICE, Fleet, arbitrage_legs, arbitrage_steps
from tests.support import eventually

pytestmark = pytest.mark.integration
D = Decimal


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
    for cmd in await arbitrage_legs(fleet, "arb-hedged"):
        await fleet.send(cmd)

    async def hedged() -> bool:
        return any(r["leg_index"] == 100 and r["filled"] == D(10) for r in await arbitrage_steps(fleet, "arb-hedged"))

    await eventually(hedged, timeout=30)
    steps = {r["leg_index"]: r for r in await arbitrage_steps(fleet, "arb-hedged")}
    assert (steps[0]["filled"], steps[1]["filled"], steps[100]["venue"]) == (D(0), D(10), "kalshi")
    assert [a for a, _ in fleet.service.legs.actions] == ["hedge"]
    await fleet.ledger_ok()


@pytest.mark.parametrize("exec_overrides", [{"legs_bound_s": 1.0, "legs_interval_s": 0.2, "unwind_attempts": 1}])
async def test_a_leg_neither_hedged_nor_unwound_halts_trading(fleet: Fleet) -> None:
    await fleet.price("kalshi", KALSHI_PRICE)
    await fleet.price("polymarket", PM_PRICE)
    await fleet.pm.counterparty.offer(PM_PRICE, D(10))
    for cmd in await arbitrage_legs(fleet, "arb-naked"):
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
