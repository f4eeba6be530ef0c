"""The paper engine in the shared engine contract, on each venue's simulator book (R25 paper parity).

Each fixture starts a simulator on a loopback port, builds the production :class:`PaperTradingEngine` over
the production REST book source pointed at it, and gives a counterparty that places *real* resting
sells on the simulator through another account: the paper engine sees the ask come down to its resting
buy and fills it, as a real engine would see its order hit.
"""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import httpx
import pytest
import uvicorn
from eth_account import Account

from markets.kalshi.config import KalshiSettings
from markets.kalshi.rest import KalshiRestClient
from markets.paper.books import BookSnapshot, BookSource
from markets.paper.engine import PaperTradingEngine
from markets.paper.sources import KalshiRestBook, PolymarketRestBook
from markets.polymarket.clob import ClobReader
from markets.polymarket.config import PolymarketSettings
from markets.polymarket.geoblock import TradingGate, check_geoblock
from markets.polymarket.retry import Backoff
from markets.polymarket.trading import ClobTrader
from markets.sim.kalshi.app import create_app
from markets.sim.kalshi.auth import KeyRegistry
from markets.sim.kalshi.exchange import KalshiExchange
from markets.sim.kalshi.seeding import open_game
from markets.sim.kalshi.state import SimState as KalshiSimState
from markets.sim.polymarket.app import build_app
from markets.sim.polymarket.state import SimConfig, build_state
from shared.fees import PolymarketFeeSchedule
from shared.runtime.health import EmbeddedServer, serve_until, wait_started
from tests.contract.engines.harness import EngineHarness
from tests.unit.kalshi.keys import pkcs8_pem, private_key

HARNESSES = ("paper_kalshi", "paper_polymarket")

BALANCE = Decimal(1000)
REST_PRICE = Decimal("0.45")
POLL_S = 0.05
COUNTERPARTY_KEY = "paper-counterparty-key"
FAST = Backoff(base_s=0.02, cap_s=0.2, attempts=6)


@contextlib.asynccontextmanager
async def _serve(app: Any, **options: Any) -> AsyncIterator[str]:
    config = uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", lifespan="on", **options)
    server = EmbeddedServer(config)
    stop = asyncio.Event()
    task = asyncio.create_task(serve_until(server, stop))
    await wait_started(server, task)
    try:
        yield f"http://127.0.0.1:{server.bound_port}"
    finally:
        stop.set()
        await asyncio.wait_for(task, 10)


async def _first_snapshot(source: BookSource, market_id: str, outcome_id: str) -> BookSnapshot:
    snapshot = await source.snapshot(market_id, outcome_id)
    assert snapshot is not None, "the harness market must have a book"
    return snapshot


# -- Kalshi ----------------------------------------------------------------------------------------------


class KalshiCounterparty:
    """Another Kalshi account: ``offer`` sells YES (book side ``ask``) on the simulator."""

    def __init__(self, rest: KalshiRestClient, ticker: str) -> None:
        self._rest = rest
        self._ticker = ticker

    async def offer(self, price: Decimal, quantity: Decimal) -> None:
        await self._rest.create_order(
            ticker=self._ticker, side="ask", count=quantity, price=price, client_order_id=uuid.uuid4().hex
        )


@pytest.fixture
async def paper_kalshi_harness() -> AsyncIterator[EngineHarness]:
    """The paper engine on a Kalshi simulator's book: YES bid 0.40 / ask 0.60, resting buys at 0.45."""
    key = private_key(5)
    exchange = KalshiExchange(starting_balance=BALANCE)
    state = KalshiSimState(exchange, KeyRegistry({COUNTERPARTY_KEY: key.public_key()}, max_skew_s=5), run_makers=False)
    start = datetime(2026, 11, 23, 0, 30, tzinfo=UTC)
    [market] = open_game(exchange, league="nba", away=("LAL", "Los Angeles L"), home=("BOS", "Boston"), start=start)
    exchange.add_account(COUNTERPARTY_KEY)
    async with _serve(create_app(state)) as url, httpx.AsyncClient(base_url=url) as control:
        book = {"yes": [["0.40", "50"]], "no": [["0.40", "50"]]}
        (await control.post(f"/_sim/markets/{market.ticker}/book", json=book)).raise_for_status()
        rest_url = f"{url}/trade-api/v2"
        public = KalshiRestClient(KalshiSettings(base_url=rest_url))
        pem = pkcs8_pem(key).decode()
        signed = KalshiRestClient(KalshiSettings(base_url=rest_url, api_key_id=COUNTERPARTY_KEY, private_key_pem=pem))
        source = KalshiRestBook(public)
        engine = PaperTradingEngine("kalshi", source, starting_balance=BALANCE, poll_interval_s=POLL_S)
        snapshot = await _first_snapshot(source, market.ticker, "yes")
        await engine.start()
        try:
            yield EngineHarness(
                name="paper_kalshi",
                engine=engine,
                counterparty=KalshiCounterparty(signed, market.ticker),
                market_id=market.ticker,
                outcome_id="yes",
                rest_price=REST_PRICE,
                tick=snapshot.tick_size,
                min_size=snapshot.min_size,
                balance=BALANCE,
                unknown_market_id="KXNBAGAME-26NOV23NOPE-NOPE",
            )
        finally:
            await engine.close()
            await public.aclose()
            await signed.aclose()


