"""The Kalshi engine in the shared contract: the production engine against the simulator over loopback.

The simulator runs in-process on a free port with two throwaway RSA keys: ours (the engine's, $1,000)
and a counterparty's. The market is quiet (no makers, empty book), so a buy of YES at 0.30 rests; the
counterparty crosses it with a resting sell of YES (an ``ask``, i.e. a buy of NO) placed through the
production REST client. :func:`build_engine` is also used by ``tests/integration/kalshi``.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Callable
from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from markets.journal import FileOrderJournal
from markets.kalshi.execution import KalshiExecutionEngine
from markets.kalshi.execution.options import ExecutionOptions
from markets.kalshi.execution.settings import ExplicitKalshiSettings
from markets.kalshi.rest import KalshiRestClient
from markets.sim.kalshi.auth import KeyRegistry
from markets.sim.kalshi.exchange import KalshiExchange
from markets.sim.kalshi.inprocess import serve_in_process
from markets.sim.kalshi.seeding import open_game
from markets.sim.kalshi.state import SimState
from tests.contract.engines.harness import EngineHarness
from tests.unit.kalshi.keys import pkcs8_pem, private_key

HARNESSES = ("kalshi",)
OURS, THEIRS = "contract-ours", "contract-theirs"
BALANCE = Decimal(1000)
GAME_START = datetime(2026, 11, 24, 0, 30, tzinfo=UTC)  # 19:30 US Eastern on Nov 23: tickers ``26NOV23``
SIM_AUTH_WINDOW_S = 60.0
"""The simulator's signature window in tests (Kalshi's is a few seconds): a loaded machine can delay a request by
seconds between signing and the check, so tests that mean "skewed" skew by many minutes."""
TEST_MAX_CLOCK_SKEW_S = 30.0
"""The engines' start-up clock limit in tests (production: 2 s). The in-process simulator's ``Date`` header is
uvicorn's cached one, refreshed by its main loop about once a second on the event loop the test shares, so on a
loaded machine it lags our clock by more than 2 s although both read the same clock."""


def build_engine(
    rest_url: str,
    ws_url: str,
    key_id: str,
    key: rsa.RSAPrivateKey,
    folder: Path,
    *,
    clock: Callable[[], float] = time.time,
    options: ExecutionOptions | None = None,
    max_clock_skew_s: float = TEST_MAX_CLOCK_SKEW_S,
    **settings: Any,
) -> KalshiExecutionEngine:
    """The production engine for ``key_id``: key file and journal under ``folder``, ``settings`` overrides.

    ``max_clock_skew_s`` replaces the start-up clock limit of ``options`` (see :data:`TEST_MAX_CLOCK_SKEW_S`).
    """
    key_file = folder / f"{key_id}.key"
    key_file.write_bytes(pkcs8_pem(key))
    base = ExplicitKalshiSettings(
        base_url=rest_url, ws_url=ws_url, api_key_id=key_id, private_key_path=str(key_file), **settings
    )
    return KalshiExecutionEngine(
        base_url=rest_url,
        api_key_id=key_id,
        private_key_path=key_file,
        ws_url=ws_url,
        journal=FileOrderJournal(folder / "journal" / f"kalshi-{key_id}.jsonl"),
        settings=base,
        clock=clock,
        options=replace(options or ExecutionOptions(), max_clock_skew_s=max_clock_skew_s),
    )


def rest_client(rest_url: str, key_id: str, key: rsa.RSAPrivateKey) -> KalshiRestClient:
    """A production REST client for another key (a counterparty)."""
    settings = ExplicitKalshiSettings(base_url=rest_url, api_key_id=key_id, private_key_pem=pkcs8_pem(key).decode())
    return KalshiRestClient(settings)


class KalshiCounterparty:
    """Another key on the simulator, selling YES to our resting buys."""

    def __init__(self, rest: KalshiRestClient, ticker: str) -> None:
        self.rest = rest
        self.ticker = ticker
        self.placed = 0

    async def offer(self, price: Decimal, quantity: Decimal) -> None:
        """A resting sell of YES at ``price`` (an ask; the same as buying NO at ``1 - price``)."""
        self.placed += 1
        await self.rest.create_order(
            ticker=self.ticker, side="ask", count=quantity, price=price, client_order_id=f"cp-{self.placed}"
        )


@pytest.fixture
async def kalshi_harness(tmp_path: Path) -> AsyncIterator[EngineHarness]:
    """The started production Kalshi engine, a quiet market and a counterparty."""
    keys = {OURS: private_key(0), THEIRS: private_key(1)}
    registry = KeyRegistry({k: v.public_key() for k, v in keys.items()}, max_skew_s=SIM_AUTH_WINDOW_S)
    exchange = KalshiExchange(starting_balance=BALANCE)
    (market,) = open_game(
        exchange, league="nba", away=("LAL", "Los Angeles L"), home=("BOS", "Boston"),
        start=GAME_START,
    )  # fmt: skip
    state = SimState(exchange, registry, run_makers=False)
    async with serve_in_process(state) as sim:
        engine = build_engine(sim.rest_url, sim.ws_url, OURS, keys[OURS], tmp_path)
        theirs = rest_client(sim.rest_url, THEIRS, keys[THEIRS])
        await engine.start()
        try:
            yield EngineHarness(
                name="kalshi", engine=engine, counterparty=KalshiCounterparty(theirs, market.ticker),
                market_id=market.ticker, outcome_id="yes", rest_price=Decimal("0.30"), tick=Decimal("0.01"),
                min_size=Decimal("0.01"), balance=BALANCE, unknown_market_id="KXNBAGAME-26NOV23XXXYYY-YYY",
            )  # fmt: skip
        finally:
            await engine.close()
            await theirs.aclose()
