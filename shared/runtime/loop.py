"""The event loop every process runs on: uvloop where it is installed, unless ``ARBEES_EVENT_LOOP=asyncio``.

uvloop (libuv) roughly halves the cost of each socket round trip on the hot path (Redis, PostgreSQL, the
venues) against the standard loop; the standard loop stays one setting away for debugging.

The interpreter's thread switch interval is cut from 5 ms to 0.5 ms (``ARBEES_SWITCH_INTERVAL_S``): work
handed to a thread so that the loop never blocks (the order journal's fsync, signing ahead) must take the
GIL from a busy loop thread to start and again to finish, and with the default interval each of those
waits could cost up to 5 ms on the order's path.
"""

from __future__ import annotations

import asyncio
import os
import sys

ENV = "ARBEES_EVENT_LOOP"
SWITCH_ENV = "ARBEES_SWITCH_INTERVAL_S"
SWITCH_INTERVAL_S = 0.0005


def install_event_loop() -> str:
    """Install the chosen loop policy before ``asyncio.run``; returns ``uvloop`` or ``asyncio``."""
    sys.setswitchinterval(float(os.environ.get(SWITCH_ENV, SWITCH_INTERVAL_S)))
    if os.environ.get(ENV, "uvloop").strip().lower() == "asyncio":
        return "asyncio"
    try:
        import uvloop
    except ImportError:
        return "asyncio"
    asyncio.set_event_loop_policy(uvloop.EventLoopPolicy())
    return "uvloop"
