"""Book sources: Redis tops, and the Kalshi and Polymarket REST books (simulators served in process)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import fakeredis.aioredis
import httpx
import pytest

from markets.kalshi.config import KalshiSettings
from markets.kalshi.rest import KalshiRestClient
from markets.paper.sources import KalshiRestBook, PolymarketRestBook, RedisTopBook
from markets.polymarket.clob import ClobReader
from markets.sim.kalshi.app import create_app
from markets.sim.kalshi.auth import KeyRegistry
from markets.sim.kalshi.exchange import KalshiExchange
from markets.sim.kalshi.seeding import open_game
from markets.sim.kalshi.state import SimState as KalshiSimState
from markets.sim.polymarket.app import build_app
from markets.sim.polymarket.state import build_state
from shared.bus import keys
from shared.bus.pubsub import MarketDataBus
from shared.messages import MarketPriceUpdated
from tests.unit.paper.support import NOW, Clock

D = Decimal


async def test_redis_top_book_reads_the_latest_top_with_its_event_time() -> None:
    redis = fakeredis.aioredis.FakeRedis()
    bus = MarketDataBus(redis)
    top = MarketPriceUpdated(
        venue="kalshi", market_id="KX-1", outcome_id="yes", best_bid=D("0.60"), best_ask=D("0.62"),
        bid_size=D(40), ask_size=None, ts_event=NOW - timedelta(seconds=3),
    )  # fmt: skip
    await bus.publish(keys.MARKET_PRICE, top.key, top)
    book = await RedisTopBook(bus, "kalshi").snapshot("KX-1", "yes")
    assert book is not None
    assert book.bids == ((D("0.60"), D(40)),) and book.asks == ()  # a side without a size is not liquidity
    assert book.ts == NOW - timedelta(seconds=3) and book.tick_size == D("0.01") and book.min_size == D(1)
    assert await RedisTopBook(bus, "polymarket").snapshot("KX-1", "yes") is None
    await redis.aclose()


@pytest.fixture
async def kalshi_book() -> AsyncIterator[tuple[KalshiRestBook, str, KalshiExchange]]:
    exchange = KalshiExchange()
    state = KalshiSimState(exchange, KeyRegistry({}), run_makers=False)
    start = datetime(2026, 11, 23, 0, 30, tzinfo=UTC)
    [market] = open_game(exchange, league="nba", away=("LAL", "Los Angeles L"), home=("BOS", "Boston"), start=start)
    state.desk.set_book(market.ticker, [(D("0.40"), D(10)), (D("0.41"), D(5))], [(D("0.55"), D(7)), (D("0.50"), D(9))])
    rest = KalshiRestClient(
        KalshiSettings(base_url="http://sim/trade-api/v2"), transport=httpx.ASGITransport(app=create_app(state))
    )
    yield KalshiRestBook(rest, clock=Clock()), market.ticker, exchange
    await rest.aclose()


async def test_kalshi_rest_book_derives_asks_from_the_other_side(
    kalshi_book: tuple[KalshiRestBook, str, KalshiExchange],
) -> None:
    source, ticker, exchange = kalshi_book
    yes = await source.snapshot(ticker, "yes")
    assert yes is not None
    assert yes.bids == ((D("0.41"), D(5)), (D("0.40"), D(10)))  # best first
    assert yes.asks == ((D("0.45"), D(7)), (D("0.50"), D(9)))  # 1 - NO bids, best first
    assert (yes.tick_size, yes.min_size, yes.ts) == (D("0.01"), D("0.01"), NOW)  # fractional market
    no = await source.snapshot(ticker, "no")
    assert no is not None
    assert no.bids == ((D("0.55"), D(7)), (D("0.50"), D(9)))
    assert no.asks == ((D("0.59"), D(5)), (D("0.60"), D(10)))
    assert await source.snapshot(ticker, "maybe") is None
    assert await source.snapshot("KXNBAGAME-NOPE", "yes") is None


async def test_kalshi_rest_book_has_no_book_for_a_closed_market(
    kalshi_book: tuple[KalshiRestBook, str, KalshiExchange],
) -> None:
    _, ticker, exchange = kalshi_book
    rest = KalshiRestClient(
        KalshiSettings(base_url="http://sim/trade-api/v2"),
        transport=httpx.ASGITransport(app=create_app(KalshiSimState(exchange, KeyRegistry({}), run_makers=False))),
    )
    exchange.set_status(ticker, "closed")
    assert await KalshiRestBook(rest).snapshot(ticker, "yes") is None
    await rest.aclose()


async def test_polymarket_rest_book_sorts_best_first_and_checks_the_market() -> None:
    state = build_state()
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=build_app(state)), base_url="http://sim") as http:
        created = await http.post(
            "/_sim/markets", json={"makers": True, "price": 0.5, "levels": 3, "min_order_size": "5"}
        )
        market = created.json()
        condition_id, token = market["condition_id"], market["token_ids"][0]
        source = PolymarketRestBook(ClobReader(http, "http://sim"), clock=Clock())
        book = await source.snapshot(condition_id, token)
        assert book is not None
        assert [p for p, _ in book.bids] == sorted((p for p, _ in book.bids), reverse=True)
        assert [p for p, _ in book.asks] == sorted(p for p, _ in book.asks)
        assert book.bids[0][0] < book.asks[0][0]  # best bid below best ask: the wire's worst-first order undone
        assert (book.tick_size, book.min_size, book.ts) == (D("0.01"), D(5), NOW)
        assert await source.snapshot("0x" + "ab" * 32, token) is None  # a real token of another market
        assert await source.snapshot(condition_id, "123456789") is None  # unknown token
