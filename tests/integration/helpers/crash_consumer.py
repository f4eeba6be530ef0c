"""A consumer process for crash tests: records a side effect per message, and can die at a named stage.

Usage: python -m tests.integration.helpers.crash_consumer REDIS_URL DATABASE_URL STREAM GROUP CONSUMER
       CRASH_STAGE(before_commit|after_commit|none) EXPECTED CLAIM_IDLE_MS

It consumes until EXPECTED side effects exist in ``test_effects`` (or dies at CRASH_STAGE with exit code
137, as ``kill -9`` would leave it: nothing acked, no clean-up).
"""

from __future__ import annotations

import asyncio
import os
import sys

import redis.asyncio as aioredis

from shared.bus.consumer import ConsumerConfig, StreamConsumer
from shared.db.pool import create_pool
from shared.db.uow import Store, UnitOfWork
from shared.messages import MarketSettled, Message


async def main(argv: list[str]) -> int:
    redis_url, dsn, stream, group, consumer, crash_stage, expected, claim_idle_ms = argv
    redis = aioredis.from_url(redis_url)
    pool = await create_pool(dsn)
    stopping = asyncio.Event()

    async def handler(message: Message, uow: UnitOfWork) -> None:
        await uow.conn.execute(
            "INSERT INTO test_effects (message_id, consumer) VALUES ($1, $2)", message.message_id, consumer
        )

    def fault(stage: str, message: Message) -> None:
        if stage == crash_stage:
            os._exit(137)

    worker = StreamConsumer(
        redis,
        Store(pool),
        ConsumerConfig(
            stream=stream,
            group=group,
            consumer=consumer,
            accepts=(MarketSettled,),
            block_ms=50,
            claim_idle_ms=int(claim_idle_ms),
        ),
        handler,
        fault_hook=fault,
    )

    async def until_done() -> None:
        while await pool.fetchval("SELECT count(*) FROM test_effects") < int(expected):
            await asyncio.sleep(0.05)
        # Let the consumer ack what it handled, then stop.
        await asyncio.sleep(0.3)
        stopping.set()

    await asyncio.wait_for(asyncio.gather(worker.run(stopping), until_done()), timeout=30)
    await pool.close()
    await redis.aclose()
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main(sys.argv[1:])))
