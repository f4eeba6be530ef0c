"""A market found closed is "cancel and stop": our resting orders on it are cancelled, nothing more is sent to
it (refused ``market_closed``, an unsent reason for the ledger), and the venue's other markets keep trading.

Kalshi itself, once a market closes, refuses every order operation, cancels included, with ``MARKET_INACTIVE``
and cancels what rests there (venues.md §1.5; the simulator does the same). So our order row must end
``canceled`` as the venue has it — read back, never left ``pending_cancel`` by a refused cancel, the cancel
not retried in a loop, and the venue's circuit never opened.

The execution service runs for real over the Kalshi and Polymarket simulators (the ``fleet`` of
``tests/integration/helpers/execution_fleet.py``), with a second Kalshi game market. Each test ends with the
ledger check.
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


async def _cancels(fleet: Fleet) -> int:
    """Cancels that reached the Kalshi simulator."""
    stats = await fleet.kalshi_sim.control("GET", "/_sim/stats")
    return int(stats.get("DELETE /trade-api/v2/portfolio/events/orders/{order_id}", {}).get("count", 0))


async def _second_market(fleet: Fleet) -> str:
    start = hk.GAME_START + timedelta(hours=3)
    (other,) = open_game(
        fleet.kalshi_sim.state.exchange, league="nba", away=("NYK", "New York"), home=("MIA", "Miami"), start=start
    )
    await _price(fleet, fleet.kalshi_ticker)
    await _price(fleet, other.ticker)
    return other.ticker


async def _stopped_while_others_trade(fleet: Fleet, other: str) -> None:
    """A later order to the closed market is refused unsent (``market_closed``); one to ``other`` trades."""
    stopped, elsewhere = await fleet.approve("kalshi"), await fleet.approve("kalshi", market_id=other)
    sent_before = fleet.kalshi_orders()
    await fleet.send(stopped)
    await fleet.send(elsewhere)
    refused = await eventually(lambda: fleet.settled(stopped), timeout=30)
    assert refused["status"] == "rejected" and refused["reason"].startswith("market_closed: kalshi market"), refused
    assert refused["reason"].startswith(UNSENT_REASONS)
    assert (await eventually(lambda: fleet.settled(elsewhere), timeout=30))["status"] == "accepted"
    assert fleet.kalshi_orders() == sent_before + 1  # only the other market's order reached the venue
    assert fleet.service.circuit.state("kalshi") == "closed"  # the venue itself keeps trading


async def test_a_closed_market_cancels_our_resting_orders_and_refuses_new_ones_while_others_trade(
    fleet: Fleet,
) -> None:
    exchange = fleet.kalshi_sim.state.exchange
    other = await _second_market(fleet)
    closing = fleet.kalshi_ticker

    resting = await fleet.approve("kalshi")  # a GTC buy at 0.30 with no seller: it rests
    await fleet.send(resting)
    assert (await eventually(lambda: fleet.settled(resting), timeout=30))["status"] == "accepted"

    exchange.set_status(closing, "closed")  # the venue closes the market and cancels what rests there
    assert _venue_status(fleet, resting.client_order_id) == "canceled"
    row = await eventually(lambda: _status(fleet, resting, "canceled"), timeout=30)  # read back and recorded
    assert row["filled_quantity"] == 0

    found = await fleet.approve("kalshi")  # the first order after close is how the service learns of it
    await fleet.send(found)
    answered = await eventually(lambda: fleet.settled(found), timeout=30)
    assert answered["status"] == "rejected" and answered["reason"].lower().startswith("market_inactive")
    assert await fleet.engines()["kalshi"].open_orders(closing) == []
    assert await _cancels(fleet) == 0  # nothing rested any more: no cancel was even tried

    await _stopped_while_others_trade(fleet, other)
    assert (await fleet.order(resting))["status"] == "canceled"
    await fleet.ledger_ok()


async def test_an_order_the_closed_market_will_not_let_us_cancel_ends_canceled_when_the_venue_cancels_it(
    fleet: Fleet,
) -> None:
    exchange = fleet.kalshi_sim.state.exchange
    other = await _second_market(fleet)
    closing = fleet.kalshi_ticker
    resting = await fleet.approve("kalshi")
    await fleet.send(resting)
    assert (await eventually(lambda: fleet.settled(resting), timeout=30))["status"] == "accepted"

    exchange.set_status(closing, "closed", cancel_resting=False)  # "cancelled shortly after close": not yet
    found = await fleet.approve("kalshi")
    await fleet.send(found)
    answered = await eventually(lambda: fleet.settled(found), timeout=30)
    assert answered["status"] == "rejected" and answered["reason"].lower().startswith("market_inactive"), answered

    # The service's cancel of our resting order was refused MARKET_INACTIVE: asked once, the order read back
    # and recorded as it is (still resting), not pending_cancel, and the venue's circuit stays closed.
    assert await _cancels(fleet) == 1
    row = await fleet.order(resting)
    assert row["status"] == "accepted" and row["reason"].startswith("cancel refused, the market is closed"), row
    assert _venue_status(fleet, resting.client_order_id) == "resting"
    assert fleet.service.circuit.state("kalshi") == "closed"
    await _stopped_while_others_trade(fleet, other)

    exchange.cancel_closed_market(closing)  # the venue's own cancellation, pushed on user_orders
    row = await eventually(lambda: _status(fleet, resting, "canceled"), timeout=30)
    assert row["filled_quantity"] == 0
    assert await _cancels(fleet) == 1  # never retried, by the submit path or by reconciliation
    await fleet.ledger_ok()
