"""Orders of one venue are handled side by side, but one market's orders one after another (real Redis and PostgreSQL).

The handler of the first order on market A is held open; an order on market B read after it is handled
and acked meanwhile, while the second order on market A waits until the first is done. Every entry is
acked once and the inbox holds each message once.
"""

from __future__ import annotations

import asyncio
from decimal import Decimal
from typing import Any

import asyncpg
import pytest

from services.execution_service.queues import VenueQueuedConsumer
from shared.bus import keys
from shared.bus.consumer import ConsumerConfig
from shared.db.uow import Store, UnitOfWork
from shared.messages import Message, SubmitOrder, encode
from tests.support import eventually

pytestmark = pytest.mark.integration


def _order(n: int, market: str) -> SubmitOrder:
    return SubmitOrder(
        intent_id=f"i{n}", client_order_id=f"arb-c{n}", signal_id=f"s{n}", strategy="t", game_id="g1",
        venue="kalshi", market_id=market, outcome_id="yes", side="buy", limit_price=Decimal("0.40"),
        quantity=Decimal(1), time_in_force="ioc", tick_size=Decimal("0.01"),
    )  # fmt: skip


async def test_markets_overlap_and_one_market_keeps_its_order(redis: Any, db_pool: asyncpg.Pool) -> None:
    release_first = asyncio.Event()
    started: list[str] = []
    finished: list[str] = []

    async def handler(message: Message, uow: UnitOfWork) -> None:
        assert isinstance(message, SubmitOrder)
        started.append(message.client_order_id)
        if message.client_order_id == "arb-c1":
            await release_first.wait()
        finished.append(message.client_order_id)

    config = ConsumerConfig(
        stream=keys.ORDER_SUBMIT, group="execution_service", consumer="x:1", accepts=(SubmitOrder,), block_ms=100
    )
    consumer = VenueQueuedConsumer(redis, Store(db_pool), config, handler, venues=("kalshi",), max_in_flight=4)
    for n, market in ((1, "A"), (2, "A"), (3, "B")):
        await redis.xadd(keys.ORDER_SUBMIT, {"payload": encode(_order(n, market))})
    stopping = asyncio.Event()
    task = asyncio.create_task(consumer.run(stopping))

    def seen(expected: list[str]) -> Any:
        async def probe() -> bool:
            return finished == expected

        return probe

    try:
        await eventually(seen(["arb-c3"]), timeout=10)
        assert started == ["arb-c1", "arb-c3"]  # B went ahead; A's second order waits behind A's first
        release_first.set()
        await eventually(seen(["arb-c3", "arb-c1", "arb-c2"]), timeout=10)

        async def drained() -> bool:
            return int((await redis.xpending(keys.ORDER_SUBMIT, "execution_service"))["pending"]) == 0

        await eventually(drained, timeout=10)
        assert await db_pool.fetchval("SELECT count(*) FROM inbox WHERE consumer = 'execution_service'") == 3
    finally:
        stopping.set()
        release_first.set()
        await task
