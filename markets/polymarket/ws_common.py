"""What both CLOB WebSocket channels share: text ``PING``/``PONG`` keep-alive and frame reading.

The CLOB expects the client to send the *text* ``PING`` every 10 s and answers the text ``PONG``
(not WebSocket ping frames, which we disable). A connection whose ``PONG`` stops arriving is dead; one
whose ``PONG`` arrives but whose data stops is *frozen* (py-clob-client #292) — the market feed's
watchdog handles that case.

References
----------
https://docs.polymarket.com/market-data/websocket/overview (heartbeat); venues.md §2.7.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from websockets.asyncio.client import connect

Clock = Callable[[], float]
MAX_FRAME_BYTES = 32 * 1024 * 1024


class WsConnection(Protocol):
    """The part of a websockets connection the feeds use."""

    async def send(self, message: str) -> None: ...

    async def recv(self) -> str | bytes: ...

    async def close(self) -> None: ...


class FeedDead(ConnectionError):
    """The server stopped answering ``PING``."""


@dataclass
class KeepAlive:
    """Tracks our ``PING``s and the server's ``PONG``s on one connection."""

    ping_interval_s: float
    pong_timeout_s: float
    clock: Clock = time.monotonic
    last_ping: float = field(default=0.0)
    last_pong: float = field(default=0.0)

    def __post_init__(self) -> None:
        now = self.clock()
        self.last_ping = now
        self.last_pong = now

    async def tick(self, ws: WsConnection) -> None:
        """Send ``PING`` when due; raise :class:`FeedDead` when ``PONG`` is overdue."""
        now = self.clock()
        if now - self.last_pong > self.pong_timeout_s:
            raise FeedDead(f"no PONG for {now - self.last_pong:.1f}s")
        if now - self.last_ping >= self.ping_interval_s:
            await ws.send("PING")
            self.last_ping = now

    def saw_pong(self) -> None:
        """Record a ``PONG``."""
        self.last_pong = self.clock()


async def recv_text(ws: WsConnection, timeout_s: float) -> str | None:
    """The next text frame, or ``None`` after ``timeout_s`` without one (recv is cancellation-safe)."""
    # asyncio.timeout, not wait_for: on Python 3.11 wait_for returns a frame that arrives as the task is being
    # cancelled and drops the cancellation, so a feed could never be stopped (cpython gh-86296).
    try:
        async with asyncio.timeout(timeout_s):
            frame = await ws.recv()
    except TimeoutError:
        return None
    return frame.decode() if isinstance(frame, bytes) else frame


def open_connection(url: str, *, open_timeout_s: float = 10.0) -> Any:
    """A websockets client connection context for ``url`` with protocol pings off (we send text PING)."""
    return connect(url, ping_interval=None, open_timeout=open_timeout_s, max_size=MAX_FRAME_BYTES, compression=None)
