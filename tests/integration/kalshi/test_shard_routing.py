"""Kalshi exchange shards on order creation and on the legacy cancel, against the simulator.

Routing to a market's shard is the client's job (docs.kalshi.com/getting_started/exchange_sharding): the
engine names the market's ``exchange_index`` on every create, and a create naming another shard is not
found there (404 ``market_not_found``; omitted or ``-1`` routes by ticker, venues.md §1.4). The legacy
``DELETE /portfolio/orders/{id}`` carries the shard too: without one the venue looks on the default shard
and answers 404 for an order resting on another. Baseball is on shard 1 in the simulator.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from markets.base import Accepted, OrderRequest
from markets.kalshi.execution import KalshiExecutionEngine
from markets.sim.kalshi.accounts import SimOrder
from shared.errors import Rejected as VenueRejected
from tests.integration.kalshi.conftest import KEY_A, TICKER, Sim

D = Decimal


def _order(sim: Sim, client_order_id: str) -> SimOrder:
    (order,) = [o for o in sim.state.exchange.orders.values() if o.client_order_id == client_order_id]
    return order


async def test_a_create_on_the_wrong_shard_is_not_found_and_places_nothing(sim: Sim, mlb: str) -> None:
    rest = sim.rest(KEY_A)
    with pytest.raises(VenueRejected, match="market_not_found"):
        await rest.create_order(
            ticker=mlb, side="bid", count=D(2), price=D("0.40"), client_order_id="w-1", exchange_index=0
        )
    with pytest.raises(VenueRejected, match="market_not_found"):
        await rest.create_order_legacy(
            ticker=mlb, side="bid", count=D(2), price=D("0.40"), client_order_id="w-2", exchange_index=0
        )
    with pytest.raises(VenueRejected, match="market_not_found"):
        await rest.create_order(
            ticker=TICKER, side="bid", count=D(2), price=D("0.40"), client_order_id="w-3", exchange_index=1
        )
    assert not sim.state.exchange.orders

    named = await rest.create_order(
        ticker=mlb, side="bid", count=D(2), price=D("0.40"), client_order_id="r-1", exchange_index=1
    )
    routed = await rest.create_order(ticker=mlb, side="bid", count=D(2), price=D("0.40"), client_order_id="r-2")
    for ack in (named, routed):
        assert (await rest.get_order(ack.order_id)).exchange_index == 1
    assert (_order(sim, "r-1").requested_exchange_index, _order(sim, "r-2").requested_exchange_index) == (1, None)


async def test_the_engine_names_the_markets_shard_on_every_create(
    sim: Sim, mlb: str, engine: KalshiExecutionEngine
) -> None:
    on_other = await engine.place_limit_order(mlb, "yes", 41, 3)
    on_default = await engine.place_limit_order(TICKER, "no", 30, 2)
    assert isinstance(on_other, Accepted) and isinstance(on_default, Accepted)
    assert _order(sim, on_other.client_order_id).requested_exchange_index == 1
    assert _order(sim, on_default.client_order_id).requested_exchange_index == 0

    request = OrderRequest(
        client_order_id="eng-buy-1", market_id=mlb, outcome_id="no", side="buy", limit_price=D("0.55"),
        quantity=D(4), tick_size=D("0.01"),
    )  # fmt: skip
    result = await engine.submit(request)
    assert isinstance(result, Accepted), result
    placed = _order(sim, "eng-buy-1")
    assert (placed.exchange_index, placed.requested_exchange_index, placed.status) == (1, 1, "resting")


async def test_the_legacy_cancel_carries_the_orders_shard(sim: Sim, mlb: str) -> None:
    rest = sim.rest(KEY_A)
    ack = await rest.create_order(ticker=mlb, side="bid", count=D(5), price=D("0.40"), client_order_id="l-1")
    with pytest.raises(VenueRejected, match="not_found"):
        await rest.cancel_order_legacy(ack.order_id, exchange_index=0)  # the default shard: 404 though it rests
    assert (await rest.get_order(ack.order_id)).status == "resting"

    done = await rest.cancel_order_legacy(ack.order_id, exchange_index=1, market_ticker=mlb)
    assert done.reduced_by == D(5)
    assert (await rest.get_order(ack.order_id)).status == "canceled"
