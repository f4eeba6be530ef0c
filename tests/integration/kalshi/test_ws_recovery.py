"""WebSocket recovery against injected faults: a ``seq`` gap, a silent freeze and a dropped connection."""

from __future__ import annotations

import asyncio
from decimal import Decimal

import pytest

from markets.kalshi.ws import BookStale, KalshiWebSocket, ReconcileRequired
from tests.integration.kalshi.conftest import KEY_B, TICKER, Sim
from tests.support import eventually

D = Decimal
AWAY = "KXNBAGAME-26NOV23LALBOS-LAL"


def _fresh_and_equal(sim: Sim, ws: KalshiWebSocket, ticker: str = TICKER):  # type: ignore[no-untyped-def]
    rest = sim.rest()

    async def probe() -> bool:
        book = ws.book(ticker)
        if book is None or not book.valid or book.stale:
            return False
        return book.snapshot() == await rest.get_orderbook(ticker)

    return probe


async def _bid(sim: Sim, price: str, size: str, cid: str, ticker: str = TICKER) -> None:
    await sim.rest(KEY_B).create_order(ticker=ticker, side="bid", count=D(size), price=D(price), client_order_id=cid)


async def test_seq_gap_clears_the_book_and_resubscribes(sim: Sim) -> None:
    sim.set_book(yes=[("0.40", "10")], no=[("0.55", "10")])
    async with sim.websocket() as ws:
        await ws.subscribe("orderbook_delta", [TICKER, AWAY])
        await eventually(_fresh_and_equal(sim, ws))
        await sim.fault(kind="ws_skip_seq", channel="orderbook_delta")
        await _bid(sim, "0.41", "5", "gap-1")  # this delta carries a skipped seq
        await eventually(lambda: _true(ws.stats.gaps == 1))
        await _bid(sim, "0.42", "7", "gap-2")
        await eventually(_fresh_and_equal(sim, ws))
        await eventually(_fresh_and_equal(sim, ws, AWAY))
        assert ws.stats.resyncs == 1 and ws.stats.connects == 1
        book = ws.book(TICKER)
        assert book is not None and book.best_yes_bid == D("0.42")
        stale = _drain(ws.market_events, BookStale)
        assert {(e.ticker, e.reason) for e in stale} >= {(TICKER, "gap"), (AWAY, "gap")}


async def test_get_snapshot_on_request(sim: Sim) -> None:
    sim.set_book(yes=[("0.40", "10")], no=[])
    async with sim.websocket() as ws:
        sub = await ws.subscribe("orderbook_delta", [TICKER])
        await eventually(_fresh_and_equal(sim, ws))
        await ws.update_subscription(sub, "add_markets", [AWAY])
        await eventually(_fresh_and_equal(sim, ws, AWAY))
        await ws.update_subscription(sub, "get_snapshot", [TICKER])
        await _bid(sim, "0.45", "1", "snap-1")
        await eventually(_fresh_and_equal(sim, ws))
        assert ws.stats.gaps == 0 and ws.stats.resyncs == 0


async def test_silent_freeze_is_detected_within_the_watchdog_interval_and_recovered(sim: Sim) -> None:
    sim.set_book(yes=[("0.40", "10")], no=[("0.55", "10")])
    staleness = 1.0
    async with sim.websocket(staleness_s=staleness) as ws:
        await ws.subscribe("orderbook_delta", [TICKER])
        await eventually(_fresh_and_equal(sim, ws))
        await sim.fault(kind="ws_freeze", channel="orderbook_delta", hang_s=30)
        await asyncio.sleep(0.2)  # let the simulator apply the freeze to this connection
        await _bid(sim, "0.41", "5", "frozen-1")  # never reaches the client
        loop = asyncio.get_running_loop()
        frozen_at = loop.time()
        await eventually(lambda: _true(ws.stats.stale_marks >= 1), timeout=5)
        assert loop.time() - frozen_at <= staleness + 1.0
        await eventually(lambda: _true(ws.stats.forced_reconnects == 1), timeout=5)
        await eventually(_fresh_and_equal(sim, ws), timeout=5)
        book = ws.book(TICKER)
        assert book is not None and book.best_yes_bid == D("0.41") and ws.stats.connects == 2


async def test_dropped_connection_reconnects_and_flags_private_gap(sim: Sim) -> None:
    sim.set_book(yes=[("0.40", "10")], no=[])
    async with sim.websocket() as ws:
        await ws.subscribe("orderbook_delta", [TICKER])
        await ws.subscribe("fill")
        await eventually(_fresh_and_equal(sim, ws))
        await sim.fault(kind="ws_drop")
        await eventually(lambda: _true(ws.stats.connects == 2), timeout=5)
        reconnected = await asyncio.wait_for(ws.private_events.get(), 5)
        assert isinstance(reconnected, ReconcileRequired) and reconnected.reason == "reconnected"
        await _bid(sim, "0.43", "2", "after-drop")
        await eventually(_fresh_and_equal(sim, ws))
        book = ws.book(TICKER)
        assert book is not None and book.best_yes_bid == D("0.43")


@pytest.mark.parametrize("ping_interval_s", [0.2])
async def test_server_pings_are_answered(sim: Sim) -> None:
    sim.set_book(yes=[("0.40", "10")], no=[])
    async with sim.websocket() as ws:
        await ws.subscribe("orderbook_delta", [TICKER])
        await eventually(_fresh_and_equal(sim, ws))
        await asyncio.sleep(1.0)  # five server pings; an unanswered one closes the socket after 0.4 s
        await _bid(sim, "0.44", "1", "after-pings")
        await eventually(_fresh_and_equal(sim, ws))
        assert ws.stats.connects == 1 and ws.stats.errors == []


async def _true(value: bool) -> bool:
    return value


def _drain(queue: asyncio.Queue, kind: type) -> list:  # type: ignore[type-arg]
    items = []
    while not queue.empty():
        item = queue.get_nowait()
        if isinstance(item, kind):
            items.append(item)
    return items


async def test_a_book_subscription_that_lost_all_its_markets_is_sent_again_when_one_is_added(sim: Sim) -> None:
    # A shard whose games all moved away (the list emptied) before the connection came up must not send a
    # market-less book subscription (the venue refuses it, error 14) and must subscribe once a game arrives.
    sim.set_book(yes=[("0.40", "10")], no=[("0.55", "10")])
    async with sim.websocket() as ws:
        sub = await ws.subscribe("orderbook_delta", [])
        assert sub.cmd_id is None and sub.failed is None  # nothing was sent
        await ws.update_subscription(sub, "add_markets", [TICKER])
        await eventually(_fresh_and_equal(sim, ws))
        await ws.update_subscription(sub, "delete_markets", [TICKER])
        await ws.update_subscription(sub, "add_markets", [AWAY])
        await eventually(_fresh_and_equal(sim, ws, AWAY))
        assert sub.failed is None and not [e for e in ws.stats.errors if "failed" in e], ws.stats.errors
