"""An order the venue answers ``filled`` before listing its fills gets them from the order follow-up loop.

A Kalshi buy that crosses a resting offer executes at once: the create answer says filled, the fills
come later. The execution service must record them within its follow-up interval, not only in the
reconciliation sweep (set to an hour here so it cannot be what records them). Ledger check at the end.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from markets.sim.kalshi.exchange import OrderSpec
from tests.integration.helpers.execution_fleet import KALSHI_PRICE, Fleet
from tests.support import eventually

pytestmark = pytest.mark.integration
D = Decimal


@pytest.mark.parametrize("exec_overrides", [{"sweep_interval_s": 3600.0}])
async def test_an_order_filled_at_once_gets_its_fills_without_the_sweep(fleet: Fleet) -> None:
    exchange = fleet.kalshi_sim.state.exchange
    exchange.add_account("seller", D(100000), unlimited=True)
    exchange.create_order("seller", OrderSpec(fleet.kalshi_ticker, "ask", KALSHI_PRICE, D(10), "s-1"))
    await fleet.price("kalshi", KALSHI_PRICE)
    cmd = await fleet.approve("kalshi")
    await fleet.send(cmd)

    async def filled_with_fills() -> bool:
        row = await fleet.order(cmd)
        held = await fleet.infra.pool.fetchval(
            "SELECT COALESCE(sum(quantity), 0) FROM fills WHERE client_order_id = $1", cmd.client_order_id
        )
        return row is not None and row["status"] == "filled" and held == row["filled_quantity"] == D(10)

    await eventually(filled_with_fills, timeout=30)
    await fleet.ledger_ok()
