"""Fan-out of exchange events to WebSocket connections, and a tiny timer wheel for delayed work.

The exchange publishes :class:`MarketMessage` (public, per token) and :class:`UserMessage` (private,
per API key); each WebSocket connection owns an unbounded queue and filters what it forwards.
"""

from __future__ import annotations

import asyncio
import contextlib
import heapq
import itertools
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class MarketMessage:
    """A market-channel payload; ``asset_ids`` are the tokens it concerns (for subscription filtering)."""

    payload: dict[str, Any]
    asset_ids: frozenset[str]
    custom_feature: bool = False


@dataclass(frozen=True)
class UserMessage:
    """A user-channel payload for the owner of API key ``owner`` in ``market``."""

    payload: dict[str, Any]
    owner: str
    market: str


Message = MarketMessage | UserMessage


Sequenced = tuple[int, Message]


class EventHub:
    """Publish once, deliver ``(seq, message)`` to every subscribed queue (single event loop, no locks).

    ``seq`` increases by one per message, so a connection can drop what was published before the
    snapshot it just sent.
    """

    def __init__(self) -> None:
        self._queues: set[asyncio.Queue[Sequenced]] = set()
        self.seq = 0

    def subscribe(self) -> asyncio.Queue[Sequenced]:
        """A new queue receiving every message from now on."""
        queue: asyncio.Queue[Sequenced] = asyncio.Queue()
        self._queues.add(queue)
        return queue

    def unsubscribe(self, queue: asyncio.Queue[Sequenced]) -> None:
        """Stop delivering to ``queue``."""
        self._queues.discard(queue)

    def publish(self, message: Message) -> None:
        """Deliver ``message`` to every queue."""
        self.seq += 1
        for queue in self._queues:
            queue.put_nowait((self.seq, message))


@dataclass(order=True)
class _Timer:
    due: float
    seq: int
    fn: Callable[[], None] = field(compare=False)


class Scheduler:
    """Run callbacks at wall-clock times from one loop task (:meth:`run`)."""

    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        self._clock = clock
        self._heap: list[_Timer] = []
        self._seq = itertools.count()
        self._wake = asyncio.Event()

    def call_later(self, delay_s: float, fn: Callable[[], None]) -> None:
        """Run ``fn`` after ``delay_s`` seconds."""
        heapq.heappush(self._heap, _Timer(self._clock() + delay_s, next(self._seq), fn))
        self._wake.set()

    def run_due(self) -> int:
        """Run every callback that is due now; returns how many ran."""
        ran = 0
        while self._heap and self._heap[0].due <= self._clock():
            heapq.heappop(self._heap).fn()
            ran += 1
        return ran

    async def run(self) -> None:
        """Run callbacks as they fall due, until cancelled."""
        while True:
            self.run_due()
            self._wake.clear()
            timeout = max(0.0, self._heap[0].due - self._clock()) if self._heap else 1.0
            with contextlib.suppress(TimeoutError):  # asyncio.timeout: wait_for can swallow a cancel on 3.11
                async with asyncio.timeout(min(timeout, 1.0)):
                    await self._wake.wait()
