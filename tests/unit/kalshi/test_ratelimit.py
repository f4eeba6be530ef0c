"""Client-side token buckets: waiting before sending, cancels first, nothing taken by an abandoned wait."""

from __future__ import annotations

import asyncio

import pytest

from markets.kalshi.ratelimit import PRIORITY_CANCEL, KalshiRateLimiter, TokenBucket
from markets.kalshi.retry import Backoff


async def test_burst_then_rate() -> None:
    bucket = TokenBucket(rate=100, capacity=20)
    loop = asyncio.get_running_loop()
    start = loop.time()
    for _ in range(2):
        await bucket.acquire(10)
    assert loop.time() - start < 0.05
    await bucket.acquire(10)  # the bucket is empty: 10 tokens take 0.1 s at 100/s
    assert 0.08 <= loop.time() - start < 0.5


async def test_cancels_jump_the_queue() -> None:
    bucket = TokenBucket(rate=50, capacity=10)
    await bucket.acquire(10)
    order: list[str] = []

    async def take(name: str, priority: int) -> None:
        await bucket.acquire(10, priority=priority)
        order.append(name)

    create = asyncio.create_task(take("create", 1))
    await asyncio.sleep(0.01)
    cancel = asyncio.create_task(take("cancel", PRIORITY_CANCEL))
    await asyncio.gather(create, cancel)
    assert order == ["cancel", "create"]


async def test_abandoned_wait_takes_nothing() -> None:
    bucket = TokenBucket(rate=10, capacity=10)
    await bucket.acquire(10)
    waiter = asyncio.create_task(bucket.acquire(10))
    await asyncio.sleep(0.02)
    waiter.cancel()
    with pytest.raises(asyncio.CancelledError):
        await waiter
    await asyncio.sleep(0.3)
    assert bucket.tokens >= 2.5


async def test_impossible_cost_and_budgets() -> None:
    with pytest.raises(ValueError, match="exceeds"):
        await TokenBucket(rate=1, capacity=5).acquire(6)
    limiter = KalshiRateLimiter.from_budgets(200, 100)
    assert (limiter.read.capacity, limiter.write.capacity) == (200, 100)


def test_backoff_is_capped_full_jitter() -> None:
    import random

    backoff = Backoff(base_s=0.5, factor=2, cap_s=4, floor_s=0.01)
    rng = random.Random(1)
    delays = [backoff.delay(n, rng) for n in range(10) for _ in range(50)]
    assert all(0.01 <= d <= 4 for d in delays)
    assert max(backoff.delay(0, rng) for _ in range(100)) <= 0.5
    assert max(backoff.delay(8, rng) for _ in range(200)) > 2
