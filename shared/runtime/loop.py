"""The event loop every process runs on: uvloop where it is installed, unless ``ARBEES_EVENT_LOOP=asyncio``.

uvloop (libuv) roughly halves the cost of each socket round trip on the hot path (Redis, PostgreSQL, the
venues) against the standard loop; the standard loop stays one setting away for debugging.
"""

from __future__ import annotations

import asyncio
import os

ENV = "ARBEES_EVENT_LOOP"


def install_event_loop() -> str:
    """Install the chosen loop policy before ``asyncio.run``; returns ``uvloop`` or ``asyncio``."""
    if os.environ.get(ENV, "uvloop").strip().lower() == "asyncio":
        return "asyncio"
    try:
        import uvloop
    except ImportError:
        return "asyncio"
    asyncio.set_event_loop_policy(uvloop.EventLoopPolicy())
    return "uvloop"
