"""Exponential back-off with full jitter, and the retry loop for idempotent reads.

Only reads (and cancels, at the caller's choice) are retried. An order post is never retried on
Polymarket: there is no idempotency key, so a retry after an ambiguous answer can double an order.

References
----------
AWS Architecture Blog, "Exponential Backoff And Jitter" (full jitter); reliability.md R17.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TypeVar

from shared.errors import Retryable

T = TypeVar("T")
log = logging.getLogger(__name__)

Sleep = Callable[[float], Awaitable[None]]


@dataclass(frozen=True)
class Backoff:
    """Delays ``uniform(0, min(cap_s, base_s * 2**attempt))``; ``attempts`` bounds a retry loop."""

    base_s: float = 0.2
    cap_s: float = 10.0
    attempts: int = 6
    rng: random.Random = field(default_factory=random.Random, compare=False)

    def delay(self, attempt: int) -> float:
        """Seconds to wait before retry number ``attempt`` (0-based), with full jitter."""
        ceiling = min(self.cap_s, self.base_s * (2**attempt))
        return self.rng.uniform(0.0, ceiling)


async def retry_reads(fn: Callable[[], Awaitable[T]], backoff: Backoff, *, sleep: Sleep = asyncio.sleep) -> T:
    """Call ``fn`` until it succeeds, retrying :class:`Retryable` up to ``backoff.attempts`` times.

    The wait is the larger of the venue's hint (``retry_after_s``, capped) and the jittered back-off.
    Any other error propagates at once; the last :class:`Retryable` propagates when attempts run out.
    """
    attempt = 0
    while True:
        try:
            return await fn()
        except Retryable as e:
            if attempt + 1 >= backoff.attempts:
                raise
            wait = max(min(e.retry_after_s, backoff.cap_s), backoff.delay(attempt))
            log.info("polymarket read retry %d in %.2fs: %s", attempt + 1, wait, e, extra={"venue": "polymarket"})
            await sleep(wait)
            attempt += 1
