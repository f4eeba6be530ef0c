"""The Polymarket engine under the shared contract: the production engine against the simulator over loopback.

Each test gets a fresh simulator (uvicorn on 127.0.0.1, a free port), a quiet market (no makers at
all, minimum order size 3 so a partial fill of 4 is a valid order), the engine with a throwaway key and
1000 pUSD, and a counterparty: a second account, through the production ``ClobTrader``, holding
shares and pUSD, posting a resting SELL that crosses our resting BUY (:meth:`SellerCounterparty.offer`)
or a resting BUY that our SELL takes (:meth:`SellerCounterparty.bid`).

The helpers here are reused by ``tests/integration/polymarket/test_execution_*.py``.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest
from eth_account import Account
from py_clob_client_v2.http_helpers import helpers as library_http

from markets.journal import FileOrderJournal
from markets.polymarket.config import PolymarketSettings
from markets.polymarket.execution import PolymarketExecutionEngine
from markets.polymarket.geoblock import TradingGate, check_geoblock
from markets.polymarket.retry import Backoff
from markets.polymarket.trading import ClobTrader
from markets.polymarket.types import PostOrderResult
from markets.sim.polymarket.inprocess import RunningSim, running
from markets.sim.polymarket.records import SimOrder
from markets.sim.polymarket.state import SimConfig
from tests.contract.engines.harness import EngineHarness

HARNESSES = ("polymarket",)
FAST = Backoff(base_s=0.02, cap_s=0.2, attempts=6)
TICK = Decimal("0.01")
MIN_SIZE = Decimal(3)
BALANCE = Decimal(1000)
REST_PRICE = Decimal("0.40")
TEST_MAX_CLOCK_SKEW_S = 30.0
"""The engines' start-up clock limit in tests (production: 2 s): the check brackets ``GET /time`` with our clock and
a loaded machine stretches that round trip (and the simulator's answer, on the same event loop) past 2 s."""


def sim_settings(sim: RunningSim, private_key: str | None = None) -> PolymarketSettings:
    """Client settings pointing at ``sim`` (fast WebSocket keep-alive and reconnects)."""
    return PolymarketSettings(
        clob_url=sim.url,
        gamma_url=sim.gamma_url,
        ws_market_url=sim.ws_market_url,
        ws_user_url=sim.ws_user_url,
        geoblock_url=sim.geoblock_url,
        private_key=private_key or Account.create().key.hex(),
        ws_ping_interval_s=0.5,
        ws_pong_timeout_s=5.0,
        ws_reconnect_base_s=0.05,
        ws_reconnect_cap_s=0.5,
        order_timeout_s=1.0,
    )


def build_engine(
    sim: RunningSim, journal_dir: Path, private_key: str | None = None, **options: Any
) -> PolymarketExecutionEngine:
    """The production engine (a fresh key unless given), built as ``PolymarketExecutionEngine(host=..., ...)``.

    The start-up clock limit is :data:`TEST_MAX_CLOCK_SKEW_S` unless ``options`` sets ``max_clock_skew_s``.
    """
    options.setdefault("max_clock_skew_s", TEST_MAX_CLOCK_SKEW_S)
    settings = sim_settings(sim, private_key)
    key = settings.private_key
    assert key is not None
    address = Account.from_key(key.get_secret_value()).address
    return PolymarketExecutionEngine(
        host=sim.url,
        private_key=key.get_secret_value(),
        chain_id=137,
        settings=settings,
        journal=options.pop("journal", None) or FileOrderJournal(journal_dir / f"pm-{address}.jsonl"),
        ws_user_url=sim.ws_user_url,
        gamma_url=sim.gamma_url,
        geoblock_url=sim.geoblock_url,
        backoff=FAST,
        **options,
    )


async def control(http: httpx.AsyncClient, sim: RunningSim, path: str, body: Any = None, method: str = "POST") -> Any:
    """Call the simulator's ``/_sim`` control API."""
    response = await http.request(method, f"{sim.url}/_sim/{path}", json=body)
    response.raise_for_status()
    return response.json()


async def open_market(http: httpx.AsyncClient, sim: RunningSim, **body: Any) -> dict[str, Any]:
    """A market through the control API (default: no makers, minimum size 3)."""
    defaults: dict[str, Any] = {"makers": False, "min_order_size": str(MIN_SIZE), "price": 0.5}
    return dict(await control(http, sim, "markets", defaults | body))


async def fund(http: httpx.AsyncClient, sim: RunningSim, address: str, collateral: Decimal, **tokens: Decimal) -> None:
    """Set an account's pUSD and share balances."""
    body = {"collateral": str(collateral), "tokens": {t: str(q) for t, q in tokens.items()}}
    await control(http, sim, f"accounts/{address}", body)


class SellerCounterparty:
    """A second account that sells to us (it holds the shares) and buys from us (it holds pUSD).

    :meth:`offer` posts a SELL (crossing our resting BUY, or resting for our BUY to take); :meth:`bid`
    rests a BUY that our SELL takes (an unwind or an exit that fills on the venue).
    """

    def __init__(self, trader: ClobTrader, token_id: str) -> None:
        self.trader = trader
        self.token_id = token_id
        self.answers: list[PostOrderResult] = []

    @classmethod
    async def create(cls, sim: RunningSim, http: httpx.AsyncClient, token_id: str) -> SellerCounterparty:
        settings = sim_settings(sim)
        gate = TradingGate()
        await check_geoblock(http, settings.geoblock_url, gate)
        trader = ClobTrader(settings, gate, FAST)
        await trader.create_or_derive_api_key()
        await fund(http, sim, trader.funder, Decimal(1000), **{token_id: Decimal(1000)})
        return cls(trader, token_id)

    async def offer(self, price: Decimal, quantity: Decimal) -> None:
        _, answer = await self.trader.place_limit_order(
            self.token_id, "SELL", price, quantity, tick_size=TICK, neg_risk=False
        )
        self.answers.append(answer)

    async def bid(self, price: Decimal, quantity: Decimal) -> None:
        """Post a BUY of ``quantity`` shares at ``price`` (GTC: it rests until something sells into it)."""
        _, answer = await self.trader.place_limit_order(
            self.token_id, "BUY", price, quantity, tick_size=TICK, neg_risk=False
        )
        self.answers.append(answer)


def drop_library_connections() -> None:
    """py-clob-client-v2 keeps one module-level ``httpx.Client``: close its keep-alive sockets to this test's
    simulator by swapping in a fresh client (the integration conftest closes the last one at session end)."""
    old = library_http._http_client
    library_http._http_client = httpx.Client(http2=True)
    old.close()


@dataclass
class ExecEnv:
    """A started engine against a running simulator, with a quiet market and a counterparty."""

    sim: RunningSim
    http: httpx.AsyncClient
    market: dict[str, Any]
    engine: PolymarketExecutionEngine
    counterparty: SellerCounterparty

    @property
    def token(self) -> str:
        """Outcome 0 of the market (the token we trade)."""
        return str(self.market["token_ids"][0])

    @property
    def condition_id(self) -> str:
        """The market's condition id."""
        return str(self.market["condition_id"])

    async def control(self, path: str, body: Any = None, method: str = "POST") -> Any:
        """The simulator's control API."""
        return await control(self.http, self.sim, path, body, method)

    def posts(self) -> int:
        """``POST /order`` requests the simulator has seen."""
        return sum(1 for m, p in self.sim.state.requests if (m, p) == ("POST", "/order"))

    def venue_order(self, order_id: str | None) -> SimOrder | None:
        """The simulator's own record of an order."""
        return self.sim.state.exchange.orders.get(order_id or "")


@contextlib.asynccontextmanager
async def execution_env(
    journal_dir: Path,
    *,
    sim_config: SimConfig | None = None,
    market: dict[str, Any] | None = None,
    start: bool = True,
    **engine_options: Any,
) -> AsyncIterator[ExecEnv]:
    """A fresh simulator, a market (``market`` overrides the defaults), a funded engine and a counterparty."""
    config = sim_config or SimConfig(mine_delay_s=0.1, confirm_delay_s=0.1)
    async with running(config) as sim, httpx.AsyncClient(timeout=10) as http:
        opened = await open_market(http, sim, **(market or {}))
        engine = build_engine(sim, journal_dir, **engine_options)
        await fund(http, sim, engine.address, BALANCE)
        counterparty = await SellerCounterparty.create(sim, http, opened["token_ids"][0])
        try:
            if start:
                await engine.start()
            yield ExecEnv(sim, http, opened, engine, counterparty)
        finally:
            await engine.close()
            drop_library_connections()


@pytest.fixture
async def polymarket_harness(tmp_path: Path) -> AsyncIterator[EngineHarness]:
    """The Polymarket engine, started against a fresh simulator, with a quiet market and a counterparty."""
    async with execution_env(tmp_path) as env:
        yield EngineHarness(
            name="polymarket",
            engine=env.engine,
            counterparty=env.counterparty,
            market_id=env.condition_id,
            outcome_id=env.token,
            rest_price=REST_PRICE,
            tick=TICK,
            min_size=MIN_SIZE,
            balance=BALANCE,
            unknown_market_id="0x" + "ab" * 32,
        )
