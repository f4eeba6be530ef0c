"""Run the Polymarket simulator inside the current event loop on a loopback port (tests, benchmarks, demos).

``async with running(SimConfig(...)) as sim:`` serves the full app (CLOB, Gamma under ``/gamma``, the
WebSockets, ``/api/geoblock``, ``/_sim``) with uvicorn on ``127.0.0.1`` and a free port, and stops it on
exit. :class:`RunningSim` gives the URLs a client needs and the state for white-box checks.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass

import uvicorn

from markets.sim.polymarket.app import build_app
from markets.sim.polymarket.state import SimConfig, SimState, build_state
from shared.runtime.health import EmbeddedServer, serve_until, wait_started


@dataclass(frozen=True)
class RunningSim:
    """A simulator being served: its base URL and state."""

    url: str
    state: SimState

    @property
    def ws_url(self) -> str:
        """``ws://`` base URL."""
        return self.url.replace("http://", "ws://", 1)

    @property
    def gamma_url(self) -> str:
        """Gamma API base URL."""
        return f"{self.url}/gamma"

    @property
    def ws_user_url(self) -> str:
        """User channel URL."""
        return f"{self.ws_url}/ws/user"

    @property
    def ws_market_url(self) -> str:
        """Market channel URL."""
        return f"{self.ws_url}/ws/market"

    @property
    def geoblock_url(self) -> str:
        """Geoblock probe URL."""
        return f"{self.url}/api/geoblock"


@contextlib.asynccontextmanager
async def running(config: SimConfig | None = None, *, state: SimState | None = None) -> AsyncIterator[RunningSim]:
    """Serve a simulator (a fresh one from ``config``, or ``state``) until the block exits."""
    sim_state = state or build_state(config)
    server_config = uvicorn.Config(
        build_app(sim_state), host="127.0.0.1", port=0, log_level="warning", lifespan="on",
        ws="websockets-sansio", ws_ping_interval=None, access_log=False,
    )  # fmt: skip
    server = EmbeddedServer(server_config)
    stop = asyncio.Event()
    serving = asyncio.create_task(serve_until(server, stop), name="pm-sim-server")
    try:
        await wait_started(server, serving)
        yield RunningSim(f"http://127.0.0.1:{server.bound_port}", sim_state)
    finally:
        stop.set()
        await serving
