"""``MarketDataBus.publish_many``: one round trip, each message stored and broadcast as ``publish`` would."""

from __future__ import annotations

import asyncio
import uuid
from decimal import Decimal
from typing import Any

import pytest

from shared.bus import keys
from shared.bus.pubsub import MarketDataBus
from shared.messages import MarketPriceUpdated, Message, encode
from tests.support import eventually

pytestmark = pytest.mark.integration


# Pub/sub channels are shared by every Redis database: our messages carry this run's market id.
MARKET = f"0x{uuid.uuid4().hex}"


def _price(outcome: str, bid: str) -> MarketPriceUpdated:
    return MarketPriceUpdated(venue="polymarket", market_id=MARKET, outcome_id=outcome, best_bid=Decimal(bid))


async def test_each_message_is_stored_and_broadcast_in_order_and_a_repeated_key_keeps_its_last(redis: Any) -> None:
    bus = MarketDataBus(redis)
    first, other, last = _price("1", "0.40"), _price("2", "0.50"), _price("1", "0.41")
    received: list[Message] = []
    stopping, subscribed = asyncio.Event(), asyncio.Event()

    async def collect() -> None:
        async for _topic, message in bus.subscribe((keys.MARKET_PRICE,), stopping, 0.05, subscribed):
            if isinstance(message, MarketPriceUpdated) and message.market_id == MARKET:
                received.append(message)

    task = asyncio.create_task(collect())
    await subscribed.wait()
    await bus.publish_many(keys.MARKET_PRICE, [(m.key, m) for m in (first, other, last)])

    async def all_received() -> bool:
        return len(received) == 3

    await eventually(all_received)
    stopping.set()
    await task
    assert [m.message_id for m in received] == [first.message_id, other.message_id, last.message_id]
    assert await redis.get(keys.latest(keys.MARKET_PRICE, last.key)) == encode(last)
    latest = await bus.latest_all(keys.MARKET_PRICE)
    assert {k: m.message_id for k, m in latest.items()} == {last.key: last.message_id, other.key: other.message_id}


async def test_publish_many_leaves_what_publish_leaves(redis: Any) -> None:
    bus = MarketDataBus(redis)
    one = _price("1", "0.40")
    await bus.publish(keys.MARKET_PRICE, one.key, one)
    by_publish = {k: await redis.get(k) for k in await redis.keys("latest:*:*:*")}
    index_by_publish = await redis.hgetall(keys.latest_index(keys.MARKET_PRICE))
    await redis.flushdb()
    await bus.publish_many(keys.MARKET_PRICE, [(one.key, one)])
    await bus.publish_many(keys.MARKET_PRICE, [])  # nothing to send: no round trip, nothing written
    assert {k: await redis.get(k) for k in await redis.keys("latest:*:*:*")} == by_publish
    assert await redis.hgetall(keys.latest_index(keys.MARKET_PRICE)) == index_by_publish
