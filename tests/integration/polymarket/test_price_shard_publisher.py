"""The price shard's publishing path on the real Redis: coalescing, stale tops, retries, malformed bursts.

The venue edge is faked twice: a loopback WebSocket server replays market-channel frames and an httpx
``MockTransport`` answers the REST snapshot; the feed, the books, the publisher and the bus are real.
"""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from decimal import Decimal
from typing import Any

import httpx
import redis.exceptions
from websockets.asyncio.server import ServerConnection, serve
from websockets.exceptions import ConnectionClosed

from markets.polymarket import parsing
from markets.polymarket.book import BookState, LocalBook
from markets.polymarket.clob import ClobReader
from markets.polymarket.config import PolymarketSettings
from markets.polymarket.hashing import book_hash
from markets.polymarket.types import LevelChange
from services.polymarket_price_shard.publisher import TopPublisher, build_feed
from shared.bus import keys
from shared.bus.pubsub import MarketDataBus
from shared.messages import MarketPriceUpdated, Message
from tests.support import eventually

# Pub/sub channels are shared by every Redis database (other tests, other runs): our own messages carry a
# market id of this run and are picked out by it.
MARKET, YES, NO = f"0x{uuid.uuid4().hex}", "111", "222"
Levels = list[tuple[str, str]]


def _book(asset: str, bids: Levels, asks: Levels, ts: str = "1000") -> dict[str, Any]:
    hashed = book_hash(market=MARKET, asset_id=asset, timestamp=ts, bids=bids, asks=asks, min_order_size="5",
                       tick_size="0.01", neg_risk=False, last_trade_price="0.5")  # fmt: skip
    return {"event_type": "book", "market": MARKET, "asset_id": asset, "timestamp": ts, "hash": hashed,
            "bids": [{"price": p, "size": s} for p, s in bids], "asks": [{"price": p, "size": s} for p, s in asks],
            "min_order_size": "5", "tick_size": "0.01", "neg_risk": False, "last_trade_price": "0.5"}  # fmt: skip


def _change(asset: str, price: str, size: str, side: str, after: dict[str, Any]) -> dict[str, Any]:
    return {"asset_id": asset, "price": price, "size": size, "side": side, "hash": after["hash"]}


def _fresh_book(asset: str, bid: str) -> LocalBook:
    book = LocalBook(asset)
    bids = sorted([("0.40", "10"), (bid, "5")], key=lambda level: Decimal(level[0]))  # wire order: worst first
    book.load(parsing.book(_book(asset, bids, [("0.60", "7")])))
    assert book.state is BookState.FRESH
    return book


def _set_bid(book: LocalBook, price: str, size: str) -> None:
    book.apply_changes([LevelChange(book.asset_id, "BUY", parsing.level(price, size), None, None, None)], "2000")


@asynccontextmanager
async def _running(publisher: TopPublisher) -> AsyncIterator[None]:
    stopping = asyncio.Event()
    task = asyncio.create_task(publisher.run(stopping, poll_s=0.05))
    try:
        yield
    finally:
        stopping.set()
        await task


@asynccontextmanager
async def _collecting(bus: MarketDataBus) -> AsyncIterator[list[Message]]:
    received: list[Message] = []
    stopping, subscribed = asyncio.Event(), asyncio.Event()

    async def collect() -> None:
        async for _topic, message in bus.subscribe((keys.MARKET_PRICE,), stopping, 0.05, subscribed):
            received.append(message)

    task = asyncio.create_task(collect())
    await subscribed.wait()
    try:
        yield received
    finally:
        stopping.set()
        await task


def _tops(received: Sequence[Message], token: str) -> list[MarketPriceUpdated]:
    return [
        m for m in received if isinstance(m, MarketPriceUpdated) and m.market_id == MARKET and m.outcome_id == token
    ]


