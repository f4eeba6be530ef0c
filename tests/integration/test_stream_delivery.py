"""Streams lose nothing and apply nothing twice (real Redis and PostgreSQL).

Covers: a consumer killed after reading and before acking (before and after its commit), recovered by
its own restart or by another consumer; poison messages to the dead-letter stream while the group
keeps flowing; handler failures retried then dead-lettered; trimming never dropping unacked entries.
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from decimal import Decimal
from typing import Any

import asyncpg
import pytest

from shared.bus import keys
from shared.bus.consumer import ConsumerConfig, StreamConsumer
from shared.bus.streams import StreamProducer, trim_stream
from shared.db.pool import create_pool
from shared.db.uow import Store, UnitOfWork
from shared.messages import MarketSettled, Message, encode
from tests.support import eventually

pytestmark = pytest.mark.integration
STREAM = "stream:test.settlements"
GROUP = "test_group"


def _settled(market: str = "m1") -> MarketSettled:
    return MarketSettled(venue="kalshi", market_id=market, payouts={"yes": Decimal(1), "no": Decimal(0)})


async def _effects_table(database_url: str) -> asyncpg.Pool:
    pool = await create_pool(database_url)
    await pool.execute("CREATE TABLE test_effects (message_id UUID NOT NULL, consumer TEXT NOT NULL)")
    return pool


def _run_consumer(
    redis_url: str, database_url: str, consumer: str, crash: str, expected: int, claim_idle_ms: int = 60_000
) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "tests.integration.helpers.crash_consumer",
            redis_url,
            database_url,
            STREAM,
            GROUP,
            consumer,
            crash,
            str(expected),
            str(claim_idle_ms),
        ],
        capture_output=True,
        timeout=60,
        check=False,
    )


async def _pending(redis: Any) -> int:
    summary = await redis.xpending(STREAM, GROUP)
    return int(summary["pending"])


async def test_killed_before_commit_then_restarted_handles_once(redis_url: str, redis: Any, database_url: str) -> None:
    pool = await _effects_table(database_url)
    message = _settled()
    await StreamProducer(redis).publish(STREAM, message)

    crashed = await asyncio.to_thread(_run_consumer, redis_url, database_url, "c1", "before_commit", 1)
    assert crashed.returncode == 137, crashed.stderr.decode()
    assert await pool.fetchval("SELECT count(*) FROM test_effects") == 0
    assert await _pending(redis) == 1

    restarted = await asyncio.to_thread(_run_consumer, redis_url, database_url, "c1", "none", 1)
    assert restarted.returncode == 0, restarted.stderr.decode()
    rows = await pool.fetch("SELECT message_id, consumer FROM test_effects")
    assert [(r["message_id"], r["consumer"]) for r in rows] == [(message.message_id, "c1")]
    assert await _pending(redis) == 0
    await pool.close()


async def test_killed_after_commit_then_claimed_by_another_consumer_applies_once(
    redis_url: str, redis: Any, database_url: str
) -> None:
    pool = await _effects_table(database_url)
    message = _settled()
    await StreamProducer(redis).publish(STREAM, message)

    crashed = await asyncio.to_thread(_run_consumer, redis_url, database_url, "c1", "after_commit", 1)
    assert crashed.returncode == 137, crashed.stderr.decode()
    assert await pool.fetchval("SELECT count(*) FROM test_effects") == 1
    assert await _pending(redis) == 1

    # A different consumer takes the dead one's entry after it idles; the inbox makes it a no-op.
    other = await asyncio.to_thread(_run_consumer, redis_url, database_url, "c2", "none", 1, 300)
    assert other.returncode == 0, other.stderr.decode()
    await eventually(lambda: _zero_pending(redis))
    assert await pool.fetchval("SELECT count(*) FROM test_effects") == 1
    assert await pool.fetchval("SELECT count(*) FROM inbox WHERE message_id = $1", message.message_id) == 1
    await pool.close()


async def _zero_pending(redis: Any) -> bool:
    return await _pending(redis) == 0


class _Recorder:
    def __init__(self, fail_times: int = 0) -> None:
        self.seen: list[Message] = []
        self.fail_times = fail_times

    async def __call__(self, message: Message, uow: UnitOfWork) -> None:
        if self.fail_times > 0:
            self.fail_times -= 1
            raise RuntimeError("downstream unavailable")
        self.seen.append(message)


def _consumer(redis: Any, store: Store, handler: Any, **overrides: Any) -> StreamConsumer:
    config = ConsumerConfig(
        stream=STREAM,
        group=GROUP,
        consumer="c1",
        accepts=(MarketSettled,),
        block_ms=50,
        claim_idle_ms=60_000,
        max_deliveries=3,
        retry_backoff_ms=50,
        **overrides,
    )
    return StreamConsumer(redis, store, config, handler)


async def _dlq(redis: Any) -> list[dict[str, str]]:
    entries = await redis.xrange(keys.dead_letter(STREAM))
    return [{k.decode(): v.decode() for k, v in fields.items()} for _id, fields in entries]


async def test_malformed_and_unknown_version_go_to_dead_letter_and_the_group_keeps_flowing(
    redis: Any, database_url: str
) -> None:
    pool = await create_pool(database_url)
    good = _settled("good")
    raw = json.loads(encode(_settled("v2")))
    raw["schema_version"] = 2
    await redis.xadd(STREAM, {"type": "market_settled", "payload": b"{this is not json"})
    await redis.xadd(STREAM, {"type": "market_settled", "payload": json.dumps(raw)})
    await StreamProducer(redis).publish(STREAM, good)

    recorder = _Recorder()
    consumer = _consumer(redis, Store(pool), recorder)
    stopping = asyncio.Event()
    task = asyncio.create_task(consumer.run(stopping))
    await eventually(lambda: _async(len(recorder.seen) == 1))
    stopping.set()
    await task

    assert recorder.seen == [good]
    dead = await _dlq(redis)
    assert [d["reason"].split(":")[0] for d in dead] == [
        "invalid JSON",
        "unsupported schema_version 2 for market_settled (supported",
    ]
    assert all(d["stream"] == STREAM and d["group"] == GROUP for d in dead)
    assert await _pending(redis) == 0
    await pool.close()


async def _async(value: Any) -> Any:
    return value


async def test_a_handler_that_keeps_failing_is_dead_lettered_after_max_deliveries(
    redis: Any, database_url: str
) -> None:
    pool = await create_pool(database_url)
    poison, good = _settled("poison"), _settled("good")
    producer = StreamProducer(redis)
    await producer.publish(STREAM, poison)
    await producer.publish(STREAM, good)

    class FailOnPoison(_Recorder):
        async def __call__(self, message: Message, uow: UnitOfWork) -> None:
            assert isinstance(message, MarketSettled)
            if message.market_id == "poison":
                raise RuntimeError("cannot settle")
            self.seen.append(message)

    recorder = FailOnPoison()
    consumer = _consumer(redis, Store(pool), recorder)
    stopping = asyncio.Event()
    task = asyncio.create_task(consumer.run(stopping))
    await eventually(lambda: _dlq(redis))
    stopping.set()
    await task
    assert recorder.seen == [good]
    dead = await _dlq(redis)
    assert len(dead) == 1 and "RuntimeError: cannot settle" in dead[0]["reason"]
    assert "failed 3 deliveries" in dead[0]["reason"]
    assert await _pending(redis) == 0
    assert await pool.fetchval("SELECT count(*) FROM inbox") == 1  # only the good one committed
    await pool.close()


async def test_a_transient_failure_is_retried_and_handled_once(redis: Any, database_url: str) -> None:
    pool = await create_pool(database_url)
    message = _settled()
    await StreamProducer(redis).publish(STREAM, message)
    recorder = _Recorder(fail_times=2)
    consumer = _consumer(redis, Store(pool), recorder)
    stopping = asyncio.Event()
    task = asyncio.create_task(consumer.run(stopping))
    await eventually(lambda: _async(recorder.seen))
    stopping.set()
    await task
    assert recorder.seen == [message]
    assert consumer.state.failures == 2 and consumer.state.dead_lettered == 0
    assert await _dlq(redis) == []
    await pool.close()


async def test_trimming_never_drops_an_unacknowledged_entry(redis: Any, database_url: str) -> None:
    pool = await create_pool(database_url)
    producer = StreamProducer(redis)
    await redis.xgroup_create(STREAM, GROUP, id="0", mkstream=True)
    await redis.xgroup_create(STREAM, "lagging_group", id="0")
    ids = [await producer.publish(STREAM, _settled(f"m{i}")) for i in range(6)]
    # GROUP reads and acks the first three; lagging_group reads two and acks none.
    read = await redis.xreadgroup(GROUP, "c1", {STREAM: ">"}, count=3)
    await redis.xack(STREAM, GROUP, *[eid for eid, _ in read[0][1]])
    await redis.xreadgroup("lagging_group", "c9", {STREAM: ">"}, count=2)

    removed = await trim_stream(redis, STREAM, retention_ms=0)
    assert removed == 0  # lagging_group still has everything pending or undelivered
    await redis.xack(STREAM, "lagging_group", ids[0])
    removed = await trim_stream(redis, STREAM, retention_ms=0)
    assert removed == 1
    remaining = [eid.decode() for eid, _ in await redis.xrange(STREAM)]
    assert remaining == ids[1:]

    # With every group caught up, retention still keeps recent entries.
    for group, consumer in ((GROUP, "c1"), ("lagging_group", "c9")):
        reply = await redis.xreadgroup(group, consumer, {STREAM: ">"}, count=10)
        pending = [eid for eid, _ in reply[0][1]] if reply else []
        await redis.xack(STREAM, group, *(pending or ids[1:2]))
        await redis.xack(STREAM, group, *ids[1:])
    assert await trim_stream(redis, STREAM, retention_ms=3_600_000) == 0
    assert await trim_stream(redis, STREAM, retention_ms=0) == 5
    await pool.close()


async def test_stopping_finishes_and_acks_the_message_in_hand(redis: Any, database_url: str) -> None:
    pool = await create_pool(database_url)
    producer = StreamProducer(redis)
    first, second = _settled("first"), _settled("second")
    await producer.publish(STREAM, first)
    await producer.publish(STREAM, second)
    started = asyncio.Event()
    stopping = asyncio.Event()
    handled: list[str] = []

    async def slow(message: Message, uow: UnitOfWork) -> None:
        assert isinstance(message, MarketSettled)
        started.set()
        await asyncio.sleep(0.3)
        handled.append(message.market_id)

    consumer = _consumer(redis, Store(pool), slow)
    task = asyncio.create_task(consumer.run(stopping))
    await started.wait()
    stopping.set()  # SIGTERM arrives while the first message is being handled
    await asyncio.wait_for(task, 5)
    assert handled == ["first"]
    summary = await redis.xpending(STREAM, GROUP)
    # The one in hand was acked; the second was read in the same batch but not started: it stays pending
    # for this consumer's restart (or another consumer's claim), never lost.
    assert summary["pending"] == 1
    pending = await redis.xpending_range(STREAM, GROUP, min="-", max="+", count=10)
    assert len(pending) == 1
    await pool.close()
