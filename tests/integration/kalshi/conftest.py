"""The Kalshi simulator served in-process on a loopback port, with two registered throwaway keys."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from cryptography.hazmat.primitives.asymmetric import rsa

from markets.kalshi.auth import KalshiSigner
from markets.kalshi.config import KalshiSettings
from markets.kalshi.execution import KalshiExecutionEngine
from markets.kalshi.execution.options import ExecutionOptions
from markets.kalshi.rest import KalshiRestClient
from markets.kalshi.ws import KalshiWebSocket
from markets.sim.kalshi.app import create_app
from markets.sim.kalshi.auth import KeyRegistry
from markets.sim.kalshi.exchange import KalshiExchange
from markets.sim.kalshi.seeding import open_game
from markets.sim.kalshi.state import SimState
from shared.runtime.health import EmbeddedServer, serve_until, wait_started
from tests.contract.engines.harness_kalshi import GAME_START, SIM_AUTH_WINDOW_S, build_engine
from tests.unit.kalshi.keys import pkcs8_pem, private_key

KEY_A, KEY_B = "key-a-0001", "key-b-0002"
TICKER = "KXNBAGAME-26NOV23LALBOS-BOS"
D = Decimal


@dataclass
class Sim:
    """A running simulator and helpers to talk to it."""

    state: SimState
    port: int
    keys: dict[str, rsa.RSAPrivateKey]
    _closers: list[Any] = field(default_factory=list)

    @property
    def rest_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/trade-api/v2"

    @property
    def ws_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/trade-api/ws/v2"

    def settings(self, key_id: str = KEY_A, **overrides: Any) -> KalshiSettings:
        return KalshiSettings(
            base_url=self.rest_url,
            ws_url=self.ws_url,
            api_key_id=key_id,
            private_key_pem=pkcs8_pem(self.keys[key_id]).decode(),
            **overrides,
        )

    def signer(self, key_id: str = KEY_A) -> KalshiSigner:
        return KalshiSigner(key_id, self.keys[key_id])

    def rest(self, key_id: str = KEY_A, **overrides: Any) -> KalshiRestClient:
        client = KalshiRestClient(self.settings(key_id, **overrides))
        self._closers.append(client.aclose)
        return client

    async def control(self, method: str, path: str, body: Any = None) -> Any:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{self.port}") as http:
            response = await http.request(method, path, json=body)
            response.raise_for_status()
            return response.json()

    async def fault(self, **fault: Any) -> None:
        await self.control("POST", "/_sim/faults", fault)

    @contextlib.asynccontextmanager
    async def websocket(self, key_id: str = KEY_A, **kwargs: Any) -> AsyncIterator[KalshiWebSocket]:
        ws = KalshiWebSocket(self.ws_url, self.signer(key_id), **kwargs)
        task = asyncio.create_task(ws.run())
        try:
            await asyncio.wait_for(ws.connected.wait(), 5)
            yield ws
        finally:
            await ws.close()
            await asyncio.wait_for(task, 5)

    def set_book(self, yes: list[tuple[str, str]], no: list[tuple[str, str]], ticker: str = TICKER) -> None:
        self.state.desk.set_book(ticker, [(D(p), D(s)) for p, s in yes], [(D(p), D(s)) for p, s in no])


async def start_sim(
    state: SimState, *, ping_interval_s: float = 10.0, ping_timeout_s: float = 30.0
) -> tuple[EmbeddedServer, asyncio.Event, asyncio.Task[None]]:
    config = uvicorn.Config(
        create_app(state),
        host="127.0.0.1",
        port=0,
        log_level="warning",
        lifespan="on",
        ws_ping_interval=ping_interval_s,
        ws_ping_timeout=ping_timeout_s,
    )
    server = EmbeddedServer(config)
    stop = asyncio.Event()
    task = asyncio.create_task(serve_until(server, stop))
    await wait_started(server, task)
    return server, stop, task


@pytest.fixture
def ping_interval_s() -> float:
    """Seconds between the simulator's WebSocket pings (Kalshi: 10); overridden by tests that need it fast."""
    return 10.0


@pytest.fixture
async def sim(ping_interval_s: float) -> AsyncIterator[Sim]:
    """A simulator with keys A and B ($1,000 each), one NBA game (two markets) and no background makers."""
    keys = {KEY_A: private_key(0), KEY_B: private_key(1)}
    registry = KeyRegistry({k: v.public_key() for k, v in keys.items()}, max_skew_s=SIM_AUTH_WINDOW_S)
    exchange = KalshiExchange(starting_balance=D(1000))
    state = SimState(exchange, registry, run_makers=False)
    open_game(exchange, league="nba", away=("LAL", "Los Angeles L"), home=("BOS", "Boston"),
              start=GAME_START, teams=("home", "away"))  # fmt: skip
    for key in keys:
        exchange.add_account(key)
    server, stop, task = await start_sim(state, ping_interval_s=ping_interval_s, ping_timeout_s=ping_interval_s * 2)
    assert server.bound_port is not None
    handle = Sim(state, server.bound_port, keys)
    try:
        yield handle
    finally:
        for close in handle._closers:
            await close()
        stop.set()
        await asyncio.wait_for(task, 10)


QUIET = ExecutionOptions(poll_interval_s=60, fallback_poll_interval_s=60, open_check_interval_s=600)


@pytest.fixture
async def engine(sim: Sim, tmp_path: Path) -> AsyncIterator[KalshiExecutionEngine]:
    """A started engine on key A with background polling out of the way."""
    eng = build_engine(sim.rest_url, sim.ws_url, KEY_A, sim.keys[KEY_A], tmp_path, options=QUIET)
    await eng.start()
    try:
        yield eng
    finally:
        await eng.close()


@pytest.fixture
def mlb(sim: Sim) -> str:
    """An MLB game market, on exchange shard 1."""
    (market,) = open_game(
        sim.state.exchange, league="mlb", away=("NYY", "New York Y"), home=("BOS", "Boston"), start=GAME_START
    )
    assert market.exchange_index == 1
    return market.ticker