async def test_a_burst_of_changes_publishes_only_the_newest_top_per_token(redis: Any) -> None:
    bus = MarketDataBus(redis)
    publisher = TopPublisher(bus)
    yes, no = _fresh_book(YES, "0.45"), _fresh_book(NO, "0.42")
    async with _collecting(bus) as received:
        for price in ("0.46", "0.47", "0.48"):  # all before the publisher's next turn
            _set_bid(yes, price, "3")
            publisher.book_changed(yes)
            publisher.book_changed(no)
        async with _running(publisher):
            await publisher.flushed()
        await eventually(lambda: _async(bool(_tops(received, YES) and _tops(received, NO))))
        await asyncio.sleep(0.1)  # a second top per token would have arrived by now
    (yes_top,), (no_top,) = _tops(received, YES), _tops(received, NO)
    assert (yes_top.best_bid, yes_top.bid_size, no_top.best_bid) == (Decimal("0.48"), Decimal(3), Decimal("0.42"))
    assert publisher.published == 2 and publisher.batches == 1 and publisher.coalesced == 4
    stored = await bus.latest(keys.MARKET_PRICE, yes_top.key)
    assert isinstance(stored, MarketPriceUpdated) and stored.message_id == yes_top.message_id


async def test_the_empty_top_of_a_stale_book_is_not_overtaken_by_its_older_top(redis: Any) -> None:
    bus = MarketDataBus(redis)
    publisher = TopPublisher(bus)
    yes = _fresh_book(YES, "0.45")
    publisher.book_changed(yes)
    yes.mark(BookState.STALE)
    publisher.put(YES, MarketPriceUpdated(venue="polymarket", market_id=MARKET, outcome_id=YES))
    async with _running(publisher):
        await publisher.flushed()
    stored = await bus.latest(keys.MARKET_PRICE, f"polymarket:{MARKET}:{YES}")
    assert isinstance(stored, MarketPriceUpdated) and stored.best_bid is None and stored.best_ask is None
    assert publisher.published == 1


async def test_an_unchanged_top_is_sent_again_only_after_a_while(redis: Any) -> None:
    now = [100.0]
    publisher = TopPublisher(MarketDataBus(redis), same_top_every_s=1.0, clock=lambda: now[0])
    yes = _fresh_book(YES, "0.45")
    async with _running(publisher):
        for step in range(3):  # a change below the top each time
            _set_bid(yes, "0.30", str(step + 1))
            publisher.book_changed(yes)
            await publisher.flushed()
        assert (publisher.published, publisher.unchanged) == (1, 2)
        now[0] += 1.5
        publisher.book_changed(yes)
        await publisher.flushed()
        _set_bid(yes, "0.46", "1")  # a new best bid goes out at once
        publisher.book_changed(yes)
        await publisher.flushed()
    assert (publisher.published, publisher.unchanged) == (3, 2)


class _FlakyBus(MarketDataBus):
    """The real bus, whose first ``failures`` batches meet a Redis that is away."""

    def __init__(self, redis: Any, failures: int) -> None:
        super().__init__(redis)
        self.failures = failures

    async def publish_many(self, topic: str, items: Sequence[tuple[str, Message]]) -> None:
        if self.failures:
            self.failures -= 1
            raise redis.exceptions.ConnectionError("Redis is away")
        await super().publish_many(topic, items)


async def test_a_batch_that_meets_no_redis_is_retried_and_newer_values_win(redis: Any) -> None:
    bus = _FlakyBus(redis, failures=2)
    publisher = TopPublisher(bus, retry_s=0.05)
    yes, no = _fresh_book(YES, "0.45"), _fresh_book(NO, "0.42")
    publisher.book_changed(yes)
    publisher.book_changed(no)
    async with _running(publisher):
        await eventually(lambda: _async(publisher.failures >= 1))
        _set_bid(yes, "0.47", "2")  # while the batch waits for Redis
        publisher.book_changed(yes)
        await publisher.flushed()
    assert publisher.failures == 2 and publisher.published == 2
    stored = await bus.latest(keys.MARKET_PRICE, f"polymarket:{MARKET}:{YES}")
    assert isinstance(stored, MarketPriceUpdated) and stored.best_bid == Decimal("0.47")


