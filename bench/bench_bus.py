"""Benchmark: cost of the reliable stream path against raw Redis Streams, on the same servers.

Baseline: XADD then XREADGROUP + XACK per message (no decoding, no database). Measured: the same
messages through :class:`shared.bus.consumer.StreamConsumer` — decode, a PostgreSQL transaction
holding the inbox row and the handler's write, then XACK. Prints throughput and per-message time for
both and their ratio.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import time
import uuid
from decimal import Decimal

import asyncpg
import redis.asyncio as aioredis

from shared.bus.consumer import ConsumerConfig, StreamConsumer
from shared.bus.streams import StreamProducer
from shared.db.migrate import migrate
from shared.db.pool import create_pool
from shared.db.uow import Store, UnitOfWork
from shared.messages import MarketSettled, Message

PG_ADMIN = os.environ.get("ARBEES_TEST_PG_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
REDIS = os.environ.get("ARBEES_TEST_REDIS_URL", "redis://127.0.0.1:6379") + "/14"


def _message(i: int) -> MarketSettled:
    return MarketSettled(venue="kalshi", market_id=f"m{i}", payouts={"yes": Decimal(1), "no": Decimal(0)})


async def _baseline(redis: aioredis.Redis, n: int) -> float:
    stream = "bench:raw"
    await redis.xgroup_create(stream, "g", id="0", mkstream=True)
    payloads = [_message(i).model_dump_json() for i in range(n)]
    start = time.perf_counter()
    for payload in payloads:
        await redis.xadd(stream, {"payload": payload})
    done = 0
    while done < n:
        reply = await redis.xreadgroup("g", "c", {stream: ">"}, count=10)
        for entry_id, _fields in reply[0][1]:
            await redis.xack(stream, "g", entry_id)
            done += 1
    return time.perf_counter() - start


async def _reliable(redis: aioredis.Redis, store: Store, n: int) -> float:
    stream = "bench:reliable"
    handled = 0
    finished = asyncio.Event()

    async def handler(message: Message, uow: UnitOfWork) -> None:
        nonlocal handled
        await uow.conn.execute("INSERT INTO bench_effects (message_id) VALUES ($1)", message.message_id)
        handled += 1
        if handled == n:
            finished.set()

    consumer = StreamConsumer(
        redis,
        store,
        ConsumerConfig(stream=stream, group="g", consumer="c", accepts=(MarketSettled,), block_ms=50),
        handler,
    )
    await consumer.ensure_group()
    producer = StreamProducer(redis)
    messages = [_message(i) for i in range(n)]
    stopping = asyncio.Event()
    start = time.perf_counter()
    task = asyncio.create_task(consumer.run(stopping))
    for message in messages:
        await producer.publish(stream, message)
    await finished.wait()
    elapsed = time.perf_counter() - start
    stopping.set()
    await task
    return elapsed


async def main(n: int) -> None:
    db = f"arbees_bench_{uuid.uuid4().hex[:8]}"
    admin = await asyncpg.connect(PG_ADMIN)
    await admin.execute(f'CREATE DATABASE "{db}"')
    dsn = PG_ADMIN.rsplit("/", 1)[0] + f"/{db}"
    redis = aioredis.from_url(REDIS)
    await redis.flushdb()
    pool = await create_pool(dsn)
    try:
        async with pool.acquire() as conn:
            await migrate(conn)
            await conn.execute("CREATE TABLE bench_effects (message_id UUID PRIMARY KEY)")
        base = await _baseline(redis, n)
        reliable = await _reliable(redis, Store(pool), n)
    finally:
        await pool.close()
        await redis.flushdb()
        await redis.aclose()
        await admin.execute(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')
        await admin.close()
    print(f"messages: {n}")
    print(f"baseline raw XADD/XREADGROUP/XACK : {n / base:9.0f} msg/s  {base / n * 1e6:8.1f} us/msg")
    print(f"reliable consumer (inbox + tx)    : {n / reliable:9.0f} msg/s  {reliable / n * 1e6:8.1f} us/msg")
    print(f"ratio reliable / baseline time    : {reliable / base:9.2f}x")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--messages", type=int, default=2000, help="messages per run")
    asyncio.run(main(parser.parse_args().messages))
