"""The floor: the same Redis hops as the money path (pub/sub, then two streams with consumer groups), no work.

Three processes relay what the driver publishes: the first hears every update on pub/sub and XADDs the
flagged share to a stream, the second reads that stream and XADDs to a second one, the third reads the
second and notes the time. Same client library and event loop as the services, same message sizes, same
machine at the same time: what is left of the fleet's latency above this is our code.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from pathlib import Path

import redis.asyncio as aioredis

from shared.runtime.loop import install_event_loop

CHANNEL, FIRST, SECOND, GROUP = "floor:ticks", "floor:s1", "floor:s2", "floor"
PAD = b"x" * 380  # about the size of an encoded MarketPriceUpdated


def ready_key(role: str) -> str:
    """Set by a relay once it listens."""
    return f"floor:ready:{role}"


def tick(edge: bool) -> bytes:
    """A payload carrying its publish time."""
    return (b"E" if edge else b"N") + str(time.monotonic_ns()).encode() + b"|" + PAD


async def _relay_pubsub(redis: aioredis.Redis, ready: str, stop: asyncio.Event) -> None:
    pubsub = redis.pubsub()
    await pubsub.subscribe(CHANNEL)
    await redis.set(ready, 1)
    while not stop.is_set():
        message = await pubsub.get_message(ignore_subscribe_messages=True, timeout=0.5)
        if message is None:
            continue
        data = message["data"]
        if data == b"STOP":
            await redis.xadd(FIRST, {"payload": data})
            return
        if data[:1] == b"E":
            await redis.xadd(FIRST, {"payload": data})


async def _relay_stream(redis: aioredis.Redis, source: str, target: str | None, out: Path, ready: str) -> None:
    try:
        await redis.xgroup_create(source, GROUP, id="0", mkstream=True)
    except aioredis.ResponseError:
        pass
    await redis.set(ready, 1)
    latencies: list[int] = []
    while True:
        reply = await redis.xreadgroup(GROUP, "c", {source: ">"}, count=10, block=1000)
        for _stream, entries in reply or []:
            for entry_id, fields in entries:
                data = fields[b"payload"]
                if target is not None:
                    await redis.xadd(target, {"payload": data})
                await redis.xack(source, GROUP, entry_id)
                if data == b"STOP":
                    if target is None:
                        await asyncio.to_thread(out.write_text, json.dumps(latencies))
                    return
                if target is None:
                    latencies.append(time.monotonic_ns() - int(data[1:].split(b"|", 1)[0]))


async def main(role: str, redis_url: str, out: Path) -> None:
    """Run one relay: ``pubsub`` (hop 1), ``stream1`` (hop 2) or ``stream2`` (hop 3, writes latencies to ``out``)."""
    redis = aioredis.from_url(redis_url)
    ready = ready_key(role)
    if role == "pubsub":
        await _relay_pubsub(redis, ready, asyncio.Event())
    elif role == "stream1":
        await _relay_stream(redis, FIRST, SECOND, out, ready)
    else:
        await _relay_stream(redis, SECOND, None, out, ready)
    await redis.aclose()


if __name__ == "__main__":
    install_event_loop()
    asyncio.run(main(sys.argv[1], sys.argv[2], Path(sys.argv[3])))