# -- the whole path: frames over a socket to tops in Redis -------------------------------------------------


def _frames() -> tuple[list[dict[str, Any]], list[str], dict[str, LevelsPair]]:
    yes_bids, yes_asks = [("0.40", "10"), ("0.45", "5")], [("0.60", "7")]
    no_bids, no_asks = [("0.40", "7")], [("0.60", "10"), ("0.55", "5")]
    books = [_book(YES, yes_bids, yes_asks), _book(NO, no_bids, no_asks)]
    frames: list[str] = []
    for n, price in enumerate(("0.46", "0.47", "0.48")):
        ts = str(2000 + n)
        yes_bids.append((price, "2"))
        no_asks.append((f"{1 - Decimal(price):.2f}", "2"))
        after_yes, after_no = _book(YES, yes_bids, yes_asks, ts), _book(NO, no_bids, no_asks, ts)
        items = [_change(YES, price, "2", "BUY", after_yes), _change(NO, no_asks[-1][0], "2", "SELL", after_no)]
        change = {"event_type": "price_change", "market": MARKET, "timestamp": ts, "price_changes": items}
        if n == 1:  # a burst: the good change, a malformed one (a price that is no number), a trade
            bad = change | {"price_changes": [items[0] | {"price": "zero.four"}]}
            trade = {"event_type": "last_trade_price", "asset_id": YES, "market": MARKET, "price": "0.5"}
            frames.append(json.dumps([change, bad, trade]))
        else:
            frames.append(json.dumps(change))
    return books, frames, {YES: (yes_bids, yes_asks), NO: (no_bids, no_asks)}


LevelsPair = tuple[Levels, Levels]


@asynccontextmanager
async def _venue(books: list[dict[str, Any]], frames: list[str]) -> AsyncIterator[str]:
    async def handler(ws: ServerConnection) -> None:
        try:
            await ws.recv()  # the subscription
            await ws.send(json.dumps(books))
            for frame in frames:
                await ws.send(frame)
            async for text in ws:
                if text == "PING":
                    await ws.send("PONG")
        except ConnectionClosed:
            pass

    async with serve(handler, "127.0.0.1", 0, ping_interval=None) as server:
        yield f"ws://127.0.0.1:{server.sockets[0].getsockname()[1]}"


def _rest(books: list[dict[str, Any]]) -> httpx.AsyncClient:
    by_token = {b["asset_id"]: b for b in books}

    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json=[by_token[item["token_id"]] for item in json.loads(request.content)])

    return httpx.AsyncClient(transport=httpx.MockTransport(answer))


async def test_a_malformed_message_in_a_burst_is_dropped_and_counted_while_the_rest_are_published(
    redis: Any,
) -> None:
    books, frames, final = _frames()
    bus = MarketDataBus(redis)
    publisher = TopPublisher(bus)
    async with _venue(books, frames) as url, _rest(books) as http:
        settings = PolymarketSettings(clob_url="http://clob.test", ws_market_url=url, ws_stale_after_s=30.0)
        feed = build_feed(settings, ClobReader(http, settings.clob_url), {YES: MARKET, NO: MARKET}, publisher)
        async with _running(publisher):
            task = asyncio.create_task(feed.run())
            try:
                await eventually(lambda: _async(feed.stats.frames == 1 + len(frames)))
                await publisher.flushed()
            finally:
                task.cancel()
                await asyncio.gather(task, return_exceptions=True)
    assert (feed.stats.bad_frames, feed.stats.bad_messages, feed.stats.sessions) == (1, 1, 1)
    assert feed.stats.hash_mismatches == 0 and feed.books[YES].last_trade_price == "0.5"
    for token, (bids, asks) in final.items():
        stored = await bus.latest(keys.MARKET_PRICE, f"polymarket:{MARKET}:{token}")
        best_bid = max(Decimal(p) for p, _ in bids)
        assert isinstance(stored, MarketPriceUpdated) and stored.best_bid == best_bid
        assert stored.best_ask == min(Decimal(p) for p, _ in asks)


async def _async(value: bool) -> bool:
    return value
