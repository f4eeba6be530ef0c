"""Resting, matching and idempotency through the production clients, seen over REST and the WebSocket."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from decimal import Decimal
from typing import TypeVar

import pytest

from markets.kalshi.books import LocalBook
from markets.kalshi.models import KalshiFill, PublicTrade, TickerUpdate
from markets.kalshi.ws import KalshiWebSocket, MarketEvent, PrivateEvent
from shared.errors import Ambiguous
from tests.integration.kalshi.conftest import KEY_A, KEY_B, TICKER, Sim
from tests.support import eventually

D = Decimal
E = TypeVar("E")


async def _next_of(
    queue: asyncio.Queue[MarketEvent], kind: type[E], accept: Callable[[E], bool] = lambda _e: True
) -> E:
    while True:
        event = await asyncio.wait_for(queue.get(), 5)
        if isinstance(event, kind) and accept(event):
            return event


async def _next_fill(queue: asyncio.Queue[PrivateEvent]) -> KalshiFill:
    while True:
        event = await asyncio.wait_for(queue.get(), 5)
        if isinstance(event, KalshiFill):
            return event


async def test_rest_then_match_seen_on_book_and_fill_channels(sim: Sim) -> None:
    alice, bob = sim.rest(KEY_A), sim.rest(KEY_B)
    async with sim.websocket(KEY_A) as ws_a, sim.websocket(KEY_B) as ws_b:
        await ws_a.subscribe("orderbook_delta", [TICKER])
        await ws_a.subscribe("fill")
        await ws_b.subscribe("fill", [TICKER])
        await ws_a.subscribe("trade", [TICKER])
        await ws_a.subscribe("ticker", [TICKER])
        book = await eventually(_valid_book(ws_a))
        assert book is not None

        ack = await alice.create_order(ticker=TICKER, side="ask", count=D(10), price=D("0.62"), client_order_id="a-1")
        assert (ack.fill_count, ack.remaining_count) == (D(0), D(10))
        rest_book = await alice.get_orderbook(TICKER)
        assert [(lv.price, lv.size) for lv in rest_book.no] == [(D("0.38"), D(10))]  # an ask is a NO bid at 1 - p
        await eventually(_async(lambda: book.best_yes_ask == D("0.62")))
        assert book.snapshot() == rest_book

        take = await bob.create_order(ticker=TICKER, side="bid", count=D(4), price=D("0.65"), client_order_id="b-1")
        assert (take.fill_count, take.remaining_count, take.average_fill_price) == (D(4), D(0), D("0.62"))
        maker_fill = await _next_fill(ws_a.private_events)
        taker_fill = await _next_fill(ws_b.private_events)
        assert (maker_fill.order_id, maker_fill.is_taker, maker_fill.book_side) == (ack.order_id, False, "ask")
        assert (maker_fill.count, maker_fill.yes_price, maker_fill.post_position) == (D(4), D("0.62"), D(-4))
        assert (taker_fill.order_id, taker_fill.is_taker, taker_fill.client_order_id) == (take.order_id, True, "b-1")
        assert taker_fill.trade_id == maker_fill.trade_id and taker_fill.fee == D("0.07")
        await eventually(_async(lambda: book.levels("no") and book.levels("no")[0].size == 6))
        trade = await _next_of(ws_a.market_events, PublicTrade)
        assert (trade.trade_id, trade.count, trade.yes_price, trade.taker_book_side) == (
            maker_fill.trade_id, D(4), D("0.62"), "bid",
        )  # fmt: skip
        ticker = await _next_of(ws_a.market_events, TickerUpdate, lambda t: t.last_price == D("0.62"))
        assert (ticker.volume, ticker.yes_ask, ticker.yes_ask_size) == (D(4), D("0.62"), D(6))
        assert book.snapshot() == await alice.get_orderbook(TICKER)

    order = await alice.get_order(ack.order_id)
    assert (order.status, order.fill_count, order.remaining_count, order.maker_fill_cost) == (
        "resting", D(4), D(6), D("1.52"),  # bought 4 NO at 0.38
    )  # fmt: skip
    fills = (await alice.list_fills(ticker=TICKER)).items
    assert [(f.trade_id, f.count) for f in fills] == [(maker_fill.trade_id, D(4))]
    (position,) = (await bob.list_positions()).items
    assert (position.ticker, position.position, position.market_exposure) == (TICKER, D(4), D("2.48"))
    assert (await bob.get_balance()).balance == D(1000) - D("2.48") - D("0.07")
    cancel = await alice.cancel_order(ack.order_id, exchange_index=0)
    assert cancel.reduced_by == 6 and (await alice.get_order(ack.order_id)).status == "canceled"


async def test_client_order_id_repeat_returns_the_same_order(sim: Sim) -> None:
    alice = sim.rest(KEY_A)
    first = await alice.create_order(ticker=TICKER, side="bid", count=D(2), price=D("0.30"), client_order_id="dup-1")
    again = await alice.create_order(ticker=TICKER, side="bid", count=D(2), price=D("0.30"), client_order_id="dup-1")
    assert again.order_id == first.order_id
    legacy = await alice.create_order_legacy(
        ticker=TICKER, side="bid", count=D(2), price=D("0.30"), client_order_id="dup-1"
    )
    assert legacy.order_id == first.order_id  # legacy 409 order_already_exists resolved to the existing order
    orders = (await sim.control("GET", f"/_sim/orders?key_id={KEY_A}"))["orders"]
    assert [o["order_id"] for o in orders] == [first.order_id]
    assert [(lv.price, lv.size) for lv in (await alice.get_orderbook(TICKER)).yes] == [(D("0.30"), D(2))]


async def test_accept_then_timeout_is_ambiguous_and_resolves_by_client_order_id(sim: Sim) -> None:
    alice = sim.rest(KEY_A, request_timeout_s=0.5)
    await sim.fault(kind="accept_then_timeout", method="POST", path="/portfolio/events/orders$", hang_s=2.0)
    with pytest.raises(Ambiguous):
        await alice.create_order(ticker=TICKER, side="bid", count=D(1), price=D("0.20"), client_order_id="lost-1")
    found = await alice.find_order_by_client_order_id(TICKER, "lost-1")
    assert found is not None and found.status == "resting"
    again = await alice.create_order(ticker=TICKER, side="bid", count=D(1), price=D("0.20"), client_order_id="lost-1")
    assert again.order_id == found.order_id
    assert len((await alice.list_orders(ticker=TICKER)).items) == 1


async def test_429_burst_is_absorbed_by_backoff(sim: Sim) -> None:
    client = sim.rest(KEY_A, backoff_base_s=0.02, backoff_cap_s=0.2)
    await sim.fault(kind="http_status", status=429, method="GET", path="/markets$", count=4)
    page = await client.list_markets()
    assert len(page.items) == 2 and client.retries == 4
    assert (await sim.control("GET", "/_sim/faults")) == []


def _valid_book(ws: KalshiWebSocket) -> Callable[[], Awaitable[LocalBook | None]]:
    async def probe() -> LocalBook | None:
        book = ws.book(TICKER)
        return book if book is not None and book.valid else None

    return probe


def _async(predicate: Callable[[], object]) -> Callable[[], Awaitable[bool]]:
    async def probe() -> bool:
        return bool(predicate())

    return probe
