"""Orders on a closed Kalshi market, as the venue handles them (venues.md §1.5): after close every order
operation, cancels included, is refused 400 ``MARKET_INACTIVE``, and the venue cancels what rests there
itself, telling each owner on ``user_orders`` and showing the orders ``canceled`` over REST.

First the simulator alone over REST and WebSocket, then the production engine against it: a cancel the
closed market refuses is read back, so an order the venue already cancelled ends ``canceled`` (never
``pending_cancel``), and a refused cancel is not retried.
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Awaitable
from decimal import Decimal
from pathlib import Path

import pytest

from markets.base import Accepted
from markets.kalshi.execution import KalshiExecutionEngine
from markets.kalshi.rest import KalshiRestClient
from markets.kalshi.schemas import WsUserOrder
from markets.kalshi.ws import PrivateEvent
from shared.errors import Rejected
from shared.orders.state import OrderStatus
from tests.contract.engines.harness_kalshi import build_engine
from tests.integration.kalshi.conftest import KEY_A, KEY_B, QUIET, TICKER, Sim
from tests.support import eventually

D = Decimal
OTHER = "KXNBAGAME-26NOV23LALBOS-LAL"  # the same game's other market: it stays open
CANCEL_V2 = "DELETE /trade-api/v2/portfolio/events/orders/{order_id}"


async def _close(sim: Sim, ticker: str = TICKER, *, cancel_resting: bool = True) -> None:
    body = {"status": "closed", "cancel_resting": cancel_resting}
    market = (await sim.control("POST", f"/_sim/markets/{ticker}/status", body))["market"]
    assert market["status"] == "closed"


async def _rest(rest: KalshiRestClient, cid: str, *, ticker: str = TICKER, price: str = "0.30") -> str:
    ack = await rest.create_order(ticker=ticker, side="bid", count=D(5), price=D(price), client_order_id=cid)
    return ack.order_id


async def _refused(call: Awaitable[object]) -> Rejected:
    with pytest.raises(Rejected) as info:
        await call
    return info.value


async def _user_orders(events: asyncio.Queue[PrivateEvent], status: str, *order_ids: str) -> list[WsUserOrder]:
    """The ``user_order`` messages putting each of ``order_ids`` in ``status`` (in ``order_ids``' order)."""
    seen: dict[str, WsUserOrder] = {}
    while len(seen) < len(order_ids):
        event = await asyncio.wait_for(events.get(), 5)
        if isinstance(event, WsUserOrder) and event.order_id in order_ids and event.status == status:
            seen[event.order_id] = event
    return [seen[order_id] for order_id in order_ids]


async def _cancels(sim: Sim) -> int:
    stats = await sim.control("GET", "/_sim/stats")
    return int(stats.get(CANCEL_V2, {}).get("count", 0))


# -- the simulator -------------------------------------------------------------------------------


async def test_closing_a_market_cancels_what_rests_there_and_tells_each_owner(sim: Sim) -> None:
    alice, bob = sim.rest(KEY_A), sim.rest(KEY_B)
    v2 = await _rest(alice, "a-v2")
    legacy = (
        await alice.create_order_legacy(ticker=TICKER, side="ask", count=D(2), price=D("0.70"), client_order_id="a-l")
    ).order_id
    bobs = await _rest(bob, "b-1", price="0.25")
    elsewhere = await _rest(alice, "a-other", ticker=OTHER)
    async with sim.websocket(KEY_A) as ws_a, sim.websocket(KEY_B) as ws_b:
        await ws_a.subscribe("user_orders")
        await ws_b.subscribe("user_orders")
        await _close(sim)
        pushed = await _user_orders(ws_a.private_events, "canceled", v2, legacy)
        assert [(u.client_order_id, u.ticker) for u in pushed] == [("a-v2", TICKER), ("a-l", TICKER)]
        (told_bob,) = await _user_orders(ws_b.private_events, "canceled", bobs)
        assert told_bob.client_order_id == "b-1"

    canceled = (await alice.list_orders(ticker=TICKER, status="canceled")).items
    assert {(o.order_id, o.status, o.remaining_count) for o in canceled} == {
        (v2, "canceled", D(0)),
        (legacy, "canceled", D(0)),
    }
    assert (await alice.list_orders(ticker=TICKER, status="resting")).items == ()
    assert (await alice.get_order(v2)).status == "canceled"
    book = await alice.get_orderbook(TICKER)
    assert (book.yes, book.no) == ((), ())
    balance = await alice.get_balance()
    assert balance.balance == D(1000) - D("1.50")  # only the other market's order still reserves cash

    assert (await alice.get_order(elsewhere)).status == "resting"  # the game's other market trades on
    cancelled = await alice.cancel_order(elsewhere, exchange_index=0, market_ticker=OTHER)
    assert cancelled.order_id == elsewhere


async def test_every_order_operation_on_a_closed_market_is_refused_market_inactive(sim: Sim) -> None:
    alice = sim.rest(KEY_A)
    order_id = await _rest(alice, "a-1")
    await _close(sim)

    refusals = [
        await _refused(_rest(alice, "a-2")),  # V2 create
        await _refused(_rest(alice, "a-1")),  # a repeated client_order_id is refused too
        await _refused(
            alice.create_order_legacy(ticker=TICKER, side="bid", count=D(1), price=D("0.30"), client_order_id="a-3")
        ),
        await _refused(alice.cancel_order(order_id, exchange_index=0, market_ticker=TICKER)),  # already cancelled
        await _refused(alice.cancel_order_legacy(order_id, exchange_index=0)),
    ]
    assert [(e.status, e.code) for e in refusals] == [(400, "MARKET_INACTIVE")] * 5
    unknown = await _refused(alice.cancel_order("no-such-order", exchange_index=0))
    assert (unknown.status, unknown.code) == (404, "not_found")  # an order it does not know is still 404
    assert len([o for o in sim.state.exchange.orders.values() if o.owner == KEY_A]) == 1  # nothing was created


async def test_an_order_still_resting_just_after_close_cannot_be_cancelled_until_the_venue_does(sim: Sim) -> None:
    alice = sim.rest(KEY_A)
    order_id = await _rest(alice, "a-1")
    await _close(sim, cancel_resting=False)  # "resting orders are cancelled shortly after close"

    refused = await _refused(alice.cancel_order(order_id, exchange_index=0, market_ticker=TICKER))
    assert (refused.status, refused.code) == (400, "MARKET_INACTIVE")
    assert (await alice.get_order(order_id)).status == "resting"
    async with sim.websocket(KEY_A) as ws:
        await ws.subscribe("user_orders")
        swept = await sim.control("POST", f"/_sim/markets/{TICKER}/cancel_resting")
        assert swept == {"cancelled": [order_id]}
        await _user_orders(ws.private_events, "canceled", order_id)
    assert (await alice.get_order(order_id)).status == "canceled"


# -- the production engine -----------------------------------------------------------------------


async def test_a_cancel_refused_market_inactive_reads_back_the_order_the_venue_cancelled(
    sim: Sim, tmp_path: Path
) -> None:
    options = dataclasses.replace(QUIET, ws_enabled=False)  # no push: the engine still thinks it rests
    engine = build_engine(sim.rest_url, sim.ws_url, KEY_A, sim.keys[KEY_A], tmp_path, options=options)
    await engine.start()
    try:
        placed = await engine.place_limit_order(TICKER, "yes", 30, 5, client_order_id="closing-1")
        assert isinstance(placed, Accepted) and placed.report.status == OrderStatus.ACCEPTED
        await _close(sim)
        assert engine.tracker.orders["closing-1"].status == OrderStatus.ACCEPTED

        report = await engine.cancel("closing-1")
        assert report is not None and report.status == OrderStatus.CANCELED, report
        assert report.reason is not None and "MARKET_INACTIVE" in report.reason
        assert await _cancels(sim) == 1  # refused once, read back, not retried
        entry = await engine.journal.get("closing-1")
        assert entry is not None and entry.state == "final"
        assert await engine.cancel_all(TICKER) == []  # nothing rests there any more
        assert await _cancels(sim) == 1
    finally:
        await engine.close()


async def test_a_cancel_refused_while_the_order_still_rests_is_not_left_pending_nor_retried(
    sim: Sim, engine: KalshiExecutionEngine
) -> None:
    assert isinstance(await engine.place_limit_order(TICKER, "yes", 30, 5, client_order_id="window-1"), Accepted)
    assert isinstance(await engine.place_limit_order(OTHER, "yes", 30, 5, client_order_id="open-1"), Accepted)
    await _close(sim, cancel_resting=False)

    report = await engine.cancel("window-1")
    assert report is not None and report.status == OrderStatus.ACCEPTED, report  # the venue refused: it rests
    assert report.reason is not None and report.reason.startswith("cancel refused, the market is closed")
    assert await engine.cancel_all(TICKER) == []  # three listing rounds, the refused order asked once
    assert await _cancels(sim) == 2
    assert engine.tracker.orders["window-1"].status == OrderStatus.ACCEPTED

    await sim.control("POST", f"/_sim/markets/{TICKER}/cancel_resting")  # the venue's own cancellation
    await eventually(lambda: _status(engine, "window-1", OrderStatus.CANCELED), timeout=5)  # pushed on user_orders
    shown = await engine.order_status("window-1")
    assert shown is not None and shown.status == OrderStatus.CANCELED
    assert await engine.cancel_all() == ["open-1"]  # the other market's order cancels as usual
    assert await _cancels(sim) == 3


async def _status(engine: KalshiExecutionEngine, cid: str, status: OrderStatus) -> bool:
    return engine.tracker.orders[cid].status == status
