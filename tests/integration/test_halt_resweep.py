"""While trading stays halted, an order found resting later is swept too (R18), not only on the change to halted.

The execution service runs for real over the Kalshi and Polymarket simulators (the ``fleet`` fixture).
After the first sweep has confirmed an empty book, an order appears at the venue:
a submit that raced the halt (its row was written before the halt, the venue call landed after the sweep),
or an order placed outside Arbees on our key. The next poll sees it resting, cancels it and confirms,
recorded as a second :class:`~services.execution_service.halt.HaltSweep`. Each test ends with the ledger check.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from markets.base import Accepted, OrderRequest
from markets.sim.kalshi.exchange import OrderSpec
from services.execution_service.halt import HaltSweep
from services.execution_service.ledger import OrderContext, persist_before_send
from shared.ledger_check import check_ledger
from shared.messages import SubmitOrder
from shared.trading_state import halt
from tests.contract.engines import harness_kalshi as hk
from tests.integration.helpers.execution_fleet import KALSHI_PRICE, Fleet
from tests.support import eventually

pytestmark = pytest.mark.integration
D = Decimal


async def _halt_and_first_sweep(fleet: Fleet) -> HaltSweep:
    async with fleet.infra.pool.acquire() as conn:
        await halt(conn, "operator: review", "test", bus=fleet.infra.market_data)
    first: HaltSweep = (await eventually(lambda: _sweeps(fleet, 1), timeout=30))[0]
    assert first.confirmed and all(not v.cancelled for v in first.venues), first
    return first


async def _sweeps(fleet: Fleet, at_least: int) -> Any:
    sweeps = fleet.service.halt_watcher.sweeps
    return list(sweeps) if len(sweeps) >= at_least else None


async def _venue_status(fleet: Fleet, client_order_id: str) -> str | None:
    for order in fleet.kalshi_sim.state.exchange.orders.values():
        if order.client_order_id == client_order_id:
            return str(order.status)
    return None


async def _row_status(fleet: Fleet, cmd: SubmitOrder, status: str) -> Any:
    row = await fleet.order(cmd)
    return row if row is not None and row["status"] == status else None


async def test_a_submit_that_raced_the_halt_is_cancelled_by_the_next_poll(fleet: Fleet) -> None:
    raced = await fleet.approve("kalshi")  # a GTC buy at 0.30 with no seller: it would rest
    async with fleet.infra.pool.acquire() as conn:  # the order row, written before the halt (as before any send)
        await persist_before_send(conn, OrderContext.from_command(raced, paper=False))
    await _halt_and_first_sweep(fleet)

    request = OrderRequest(
        client_order_id=raced.client_order_id, market_id=raced.market_id, outcome_id=raced.outcome_id,
        side=raced.side, limit_price=raced.limit_price, quantity=raced.quantity, tick_size=raced.tick_size,
    )  # fmt: skip
    landed = await fleet.engines()["kalshi"].submit(request)  # the in-flight venue call lands after the sweep
    assert isinstance(landed, Accepted), landed

    second = (await eventually(lambda: _sweeps(fleet, 2), timeout=30))[1]
    assert second.confirmed and second.reason.startswith("re-sweep while halted")
    assert {v.venue: v.cancelled for v in second.venues} == {"kalshi": (raced.client_order_id,)}
    assert await _venue_status(fleet, raced.client_order_id) == "canceled"
    row = await eventually(lambda: _row_status(fleet, raced, "canceled"), timeout=30)
    assert row["created_at"] < (await fleet.infra.pool.fetchval("SELECT max(changed_at) FROM trading_state_log"))
    await fleet.ledger_ok()  # its row predates the halt: not an order sent while halted (L4)


@pytest.mark.parametrize("exec_overrides", [{"sweep_interval_s": 0.5}])
async def test_an_external_order_placed_while_halted_is_cancelled(fleet: Fleet) -> None:
    await _halt_and_first_sweep(fleet)
    exchange = fleet.kalshi_sim.state.exchange
    exchange.create_order(hk.OURS, OrderSpec(fleet.kalshi_ticker, "bid", KALSHI_PRICE, D(5), "by-hand-1"))

    second = (await eventually(lambda: _sweeps(fleet, 2), timeout=30))[1]
    assert second.confirmed and {v.venue: v.cancelled for v in second.venues} == {"kalshi": ("by-hand-1",)}
    assert await _venue_status(fleet, "by-hand-1") == "canceled"
    assert await fleet.engines()["kalshi"].open_orders() == []
    await _ledger_ok_but_external(fleet, "by-hand-1")


async def _ledger_ok_but_external(fleet: Fleet, client_order_id: str) -> None:
    """The ledger check, whose only complaint may be the external order (L1: an order with no approved
    intent), recorded when reconciliation saw it resting before the sweep cancelled it."""

    async def quiet() -> bool:
        report = await check_ledger(fleet.infra.pool, fleet.infra.redis)
        return not (report.messages or report.fills or report.gates)

    await eventually(quiet, timeout=10)
    report = await check_ledger(fleet.infra.pool, fleet.infra.redis)
    assert report.orders in ([], [f"order {client_order_id} has no approved intent (external)"]), report.problems
    assert not (report.fills or report.messages or report.gates), report.problems
