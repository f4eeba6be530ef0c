"""Small asyncio helpers used across the fleet."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

log = logging.getLogger(__name__)


async def wait_event(event: asyncio.Event, timeout_s: float) -> bool:
    """Wait up to ``timeout_s`` for ``event``; True if it was set.

    Uses ``asyncio.timeout`` rather than ``asyncio.wait_for``, which on Python 3.11 can swallow a
    cancellation that races the inner wait (cpython gh-86296) and so stall a graceful shutdown.
    """
    try:
        async with asyncio.timeout(timeout_s):
            await event.wait()
    except TimeoutError:
        return event.is_set()
    return True


@dataclass(frozen=True, slots=True)
class Backoff:
    """Capped exponential back-off for reconnecting: ``base_s * 2**failures`` seconds, at most ``cap_s``."""

    base_s: float = 0.1
    cap_s: float = 5.0

    def delay_s(self, failures: int) -> float:
        """Seconds to wait after ``failures`` consecutive failures (1 for the first)."""
        return min(self.cap_s, self.base_s * float(2 ** min(max(failures - 1, 0), 32)))


async def flush_every(
    flush: Callable[[], Awaitable[object]], interval_s: float, stopping: asyncio.Event, what: str
) -> None:
    """Call ``flush`` every ``interval_s`` until ``stopping``, then once more.

    A failed flush is logged and tried again at the next interval (what it holds waits in memory), so a
    database away for a moment stops nothing.
    """
    while not stopping.is_set():
        await wait_event(stopping, interval_s)
        try:
            await flush()
        except Exception:  # noqa: BLE001 - the database may be briefly away; the rows wait
            log.exception("%s failed; retrying next interval", what)
    try:
        await flush()
    except Exception:  # noqa: BLE001 - stopping must not fail on it
        log.exception("final %s failed", what)
