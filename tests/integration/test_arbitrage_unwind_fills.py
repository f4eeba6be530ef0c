"""An arbitrage leg left alone is unwound, and the unwind fills on the venue (services/execution_service/legs.py).

The execution service runs for real over both simulators (the ``fleet`` fixture). One
leg of an arbitrage fills; the other venue's offer has moved beyond the hedge cap, so that leg is refused
(``price_moved``) and cannot be hedged. The guard then unwinds the filled leg: a reduce-only IOC sell at
the best bid, sent to the venue, where a counterparty's resting bid takes it. The position is flat on the
venue and in the ledger, every step is an approved intent with its order and fills, and the ledger check
holds.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from markets.sim.kalshi.exchange import OrderSpec
from services.execution_service.legs import UNWIND_BASE
from shared.prices import Venue
from tests.integration.helpers.execution_fleet import KALSHI_PRICE, PM_PRICE, Fleet, arbitrage_legs
from tests.support import eventually

pytestmark = pytest.mark.integration
D = Decimal
QTY = D(10)
MOVED = D("0.10")
"""How far the unfilled leg's offer moved above its limit: beyond the 3-cent hedge cap."""
SPREAD = D("0.05")
"""``Fleet.price`` publishes the bid this far below the ask: the unwind sells at ``ask - SPREAD``."""


async def _legs_fill_on(fleet: Fleet, venue: Venue) -> None:
    """The counterparties: ``venue`` sells us the leg and rests a bid for the unwind; the other venue moved."""
    other: Venue = "polymarket" if venue == "kalshi" else "kalshi"
    limit = {"kalshi": KALSHI_PRICE, "polymarket": PM_PRICE}
    await fleet.price(venue, limit[venue])  # ask at the leg's limit, bid SPREAD below
    await fleet.price(other, limit[other] + MOVED)
    if venue == "polymarket":
        await fleet.pm.counterparty.offer(PM_PRICE, QTY)
        await fleet.pm.counterparty.bid(PM_PRICE - SPREAD, QTY)
    else:
        exchange = fleet.kalshi_sim.state.exchange
        exchange.add_account("maker", D(100000), unlimited=True)
        exchange.create_order("maker", OrderSpec(fleet.kalshi_ticker, "ask", KALSHI_PRICE, QTY, "m-ask"))
        exchange.create_order("maker", OrderSpec(fleet.kalshi_ticker, "bid", KALSHI_PRICE - SPREAD, QTY, "m-bid"))


async def _steps(fleet: Fleet, signal_id: str) -> dict[int, Any]:
    rows = await fleet.infra.pool.fetch(
        """SELECT i.leg_index, i.venue, i.side, i.limit_price, i.quantity, i.reason_code, o.client_order_id,
                  o.status, o.reason, o.venue_order_id, COALESCE(o.filled_quantity, 0) AS filled,
                  (SELECT COALESCE(SUM(f.quantity), 0) FROM fills f WHERE f.client_order_id = o.client_order_id)
                      AS fills
           FROM order_intents i LEFT JOIN orders o ON o.client_order_id = i.client_order_id
           WHERE i.signal_id = $1 ORDER BY i.leg_index""",
        signal_id,
    )
    return {r["leg_index"]: r for r in rows}


def _venue_sell_matched(fleet: Fleet, venue: Venue, step: Any) -> Decimal:
    """How much of the unwind the simulator itself matched (its own record of our sell order)."""
    if venue == "polymarket":
        order = fleet.pm.venue_order(step["venue_order_id"])
        assert order is not None and order.side == "SELL"
        return order.matched
    (kalshi_order,) = [
        o for o in fleet.kalshi_sim.state.exchange.orders.values() if o.client_order_id == step["client_order_id"]
    ]
    assert kalshi_order.side == "ask"  # selling YES
    return Decimal(kalshi_order.filled)


async def _held(fleet: Fleet, venue: Venue) -> Decimal:
    """What the venue says we hold in the leg's market (its own positions read)."""
    market_id, _ = fleet.market(venue)
    positions = await fleet.engines()[venue].positions()
    return sum((p.quantity for p in positions if p.market_id == market_id), D(0))


@pytest.mark.parametrize("exec_overrides", [{"legs_bound_s": 1.0, "legs_interval_s": 0.2}])
@pytest.mark.parametrize("filled", ["polymarket", "kalshi"])
async def test_a_lonely_leg_is_unwound_and_the_unwind_fills_on_the_venue(fleet: Fleet, filled: Venue) -> None:
    signal_id = f"arb-unwind-{filled}"
    leg = 0 if filled == "kalshi" else 1  # _arbitrage: leg 0 on Kalshi, leg 1 on Polymarket
    unwind = UNWIND_BASE + 10 + leg  # the first unwind of that leg
    await _legs_fill_on(fleet, filled)
    for cmd in await arbitrage_legs(fleet, signal_id):
        await fleet.send(cmd)

    async def flat() -> bool:
        steps = await _steps(fleet, signal_id)
        return unwind in steps and steps[unwind]["filled"] == QTY and steps[unwind]["fills"] == QTY

    await eventually(flat, timeout=30)
    steps = await _steps(fleet, signal_id)
    assert sorted(steps) == [0, 1, unwind]  # the two legs and one unwind: no hedge was possible
    lonely, refused = steps[leg], steps[1 - leg]
    assert (lonely["venue"], lonely["status"], lonely["filled"], lonely["fills"]) == (filled, "filled", QTY, QTY)
    assert (refused["status"], refused["filled"]) == ("rejected", D(0))
    assert refused["reason"].startswith("price_moved")
    step = steps[unwind]
    assert (step["venue"], step["side"], step["reason_code"], step["quantity"]) == (filled, "sell", "unwind", QTY)
    assert step["limit_price"] == lonely["limit_price"] - SPREAD  # at the best bid
    assert step["status"] == "filled" and step["venue_order_id"]  # the venue matched it
    assert _venue_sell_matched(fleet, filled, step) == QTY  # the sell filled on the venue, not on paper
    assert [a for a, _ in fleet.service.legs.actions] == ["unwind"]

    async def venue_flat() -> bool:
        return await _held(fleet, filled) == 0

    await eventually(venue_flat, timeout=30)  # the venue holds nothing any more
    held = await fleet.infra.pool.fetchval(
        """SELECT SUM(CASE WHEN side = 'buy' THEN quantity ELSE -quantity END) FROM fills
           WHERE venue = $1 AND client_order_id = ANY($2::text[])""",
        filled,
        [lonely["client_order_id"], step["client_order_id"]],
    )
    assert held == 0  # and neither does the ledger
    await fleet.ledger_ok()
