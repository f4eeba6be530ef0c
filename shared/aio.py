"""Small asyncio helpers used across the fleet."""

from __future__ import annotations

import asyncio


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
