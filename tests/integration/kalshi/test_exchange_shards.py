"""Kalshi exchange shards, end to end against the simulator: cancels name the order's shard, balances are per shard.

Baseball lives on shard 1 in the simulator (as new baseball and tennis events do at Kalshi). The venue
answers a cancel on the wrong shard with 404, which the client must not take for "no longer resting":
these tests assert the order ends cancelled **at the venue**, and that a buy is checked against its
market's shard balance rather than the account total.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from markets.base import Accepted, Rejected
from markets.kalshi.execution import KalshiExecutionEngine
from shared.orders.state import OrderStatus
from tests.integration.kalshi.conftest import KEY_A, TICKER, Sim

D = Decimal


async def _venue_order(sim: Sim, client_order_id: str) -> dict[str, Any]:
    orders = (await sim.control("GET", f"/_sim/orders?key_id={KEY_A}"))["orders"]
    (order,) = [o for o in orders if o["client_order_id"] == client_order_id]
    return order


async def _posts(sim: Sim) -> int:
    stats = await sim.control("GET", "/_sim/stats")
    return int(stats.get("POST /trade-api/v2/portfolio/events/orders", {}).get("count", 0))


async def test_rest_reports_the_shard_of_markets_orders_and_balances(sim: Sim, mlb: str) -> None:
    rest = sim.rest(KEY_A)
    assert (await rest.get_market(mlb)).exchange_index == 1 and (await rest.get_market(TICKER)).exchange_index == 0
    ack = await rest.create_order(ticker=mlb, side="bid", count=D(10), price=D("0.40"), client_order_id="s-1")
    assert (await rest.get_order(ack.order_id)).exchange_index == 1
    balance = await rest.get_balance()
    assert balance.balance == D(996) and balance.by_shard == {0: D(500), 1: D(496)}  # $4 reserved on shard 1
    with pytest.raises(Exception, match="not_found"):
        await rest.cancel_order(ack.order_id, exchange_index=0)  # wrong shard: 404 though it rests
    assert (await rest.get_order(ack.order_id)).status == "resting"
    assert (await rest.cancel_order(ack.order_id, exchange_index=1, market_ticker=mlb)).reduced_by == D(10)
    assert (await rest.get_order(ack.order_id)).status == "canceled"


async def test_engine_cancel_of_an_order_on_another_shard_cancels_it_at_the_venue(
    sim: Sim, mlb: str, engine: KalshiExecutionEngine
) -> None:
    result = await engine.place_limit_order(mlb, "yes", 41, 3)
    assert isinstance(result, Accepted)
    cid = result.client_order_id
    assert (await _venue_order(sim, cid))["exchange_index"] == 1

    cancelled = await engine.cancel(cid)
    assert (await _venue_order(sim, cid))["status"] == "canceled"
    assert cancelled is not None and cancelled.status == OrderStatus.CANCELED
    assert await engine.open_orders(mlb) == []


async def test_engine_cancel_all_reaches_every_shard(sim: Sim, mlb: str, engine: KalshiExecutionEngine) -> None:
    on_default = await engine.place_limit_order(TICKER, "yes", 30, 2)
    on_other = await engine.place_limit_order(mlb, "no", 30, 2)
    assert isinstance(on_default, Accepted) and isinstance(on_other, Accepted)

    done = await engine.cancel_all()
    assert sorted(done) == sorted([on_default.client_order_id, on_other.client_order_id])
    for cid in (on_default.client_order_id, on_other.client_order_id):
        assert (await _venue_order(sim, cid))["status"] == "canceled"


async def test_a_buy_is_checked_against_its_shards_balance_not_the_total(
    sim: Sim, mlb: str, engine: KalshiExecutionEngine
) -> None:
    # $1,000 per key: $500 on each shard. $450 rests on shard 0, leaving $50 there and $550 in all.
    first = await engine.place_limit_order(TICKER, "yes", 50, 900)
    assert isinstance(first, Accepted)
    other = await engine.place_limit_order(mlb, "yes", 50, 700)  # $350 (+ fee) fits shard 1's $500
    assert isinstance(other, Accepted)
    sent = await _posts(sim)

    refused = await engine.place_limit_order(TICKER, "yes", 50, 200)  # $100: the total ($200) fits, shard 0 ($50) not
    assert isinstance(refused, Rejected) and refused.code == "insufficient_balance" and not refused.sent
    assert "shard 0" in refused.reason and "$50.00" in refused.reason
    assert await _posts(sim) == sent  # refused before anything was sent
