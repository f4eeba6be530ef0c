"""Pub/sub is at-most-once (market data only); streams and the outbox lose nothing (real Redis and PG)."""

from __future__ import annotations

import asyncio
from decimal import Decimal
from typing import Any

import pytest
import redis.asyncio as aioredis

from shared.bus import keys
from shared.bus.consumer import ConsumerConfig, StreamConsumer
from shared.bus.outbox import OutboxRelay
from shared.bus.pubsub import MarketDataBus
from shared.bus.streams import StreamProducer
from shared.db.pool import create_pool
from shared.db.uow import Store, UnitOfWork
from shared.messages import MarketPriceUpdated, MarketSettled, Message
from tests.support import eventually

pytestmark = pytest.mark.integration


def _price(bid: str) -> MarketPriceUpdated:
    return MarketPriceUpdated(venue="kalshi", market_id="m", outcome_id="yes", best_bid=Decimal(bid))


def _settled(market: str) -> MarketSettled:
    return MarketSettled(venue="kalshi", market_id=market, payouts={"yes": Decimal(1), "no": Decimal(0)})


async def test_while_subscribers_are_down_only_market_data_is_lost(redis: Any, database_url: str) -> None:
    bus = MarketDataBus(redis)
    producer = StreamProducer(redis)
    pool = await create_pool(database_url)
    store = Store(pool)
    seen_stream: list[Message] = []
    seen_pubsub: list[Message] = []

    async def handler(message: Message, uow: UnitOfWork) -> None:
        seen_stream.append(message)

    config = ConsumerConfig(stream=keys.SETTLEMENTS, group="g", consumer="c", accepts=(MarketSettled,), block_ms=50)
    # The group exists (the service ran before), then both readers go down.
    await StreamConsumer(redis, store, config, handler).ensure_group()

    for bid in ("0.40", "0.41", "0.42"):
        await bus.publish(keys.MARKET_PRICE, "kalshi:m:yes", _price(bid))
    settlements = [_settled(f"m{i}") for i in range(3)]
    for message in settlements:
        await producer.publish(keys.SETTLEMENTS, message)

    # Readers come back.
    stopping = asyncio.Event()
    subscribed = asyncio.Event()

    async def listen() -> None:
        async for _topic, message in bus.subscribe((keys.MARKET_PRICE,), stopping, subscribed=subscribed):
            seen_pubsub.append(message)

    listener = asyncio.create_task(listen())
    consumer = asyncio.create_task(StreamConsumer(redis, store, config, handler).run(stopping))
    await subscribed.wait()
    await eventually(lambda: _value(len(seen_stream) == 3))
    await bus.publish(keys.MARKET_PRICE, "kalshi:m:yes", _price("0.43"))
    await eventually(lambda: _value(seen_pubsub))
    stopping.set()
    await asyncio.gather(listener, consumer)

    assert [m.message_id for m in seen_stream] == [m.message_id for m in settlements]
    assert [m.best_bid for m in seen_pubsub if isinstance(m, MarketPriceUpdated)] == [Decimal("0.43")]
    # The missed ticks are not replayed, but a late reader starts from the latest value.
    latest = await bus.latest(keys.MARKET_PRICE, "kalshi:m:yes")
    assert isinstance(latest, MarketPriceUpdated) and latest.best_bid == Decimal("0.43")
    assert set(await bus.latest_all(keys.MARKET_PRICE)) == {"kalshi:m:yes"}
    await pool.close()


async def _value(value: Any) -> Any:
    return value


async def test_outbox_rows_wait_for_redis_and_are_published_once(redis: Any, database_url: str) -> None:
    pool = await create_pool(database_url)
    store = Store(pool)
    messages = [_settled(f"m{i}") for i in range(3)]
    async with store.unit_of_work() as uow:
        for message in messages:
            await uow.emit(keys.SETTLEMENTS, message)

    down = aioredis.from_url("redis://127.0.0.1:1/0", socket_connect_timeout=0.2)
    with pytest.raises(Exception, match="(?i)connect"):
        await OutboxRelay(pool, down).flush()
    await down.aclose()
    assert await pool.fetchval("SELECT count(*) FROM outbox WHERE sent_at IS NULL") == 3

    relay = OutboxRelay(pool, redis)
    assert await relay.flush() == 3
    assert await relay.flush() == 0
    entries = await redis.xrange(keys.SETTLEMENTS)
    assert [fields[b"message_id"].decode() for _id, fields in entries] == [str(m.message_id) for m in messages]
    assert all(fields[b"type"] == b"market_settled" for _id, fields in entries)
    await pool.close()


async def test_rolled_back_work_publishes_nothing(redis: Any, database_url: str) -> None:
    pool = await create_pool(database_url)
    store = Store(pool)
    with pytest.raises(RuntimeError):
        async with store.unit_of_work() as uow:
            await uow.emit(keys.SETTLEMENTS, _settled("m"))
            raise RuntimeError("handler failed after emitting")
    assert await OutboxRelay(pool, redis).flush() == 0
    assert await redis.xlen(keys.SETTLEMENTS) == 0
    await pool.close()
