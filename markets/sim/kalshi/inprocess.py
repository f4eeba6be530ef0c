"""Running the Kalshi simulator inside the current event loop on a loopback port (tests, benchmarks).

``async with serve_in_process(state) as sim:`` starts uvicorn on ``127.0.0.1`` port 0 (the OS picks a
free port), yields a :class:`RunningSim` with the REST and WebSocket URLs and a small control-API
helper, and stops the server on exit.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import uvicorn

from markets.sim.kalshi.app import create_app
from markets.sim.kalshi.state import SimState
from shared.runtime.health import EmbeddedServer, serve_until, wait_started


@dataclass(frozen=True)
class RunningSim:
    """A simulator listening on ``port``."""

    state: SimState
    port: int

    @property
    def base(self) -> str:
        """``http://127.0.0.1:<port>``."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def rest_url(self) -> str:
        """The REST root, ``…/trade-api/v2``."""
        return f"{self.base}/trade-api/v2"

    @property
    def ws_url(self) -> str:
        """The WebSocket URL, ``ws://…/trade-api/ws/v2``."""
        return f"ws://127.0.0.1:{self.port}/trade-api/ws/v2"

    async def control(self, method: str, path: str, body: Any = None) -> Any:
        """Call the ``/_sim`` control API; returns the JSON answer (raises on an HTTP error)."""
        async with httpx.AsyncClient(base_url=self.base) as http:
            response = await http.request(method, path, json=body)
            response.raise_for_status()
            return response.json()


@contextlib.asynccontextmanager
async def serve_in_process(state: SimState, *, ws_ping_interval_s: float = 10.0) -> AsyncIterator[RunningSim]:
    """Serve ``state`` on a free loopback port for the duration of the block."""
    config = uvicorn.Config(
        create_app(state),
        host="127.0.0.1",
        port=0,
        log_level="warning",
        lifespan="on",
        access_log=False,
        ws_ping_interval=ws_ping_interval_s,
        ws_ping_timeout=ws_ping_interval_s * 2,
    )
    server = EmbeddedServer(config)
    stop = asyncio.Event()
    task = asyncio.create_task(serve_until(server, stop))
    try:
        await wait_started(server, task)
        assert server.bound_port is not None
        yield RunningSim(state, server.bound_port)
    finally:
        stop.set()
        await asyncio.wait_for(task, 10)
