"""A Polymarket simulator per test, served by uvicorn on a loopback port, and helpers to reach it.

No Redis or PostgreSQL: these tests only need the simulator and the production clients.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Coroutine, Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
import uvicorn
from eth_account import Account
from py_clob_client_v2.http_helpers import helpers as library_http

from markets.polymarket.config import PolymarketSettings
from markets.polymarket.geoblock import TradingGate, check_geoblock
from markets.polymarket.retry import Backoff
from markets.polymarket.trading import ClobTrader
from markets.sim.polymarket.app import build_app
from markets.sim.polymarket.state import SimConfig, SimState, build_state
from shared.runtime.health import EmbeddedServer, serve_until, wait_started

FAST = Backoff(base_s=0.02, cap_s=0.2, attempts=6)


@dataclass
class Sim:
    """A running simulator: its URL, its state (for white-box checks) and an HTTP client."""

    url: str
    state: SimState
    http: httpx.AsyncClient
    tasks: list[asyncio.Task[Any]] = field(default_factory=list)

    @property
    def ws_url(self) -> str:
        return self.url.replace("http://", "ws://")

    def settings(self, private_key: str | None = None, **overrides: Any) -> PolymarketSettings:
        values: dict[str, Any] = {
            "clob_url": self.url,
            "gamma_url": f"{self.url}/gamma",
            "ws_market_url": f"{self.ws_url}/ws/market",
            "ws_user_url": f"{self.ws_url}/ws/user",
            "geoblock_url": f"{self.url}/api/geoblock",
            "private_key": private_key or Account.create().key.hex(),
            "ws_ping_interval_s": 0.5,
            "ws_pong_timeout_s": 5.0,
            "ws_stale_after_s": 1.0,
            "ws_reconnect_base_s": 0.05,
            "ws_reconnect_cap_s": 0.5,
        }
        return PolymarketSettings(**(values | overrides))

    async def trader(self, **overrides: Any) -> ClobTrader:
        """A trader with a fresh key whose geoblock probe passed and whose API key exists."""
        settings = self.settings(**overrides)
        gate = TradingGate()
        await check_geoblock(self.http, settings.geoblock_url, gate)
        trader = ClobTrader(settings, gate, backoff=FAST)
        await trader.create_or_derive_api_key()
        return trader

    async def market(self, **body: Any) -> dict[str, Any]:
        """Open a market through the control API (makers at 0.5 +/- 0.05, no noise, unless overridden)."""
        defaults = {"price": 0.5, "half_spread": "0.05", "noise_sd": 0.0, "levels": 2, "refresh_s": 3600}
        response = await self.http.post(f"{self.url}/_sim/markets", json=defaults | body)
        response.raise_for_status()
        return dict(response.json())

    async def control(self, path: str, body: Any = None, method: str = "POST") -> Any:
        response = await self.http.request(method, f"{self.url}/_sim/{path}", json=body)
        response.raise_for_status()
        return response.json()

    async def requests(self) -> list[tuple[str, str]]:
        return [(r["method"], r["path"]) for r in await self.control("requests", method="GET")]

    def start(self, coro: Coroutine[Any, Any, Any]) -> asyncio.Task[Any]:
        """Run a client loop for the rest of the test (cancelled at teardown)."""
        task = asyncio.create_task(coro)
        self.tasks.append(task)
        return task


@pytest.fixture(scope="session", autouse=True)
def _close_library_http_client() -> Iterator[None]:
    """py-clob-client-v2 keeps one module-level ``httpx.Client``; close it when this session ends."""
    yield
    library_http._http_client.close()


@pytest.fixture
async def sim() -> AsyncIterator[Sim]:
    state = build_state(SimConfig(mine_delay_s=0.2, confirm_delay_s=0.2))
    config = uvicorn.Config(
        build_app(state), host="127.0.0.1", port=0, log_level="warning", lifespan="on",
        ws="websockets-sansio", ws_ping_interval=None,
    )  # fmt: skip
    server = EmbeddedServer(config)
    stop = asyncio.Event()
    serving = asyncio.create_task(serve_until(server, stop))
    await wait_started(server, serving)
    async with httpx.AsyncClient(timeout=10) as http:
        handle = Sim(f"http://127.0.0.1:{server.bound_port}", state, http)
        try:
            yield handle
        finally:
            for task in handle.tasks:
                task.cancel()
            for task in handle.tasks:
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await task
            stop.set()
            await serving
