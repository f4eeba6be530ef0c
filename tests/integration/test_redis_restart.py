"""Redis killed (SIGKILL) and restarted on the same port and data directory: market-data subscribers,
stream consumers and heartbeats carry on by themselves, and nothing carrying money is lost or applied twice.

Each test runs its own ``redis-server`` (append-only file, no snapshots) so it can kill it.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest

from services.cli.replay.redis_server import RedisServer
from shared.aio import Backoff
from shared.bus import keys
from shared.bus.consumer import ConsumerConfig, StreamConsumer
from shared.bus.pubsub import MarketDataBus
from shared.bus.redis_conn import connect_redis
from shared.bus.streams import StreamProducer
from shared.config import ArbeesSettings, load_settings
from shared.db.pool import create_pool
from shared.db.uow import Store, UnitOfWork
from shared.messages import MarketPriceUpdated, MarketSettled, Message
from shared.runtime.health import EmbeddedServer
from shared.runtime.heartbeat import read_heartbeats
from shared.runtime.infra import open_infra
from shared.runtime.runner import run_services
from shared.runtime.service import Service, ServiceContext
from tests.support import eventually

pytestmark = pytest.mark.integration

GENEROUS_S = 120.0  # an overall bound for each wait; only a failure gets near it
FAST = Backoff(base_s=0.05, cap_s=0.5)
KEY = "kalshi:m:yes"


def _price(bid: str) -> MarketPriceUpdated:
    return MarketPriceUpdated(venue="kalshi", market_id="m", outcome_id="yes", best_bid=Decimal(bid))


def _settled(market: str) -> MarketSettled:
    return MarketSettled(venue="kalshi", market_id=market, payouts={"yes": Decimal(1), "no": Decimal(0)})


async def _until(condition: Callable[[], Any]) -> None:
    async def probe() -> Any:
        return condition()

    await eventually(probe, timeout=GENEROUS_S)


@pytest.fixture
async def server(tmp_path: Path) -> AsyncIterator[RedisServer]:
    """A private ``redis-server`` (``--appendonly yes --save ""``) on a free port, data under ``tmp_path``."""
    private = RedisServer(tmp_path / "redis")
    await private.start()
    try:
        yield private
    finally:
        await private.stop()


async def _restart(server: RedisServer) -> None:
    await server.kill()
    await server.start()


async def test_a_subscriber_and_a_consumer_carry_on_after_redis_is_killed_and_restarted(
    server: RedisServer, database_url: str
) -> None:
    redis = connect_redis(server.url, single_process=False)
    pool = await create_pool(database_url)
    bus, producer = MarketDataBus(redis), StreamProducer(redis)
    handled: list[Message] = []

    async def handler(message: Message, uow: UnitOfWork) -> None:
        handled.append(message)

    config = ConsumerConfig(stream=keys.SETTLEMENTS, group="g", consumer="c", accepts=(MarketSettled,), block_ms=100)
    consumer = StreamConsumer(redis, Store(pool), config, handler, backoff=FAST)
    stopping, subscribed = asyncio.Event(), asyncio.Event()
    seen: list[Decimal | None] = []

    async def listen() -> None:
        async for _topic, message in bus.subscribe((keys.MARKET_PRICE,), stopping, subscribed=subscribed, backoff=FAST):
            assert isinstance(message, MarketPriceUpdated)
            seen.append(message.best_bid)

    tasks = [asyncio.create_task(listen()), asyncio.create_task(consumer.run(stopping))]
    try:
        await asyncio.wait_for(subscribed.wait(), GENEROUS_S)
        before = _settled("before")
        await bus.publish(keys.MARKET_PRICE, KEY, _price("0.40"))
        await producer.publish(keys.SETTLEMENTS, before)
        await _until(lambda: seen == [Decimal("0.40")] and len(handled) == 1)

        await server.kill()
        await _until(lambda: bus.lost == 1 and not consumer.state.connected)  # both noticed and are backing off
        await server.start()  # same port, same append-only file
        await _until(lambda: bus.lost == 0 and consumer.state.connected)
        await _until(lambda: seen == [Decimal("0.40")] * 2)  # the latest value, yielded again on resubscribing

        after = _settled("after")
        await bus.publish(keys.MARKET_PRICE, KEY, _price("0.41"))
        await producer.publish(keys.SETTLEMENTS, after)
        await _until(lambda: seen[-1:] == [Decimal("0.41")] and len(handled) == 2)
    finally:
        stopping.set()
        await asyncio.wait_for(asyncio.gather(*tasks), GENEROUS_S)
        await pool.close()
    assert [m.message_id for m in handled] == [before.message_id, after.message_id]
    assert (consumer.state.handled, consumer.state.duplicates, consumer.state.dead_lettered) == (2, 0, 0)
    assert (await redis.xpending(keys.SETTLEMENTS, "g"))["pending"] == 0  # everything acked
    await redis.aclose()


async def test_an_entry_whose_ack_was_lost_is_acked_after_the_restart_and_applied_once(
    server: RedisServer, database_url: str
) -> None:
    redis = connect_redis(server.url, single_process=False)
    pool = await create_pool(database_url)
    in_handler, release = asyncio.Event(), asyncio.Event()
    applied: list[Message] = []

    async def handler(message: Message, uow: UnitOfWork) -> None:
        in_handler.set()
        await release.wait()
        applied.append(message)

    config = ConsumerConfig(stream=keys.SETTLEMENTS, group="g", consumer="c", accepts=(MarketSettled,), block_ms=100)
    consumer = StreamConsumer(redis, Store(pool), config, handler, backoff=FAST)
    stopping = asyncio.Event()
    task = asyncio.create_task(consumer.run(stopping))
    try:
        first, second = _settled("first"), _settled("second")
        await StreamProducer(redis).publish(keys.SETTLEMENTS, first)
        await asyncio.wait_for(in_handler.wait(), GENEROUS_S)
        await server.kill()
        release.set()  # committed to PostgreSQL; the XACK that follows meets a dead Redis
        await _until(lambda: not consumer.state.connected)
        await server.start()
        await _until(lambda: consumer.state.duplicates == 1)  # the pending entry first, found in the inbox
        await StreamProducer(redis).publish(keys.SETTLEMENTS, second)  # then new entries
        await _until(lambda: consumer.state.handled == 2)
    finally:
        stopping.set()
        await asyncio.wait_for(task, GENEROUS_S)
        await pool.close()
    assert [m.message_id for m in applied] == [first.message_id, second.message_id]
    assert consumer.state.dead_lettered == 0
    assert (await redis.xpending(keys.SETTLEMENTS, "g"))["pending"] == 0
    await redis.aclose()


async def test_a_consumer_creates_its_group_again_when_redis_comes_back_without_it(
    server: RedisServer, database_url: str, tmp_path: Path
) -> None:
    redis = connect_redis(server.url, single_process=False)
    pool = await create_pool(database_url)
    applied: list[Message] = []

    async def handler(message: Message, uow: UnitOfWork) -> None:
        applied.append(message)

    config = ConsumerConfig(stream=keys.SETTLEMENTS, group="g", consumer="c", accepts=(MarketSettled,), block_ms=100)
    consumer = StreamConsumer(redis, Store(pool), config, handler, backoff=FAST)
    stopping = asyncio.Event()
    task = asyncio.create_task(consumer.run(stopping))
    empty = RedisServer(tmp_path / "empty", port=server.port)  # the same address, none of the data
    try:
        await _until(lambda: consumer.state.connected)
        await StreamProducer(redis).publish(keys.SETTLEMENTS, _settled("before"))
        await _until(lambda: consumer.state.handled == 1)
        await server.kill()
        await empty.start()
        late = _settled("late")
        await StreamProducer(redis).publish(keys.SETTLEMENTS, late)
        await _until(lambda: consumer.state.handled == 2)
    finally:
        stopping.set()
        await asyncio.wait_for(task, GENEROUS_S)
        await empty.stop()
        await pool.close()
    assert applied[-1].message_id == late.message_id
    await redis.aclose()


class _Reader(Service):
    """Consumes settlements: enough for a consumer, a heartbeat and the health endpoint."""

    name = "reader"

    async def start(self, ctx: ServiceContext) -> None:
        async def ignore(message: Message, uow: UnitOfWork) -> None:
            return None

        self.consume(ctx, keys.SETTLEMENTS, ignore, (MarketSettled,))


async def test_health_is_degraded_while_redis_is_away_and_heartbeats_resume_after(
    server: RedisServer, database_url: str, tmp_path: Path
) -> None:
    settings = load_settings(
        ArbeesSettings, redis_url=server.url, database_url=database_url, data_dir=tmp_path, health_port=0,
        heartbeat_interval_s=0.2, stream_block_ms=100,
    )  # fmt: skip
    stopping, ready = asyncio.Event(), asyncio.Event()
    health: list[EmbeddedServer] = []
    async with open_infra(settings, single_process=False) as infra, httpx.AsyncClient(timeout=GENEROUS_S) as http:
        reader = _Reader(settings)
        run = asyncio.create_task(
            run_services(
                [reader], infra, stopping=stopping, ready=ready, install_signals=False, health_server_out=health
            )
        )
        try:
            await asyncio.wait_for(ready.wait(), GENEROUS_S)
            url = f"http://127.0.0.1:{health[0].bound_port}/health"

            async def status() -> tuple[int, Any]:
                response = await http.get(url)
                return response.status_code, response.json()

            await eventually(_is(status, 200), timeout=GENEROUS_S)
            await server.kill()
            code, body = await eventually(_is(status, 503), timeout=GENEROUS_S)
            assert body["status"] == "degraded" and any(p.startswith("redis") for p in body["problems"])
            restarted_at = datetime.now(UTC)
            await server.start()
            await eventually(_is(status, 200), timeout=GENEROUS_S)

            async def fresh_beat() -> bool:
                beats = await read_heartbeats(infra.redis)
                return any(b.service == "reader" and b.status == "ok" and b.ts_event > restarted_at for b in beats)

            await eventually(fresh_beat, timeout=GENEROUS_S)
            assert reader.consumers[0].state.connected
        finally:
            stopping.set()
            await asyncio.wait_for(run, GENEROUS_S)


def _is(status: Callable[[], Awaitable[tuple[int, Any]]], code: int) -> Callable[[], Awaitable[Any]]:
    async def probe() -> Any:
        got = await status()
        return got if got[0] == code else None

    return probe
