"""Client-side token buckets for Kalshi's separate Read and Write budgets.

Kalshi meters requests in tokens (venues.md §1.6, docs.kalshi.com/getting_started/rate_limits): a
default cost of 10 per request, 2 for a cancel, 100 for a deprecated legacy order mutation; a Basic
account refills 200 read and 100 write tokens per second and its bucket holds about one second of
budget. Waiting here *before* sending keeps 429s rare. Within a bucket, waiters are served by priority
then arrival, so a cancel never queues behind new orders.
"""

from __future__ import annotations

import asyncio
import contextlib
import heapq
import itertools
import time
from collections.abc import Callable
from dataclasses import dataclass

READ_COST = 10
WRITE_COST = 10
CANCEL_COST = 2
LEGACY_MUTATION_COST = 100

PRIORITY_CANCEL = 0
PRIORITY_NORMAL = 1


class TokenBucket:
    """An async token bucket: ``rate`` tokens per second, at most ``capacity`` banked.

    :meth:`acquire` waits until ``cost`` tokens are available and takes them; a cancelled wait takes
    nothing. Waiters are served in ``(priority, arrival)`` order.

    Parameters
    ----------
    rate
        Tokens added per second (> 0).
    capacity
        Maximum tokens banked (the burst); a bucket starts full.
    clock
        Monotonic seconds (injectable for tests).
    """

    def __init__(self, rate: float, capacity: float, *, clock: Callable[[], float] = time.monotonic) -> None:
        if rate <= 0 or capacity <= 0:
            raise ValueError("rate and capacity must be positive")
        self.rate = rate
        self.capacity = capacity
        self._clock = clock
        self._tokens = capacity
        self._stamp = clock()
        self._waiters: list[tuple[int, int]] = []
        self._order = itertools.count()
        self._changed = asyncio.Condition()

    @property
    def tokens(self) -> float:
        """Tokens available now."""
        self._refill()
        return self._tokens

    def _refill(self) -> None:
        now = self._clock()
        self._tokens = min(self.capacity, self._tokens + (now - self._stamp) * self.rate)
        self._stamp = now

    async def acquire(self, cost: float, *, priority: int = PRIORITY_NORMAL) -> None:
        """Wait for and take ``cost`` tokens.

        Raises
        ------
        ValueError
            When ``cost`` exceeds the capacity (it could never be served).
        """
        if cost > self.capacity:
            raise ValueError(f"cost {cost} exceeds bucket capacity {self.capacity}")
        ticket = (priority, next(self._order))
        async with self._changed:
            heapq.heappush(self._waiters, ticket)
            try:
                while True:
                    self._refill()
                    first = self._waiters[0] == ticket
                    if first and self._tokens >= cost:
                        heapq.heappop(self._waiters)
                        self._tokens -= cost
                        self._changed.notify_all()
                        return
                    timeout = (cost - self._tokens) / self.rate if first else None
                    # asyncio.timeout, not wait_for (cpython gh-86296: a raced cancellation can be swallowed).
                    with contextlib.suppress(TimeoutError):
                        async with asyncio.timeout(timeout):
                            await self._changed.wait()
            except BaseException:
                if ticket in self._waiters:
                    self._waiters.remove(ticket)
                    heapq.heapify(self._waiters)
                    self._changed.notify_all()
                raise


@dataclass
class KalshiRateLimiter:
    """The Read and Write buckets of one API key."""

    read: TokenBucket
    write: TokenBucket

    @classmethod
    def from_budgets(
        cls, read_tokens_per_s: float, write_tokens_per_s: float, *, burst_s: float = 1.0
    ) -> KalshiRateLimiter:
        """Buckets refilled at the given budgets, each holding ``burst_s`` seconds of budget."""
        return cls(
            TokenBucket(read_tokens_per_s, max(read_tokens_per_s * burst_s, READ_COST)),
            TokenBucket(write_tokens_per_s, max(write_tokens_per_s * burst_s, LEGACY_MUTATION_COST)),
        )

    async def acquire_read(self, cost: float = READ_COST) -> None:
        """Take a read's tokens."""
        await self.read.acquire(cost)

    async def acquire_write(self, cost: float = WRITE_COST, *, cancel: bool = False) -> None:
        """Take a write's tokens; cancels jump the queue."""
        await self.write.acquire(cost, priority=PRIORITY_CANCEL if cancel else PRIORITY_NORMAL)
