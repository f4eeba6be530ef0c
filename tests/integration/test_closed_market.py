"""A market found closed is "cancel and stop": our resting orders on it are cancelled, nothing more is sent to
it (refused ``market_closed``, an unsent reason for the ledger), and the venue's other markets keep trading.

The execution service runs for real over the Kalshi and Polymarket simulators (the ``fleet`` of
``tests/integration/helpers/execution_fleet.py``), with a second Kalshi game market. Ends with the ledger check.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from markets.sim.kalshi.seeding import open_game
from shared.bus import keys
from shared.ledger_check import UNSENT_REASONS
from shared.messages import MarketPriceUpdated, SubmitOrder
from tests.contract.engines import harness_kalshi as hk
from tests.integration.helpers.execution_fleet import KALSHI_PRICE, Fleet
from tests.support import eventually

pytestmark = pytest.mark.integration
D = Decimal


async def _price(fleet: Fleet, market_id: str) -> None:
    top = MarketPriceUpdated(
        venue="kalshi", market_id=market_id, outcome_id="yes", best_bid=KALSHI_PRICE - D("0.05"),
        best_ask=KALSHI_PRICE, bid_size=D(100), ask_size=D(100), ts_event=datetime.now(UTC),
    )  # fmt: skip
    await fleet.infra.market_data.publish(keys.MARKET_PRICE, top.key, top)


async def _status(fleet: Fleet, cmd: SubmitOrder, *statuses: str) -> Any:
    row = await fleet.order(cmd)
    return row if row is not None and row["status"] in statuses else None


def _venue_status(fleet: Fleet, client_order_id: str) -> str:
    (order,) = [o for o in fleet.kalshi_sim.state.exchange.orders.values() if o.client_order_id == client_order_id]
    return str(order.status)


async def test_a_closed_market_cancels_our_resting_orders_and_refuses_new_ones_while_others_trade(
    fleet: Fleet,
) -> None:
    exchange = fleet.kalshi_sim.state.exchange
    start = hk.GAME_START + timedelta(hours=3)
    (other,) = open_game(exchange, league="nba", away=("NYK", "New York"), home=("MIA", "Miami"), start=start)
    closing = fleet.kalshi_ticker
    await _price(fleet, closing)
    await _price(fleet, other.ticker)

    resting = await fleet.approve("kalshi")  # a GTC buy at 0.30 with no seller: it rests
    await fleet.send(resting)
    assert (await eventually(lambda: fleet.settled(resting), timeout=30))["status"] == "accepted"

    exchange.set_status(closing, "closed")  # the venue closes the market; our order still rests there
    found = await fleet.approve("kalshi")
    await fleet.send(found)
    answered = await eventually(lambda: fleet.settled(found), timeout=30)
    assert answered["status"] == "rejected" and answered["reason"].lower().startswith("market_inactive")

    await eventually(lambda: _status(fleet, resting, "canceled"), timeout=30)  # cancelled, and recorded
    assert _venue_status(fleet, resting.client_order_id) == "canceled"
    assert await fleet.engines()["kalshi"].open_orders(closing) == []

    stopped, elsewhere = await fleet.approve("kalshi"), await fleet.approve("kalshi", market_id=other.ticker)
    sent_before = fleet.kalshi_orders()
    await fleet.send(stopped)
    await fleet.send(elsewhere)
    refused = await eventually(lambda: fleet.settled(stopped), timeout=30)
    assert refused["status"] == "rejected" and refused["reason"].startswith("market_closed: kalshi market"), refused
    assert refused["reason"].startswith(UNSENT_REASONS)
    assert (await eventually(lambda: fleet.settled(elsewhere), timeout=30))["status"] == "accepted"
    assert fleet.kalshi_orders() == sent_before + 1  # only the other market's order reached the venue
    assert fleet.service.circuit.state("kalshi") == "closed"  # the venue itself keeps trading
    await fleet.ledger_ok()
