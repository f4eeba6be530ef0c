"""The Kalshi execution engine against the simulator: placing, seeing, cancelling, fills, positions.

Each test runs the production engine (REST, private WebSocket, journal) over real loopback.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from markets.base import Accepted, FillReport, OrderReport, Rejected
from markets.kalshi.execution import KalshiExecutionEngine
from markets.kalshi.execution.options import ExecutionOptions
from shared.orders.state import OrderStatus
from tests.contract.engines.harness_kalshi import build_engine
from tests.integration.kalshi.conftest import KEY_A, KEY_B, QUIET, TICKER, Sim
from tests.support import eventually

D = Decimal


async def _venue_orders(sim: Sim, client_order_id: str) -> list[dict[str, Any]]:
    orders = (await sim.control("GET", f"/_sim/orders?key_id={KEY_A}"))["orders"]
    return [o for o in orders if o["client_order_id"] == client_order_id]


async def _posts(sim: Sim) -> int:
    stats = await sim.control("GET", "/_sim/stats")
    return int(stats.get("POST /trade-api/v2/portfolio/events/orders", {}).get("count", 0))


async def _next(updates: AsyncIterator[OrderReport | FillReport], kind: type, timeout: float = 5) -> Any:
    while True:
        update = await asyncio.wait_for(anext(updates), timeout)
        if isinstance(update, kind):
            return update


async def test_place_limit_order_places_shows_and_cancels_a_real_order(sim: Sim, engine: KalshiExecutionEngine) -> None:
    result = await engine.place_limit_order("KXNBAGAME-26NOV23LALBOS-BOS", "yes", 41, 3)
    assert isinstance(result, Accepted) and result.report.status == OrderStatus.ACCEPTED
    cid = result.client_order_id
    assert await _posts(sim) == 1
    (venue,) = await _venue_orders(sim, cid)
    assert (venue["book_side"], venue["yes_price_dollars"], venue["initial_count_fp"], venue["status"]) == (
        "bid", "0.4100", "3.00", "resting",
    )  # fmt: skip
    shown = await engine.order_status(cid)
    assert shown is not None and shown.venue_order_id == venue["order_id"] and shown.limit_price == D("0.41")
    assert [o.client_order_id for o in await engine.open_orders(TICKER)] == [cid]

    cancelled = await engine.cancel(cid)
    assert cancelled is not None and cancelled.status == OrderStatus.CANCELED and cancelled.filled_quantity == 0
    assert (await _venue_orders(sim, cid))[0]["status"] == "canceled"
    assert await engine.open_orders(TICKER) == []
    again = await engine.cancel(cid)  # cancelling twice is harmless and reports the final state
    assert again is not None and again.status == OrderStatus.CANCELED
    entry = await engine.journal.get(cid)
    assert entry is not None and entry.state == "final" and entry.venue_order_id == venue["order_id"]


@pytest.mark.parametrize(
    ("price_cents", "quantity", "side"),
    [(41.0, 3, "yes"), (0, 3, "yes"), (100, 3, "yes"), (True, 3, "yes"), (41, 2.0, "yes"), (41, 0, "yes"),
     (41, 3, "maybe"), ("41", 3, "yes")],
)  # fmt: skip
async def test_malformed_simple_orders_are_refused_before_sending(
    sim: Sim, engine: KalshiExecutionEngine, price_cents: Any, quantity: Any, side: str
) -> None:
    result = await engine.place_limit_order(TICKER, side, price_cents, quantity)
    assert isinstance(result, Rejected) and not result.sent and result.code == "invalid_order"
    assert await _posts(sim) == 0
    assert await engine.journal.get(result.client_order_id) is None


async def test_buy_no_is_an_ask_on_the_yes_book_and_is_reported_on_the_no_leg(
    sim: Sim, engine: KalshiExecutionEngine
) -> None:
    updates = engine.updates()
    result = await engine.place_limit_order(TICKER, "no", 40, 5, client_order_id="no-1")
    assert isinstance(result, Accepted)
    (venue,) = await _venue_orders(sim, "no-1")
    assert (venue["book_side"], venue["yes_price_dollars"]) == ("ask", "0.6000")  # buy NO at 0.40 ≡ ask YES at 0.60
    bob = sim.rest(KEY_B)
    await bob.create_order(ticker=TICKER, side="bid", count=D(2), price=D("0.60"), client_order_id="bob-1")
    fill = await _next(updates, FillReport)
    assert (fill.client_order_id, fill.price, fill.quantity, fill.outcome_id, fill.liquidity) == (
        "no-1", D("0.40"), D(2), "no", "maker",
    )  # fmt: skip
    (position,) = await engine.positions()
    assert (position.market_id, position.outcome_id, position.quantity) == (TICKER, "no", D(2))
    balance = await engine.balance()
    assert balance.available == D(1000) - D("0.40") * 5  # 2 bought, 3 still reserved at 0.40


async def test_a_fill_seen_on_the_websocket_and_by_polling_is_counted_once(
    sim: Sim, engine: KalshiExecutionEngine
) -> None:
    updates = engine.updates()
    result = await engine.place_limit_order(TICKER, "yes", 30, 10, client_order_id="dup-1")
    assert isinstance(result, Accepted)
    await sim.rest(KEY_B).create_order(ticker=TICKER, side="ask", count=D(4), price=D("0.30"), client_order_id="b1")
    pushed = await _next(updates, FillReport)
    stats = await sim.control("GET", "/_sim/stats")
    assert "GET /trade-api/v2/portfolio/fills" not in stats  # it came over the WebSocket
    assert (pushed.client_order_id, pushed.quantity, pushed.price) == ("dup-1", D(4), D("0.30"))

    await engine.reconcile(full=True)  # the REST poll sees the same fill
    page = await engine.fills_since()
    report = await engine.order_status("dup-1")
    stats = await sim.control("GET", "/_sim/stats")
    assert stats["GET /trade-api/v2/portfolio/fills"]["count"] >= 1
    assert [f.venue_trade_id for f in page.fills] == [pushed.venue_trade_id]
    assert report is not None and report.filled_quantity == 4 and report.status == OrderStatus.PARTIALLY_FILLED
    assert [f.venue_trade_id for f in report.fills] == [pushed.venue_trade_id]
    assert engine.tracker.stats.fills_applied == 1 and engine.tracker.stats.duplicate_fills >= 2
    with pytest.raises(TimeoutError):
        await _next(updates, FillReport, timeout=0.5)


async def test_a_fill_polled_before_the_websocket_delivers_it_is_counted_once(
    sim: Sim, engine: KalshiExecutionEngine
) -> None:
    await sim.fault(kind="latency", channel="fill", latency_ms=1500, count=1)
    updates = engine.updates()
    assert isinstance(await engine.place_limit_order(TICKER, "yes", 30, 10, client_order_id="late-1"), Accepted)
    await sim.rest(KEY_B).create_order(ticker=TICKER, side="ask", count=D(3), price=D("0.30"), client_order_id="b2")
    await engine.reconcile(full=True)  # REST first: the WebSocket frame is held back by the fault
    polled = await _next(updates, FillReport)
    assert engine.tracker.stats.fills_applied == 1
    assert engine.tracker.stats.duplicate_fills == 0
    await eventually(_async(lambda: engine.tracker.stats.duplicate_fills == 1), timeout=5)  # the late WS frame
    assert engine.tracker.stats.fills_applied == 1
    report = await engine.order_status("late-1")
    assert report is not None and [f.venue_trade_id for f in report.fills] == [polled.venue_trade_id]
    assert report.filled_quantity == 3


async def test_orders_closed_by_the_venue_are_pushed_on_user_orders(sim: Sim, engine: KalshiExecutionEngine) -> None:
    updates = engine.updates()
    assert isinstance(await engine.place_limit_order(TICKER, "yes", 20, 2, client_order_id="settle-1"), Accepted)
    await sim.control("POST", f"/_sim/markets/{TICKER}/settle", {"result": "no"})

    async def closed() -> OrderReport:
        while True:
            report: OrderReport = await _next(updates, OrderReport)
            if report.client_order_id == "settle-1" and report.status == OrderStatus.CANCELED:
                return report

    await asyncio.wait_for(closed(), 5)  # no polling in this engine: the user_orders channel told it
    assert engine.tracker.get("settle-1") is not None
    assert engine.tracker.orders["settle-1"].status == OrderStatus.CANCELED


async def test_polling_alone_follows_fills_when_the_websocket_is_off(sim: Sim, tmp_path: Path) -> None:
    options = ExecutionOptions(ws_enabled=False, fallback_poll_interval_s=0.1)
    eng = build_engine(sim.rest_url, sim.ws_url, KEY_A, sim.keys[KEY_A], tmp_path, options=options)
    await eng.start()
    try:
        updates = eng.updates()
        assert isinstance(await eng.place_limit_order(TICKER, "yes", 30, 5, client_order_id="poll-1"), Accepted)
        await sim.rest(KEY_B).create_order(ticker=TICKER, side="ask", count=D(5), price=D("0.30"), client_order_id="b")
        fill = await _next(updates, FillReport)
        assert (fill.client_order_id, fill.quantity) == ("poll-1", D(5))
        await eventually(_async(lambda: eng.tracker.orders["poll-1"].status == OrderStatus.FILLED), timeout=5)
        assert eng.tracker.stats.fills_applied == 1
    finally:
        await eng.close()


async def test_fills_since_pages_with_a_cursor(sim: Sim, engine: KalshiExecutionEngine) -> None:
    bob = sim.rest(KEY_B)
    assert isinstance(await engine.place_limit_order(TICKER, "yes", 30, 10, client_order_id="cur-1"), Accepted)
    await bob.create_order(ticker=TICKER, side="ask", count=D(2), price=D("0.30"), client_order_id="c1")
    first = await engine.fills_since()
    assert [f.quantity for f in first.fills] == [D(2)] and first.cursor
    assert (await engine.fills_since(cursor=first.cursor)).fills == ()
    await bob.create_order(ticker=TICKER, side="ask", count=D(3), price=D("0.30"), client_order_id="c2")
    second = await engine.fills_since(cursor=first.cursor)
    assert [f.quantity for f in second.fills] == [D(3)]
    assert all(f.client_order_id == "cur-1" and f.fee == 0 for f in first.fills + second.fills)


async def test_cancelling_an_order_that_filled_meanwhile_reports_it_filled(
    sim: Sim, engine: KalshiExecutionEngine
) -> None:
    placed = await engine.place_limit_order(TICKER, "yes", 35, 2, client_order_id="race-1")
    assert isinstance(placed, Accepted) and placed.report.venue_order_id is not None
    await sim.rest(KEY_B).create_order(ticker=TICKER, side="ask", count=D(2), price=D("0.35"), client_order_id="b3")
    report = await engine.cancel("race-1")  # the venue answers 404: nothing left to cancel
    assert report is not None and report.status == OrderStatus.FILLED and report.filled_quantity == 2
    assert [f.quantity for f in report.fills] == [D(2)]
    by_venue = await engine.order_status_by_venue_id(placed.report.venue_order_id)
    assert by_venue is not None and by_venue.client_order_id == "race-1" and by_venue.status == OrderStatus.FILLED
    assert await engine.cancel("never-placed") is None


async def test_cancel_all_cancels_every_resting_order(sim: Sim, engine: KalshiExecutionEngine) -> None:
    cids = [f"all-{n}" for n in range(4)]
    for n, cid in enumerate(cids):
        assert isinstance(await engine.place_limit_order(TICKER, "yes", 10 + n, 1, client_order_id=cid), Accepted)
    cancelled = await engine.cancel_all(TICKER)
    assert sorted(cancelled) == cids
    assert await engine.open_orders() == []
    assert all(engine.tracker.orders[c].status == OrderStatus.CANCELED for c in cids)


async def test_a_restarted_engine_finds_its_orders_from_the_journal(sim: Sim, tmp_path: Path) -> None:
    first = build_engine(sim.rest_url, sim.ws_url, KEY_A, sim.keys[KEY_A], tmp_path, options=QUIET)
    await first.start()
    placed = await first.place_limit_order(TICKER, "yes", 25, 2, client_order_id="keep-1")
    await first.close()
    assert isinstance(placed, Accepted)

    second = build_engine(sim.rest_url, sim.ws_url, KEY_A, sim.keys[KEY_A], tmp_path, options=QUIET)
    await second.start()
    try:
        status = await second.order_status("keep-1")
        assert status is not None and status.venue_order_id == placed.report.venue_order_id
        again = await second.place_limit_order(TICKER, "yes", 25, 2, client_order_id="keep-1")
        assert isinstance(again, Accepted) and again.report.venue_order_id == placed.report.venue_order_id
        assert len(await _venue_orders(sim, "keep-1")) == 1
        other = await second.place_limit_order(TICKER, "yes", 26, 2, client_order_id="keep-1")
        assert isinstance(other, Rejected) and not other.sent and other.code == "duplicate_id"
    finally:
        await second.close()


def _async(check: Any) -> Any:
    async def probe() -> bool:
        return bool(check())

    return probe