# -- Polymarket ------------------------------------------------------------------------------------------


async def _trader(http: httpx.AsyncClient, url: str) -> ClobTrader:
    settings = PolymarketSettings(
        clob_url=url,
        gamma_url=f"{url}/gamma",
        geoblock_url=f"{url}/api/geoblock",
        private_key=Account.create().key.hex(),
    )
    gate = TradingGate()
    await check_geoblock(http, settings.geoblock_url, gate)
    trader = ClobTrader(settings, gate, backoff=FAST)
    await trader.create_or_derive_api_key()
    return trader


class PolymarketCounterparty:
    """Other Polymarket accounts: ``offer`` leaves a real resting SELL of ``quantity`` at ``price``.

    The venue refuses orders below the market's minimum size, so a smaller offer is made the way it
    happens on the venue: a helper account bids the minimum at ``price`` and the seller sells
    ``quantity + minimum`` into it, leaving exactly ``quantity`` resting (one atomic match at the sim,
    so the book never shows more than ``quantity`` on the ask).
    """

    def __init__(self, seller: ClobTrader, buyer: ClobTrader, token_id: str, tick: Decimal, min_size: Decimal) -> None:
        self._seller, self._buyer = seller, buyer
        self._token, self._tick, self._min = token_id, tick, min_size

    async def _place(self, trader: ClobTrader, side: str, price: Decimal, size: Decimal) -> None:
        await trader.place_limit_order(
            self._token,
            side,  # type: ignore[arg-type]
            price,
            size,
            tick_size=self._tick,
            neg_risk=False,
        )

    async def offer(self, price: Decimal, quantity: Decimal) -> None:
        if quantity >= self._min:
            await self._place(self._seller, "SELL", price, quantity)
            return
        await self._place(self._buyer, "BUY", price, self._min)
        await self._place(self._seller, "SELL", price, quantity + self._min)


@pytest.fixture
async def paper_polymarket_harness() -> AsyncIterator[EngineHarness]:
    """The paper engine on a Polymarket simulator's book (tick 0.01, minimum 5 shares, ask 0.60)."""
    state = build_state(SimConfig(mine_delay_s=0.2, confirm_delay_s=0.2))
    options = {"ws": "websockets-sansio", "ws_ping_interval": None}
    async with _serve(build_app(state), **options) as url, httpx.AsyncClient(timeout=10) as http:
        created = await http.post(f"{url}/_sim/markets", json={"makers": False, "tick_size": "0.01"})
        created.raise_for_status()
        market = created.json()
        condition_id, token_id = market["condition_id"], market["token_ids"][0]
        seller, buyer = await _trader(http, url), await _trader(http, url)
        funded = await http.post(f"{url}/_sim/accounts/{seller.funder}", json={"tokens": {token_id: "1000"}})
        funded.raise_for_status()
        source = PolymarketRestBook(ClobReader(http, url, backoff=FAST))
        snapshot = await _first_snapshot(source, condition_id, token_id)
        counterparty = PolymarketCounterparty(seller, buyer, token_id, snapshot.tick_size, snapshot.min_size)
        await counterparty.offer(Decimal("0.60"), Decimal(50))  # the quiet market: best ask well above 0.45
        engine = PaperTradingEngine(
            "polymarket",
            source,
            starting_balance=BALANCE,
            poll_interval_s=POLL_S,
            polymarket_fees=PolymarketFeeSchedule(rate=Decimal("0.05")),  # sports taker rate since 2026-07-10
        )
        await engine.start()
        try:
            yield EngineHarness(
                name="paper_polymarket",
                engine=engine,
                counterparty=counterparty,
                market_id=condition_id,
                outcome_id=token_id,
                rest_price=REST_PRICE,
                tick=snapshot.tick_size,
                min_size=snapshot.min_size,
                balance=BALANCE,
                unknown_market_id="0x" + "ab" * 32,
            )
        finally:
            await engine.close()
