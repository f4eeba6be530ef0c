"""``use_yes_price`` on ``orderbook_delta``, over a real loopback WebSocket against the simulator.

Kalshi reports NO levels on the NO leg's own price scale by default; ``use_yes_price: true`` reports them
on the YES scale (``1 - price``), and the default is due to flip. Our client names the flag (``false``) on
every book subscription, so its books stay right whichever default the venue runs: the simulator is run
here with both defaults, and a raw client shows what each setting puts on the wire.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from decimal import Decimal
from typing import Any

import pytest
from websockets.asyncio.client import ClientConnection, connect

from markets.sim.kalshi import ws as sim_ws
from tests.integration.kalshi.conftest import KEY_A, KEY_B, TICKER, Sim
from tests.support import eventually

D = Decimal


def _book_matches_rest(sim: Sim, ws: Any):  # type: ignore[no-untyped-def]
    rest = sim.rest()

    async def probe() -> bool:
        book = ws.book(TICKER)
        return book is not None and book.valid and book.snapshot() == await rest.get_orderbook(TICKER)

    return probe


@pytest.mark.parametrize("venue_default", [False, True], ids=["no-leg-default", "flipped-default"])
async def test_client_books_read_no_levels_right_whichever_default(
    sim: Sim, venue_default: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sim_ws, "USE_YES_PRICE_DEFAULT", venue_default)
    sim.set_book(yes=[("0.40", "10")], no=[("0.55", "30")])  # NO bid 0.55 = a YES ask at 0.45
    async with sim.websocket() as ws:
        await ws.subscribe("orderbook_delta", [TICKER])
        await eventually(_book_matches_rest(sim, ws))
        book = ws.book(TICKER)
        assert book is not None and (book.best_yes_bid, book.best_yes_ask) == (D("0.40"), D("0.45"))
        # a sell of YES at 0.43 (buy NO at 0.57) arrives as a NO-side delta
        await sim.rest(KEY_B).create_order(
            ticker=TICKER, side="ask", count=D(5), price=D("0.43"), client_order_id="n-1"
        )
        await eventually(_book_matches_rest(sim, ws))
        assert (book.best_yes_bid, book.best_yes_ask) == (D("0.40"), D("0.43"))


@pytest.fixture
async def raw(sim: Sim) -> AsyncIterator[ClientConnection]:
    """A bare signed WebSocket to the simulator (no client library in between)."""
    headers = sim.signer(KEY_A).headers("GET", "/trade-api/ws/v2")
    async with connect(sim.ws_url, additional_headers=headers) as conn:
        yield conn


async def _frame(conn: ClientConnection, kind: str) -> dict[str, Any]:
    while True:
        frame = json.loads(await conn.recv())
        if frame["type"] == kind:
            return frame


@pytest.mark.parametrize(
    ("params", "no_level", "delta_price"),
    [({}, "0.5500", "0.5700"), ({"use_yes_price": False}, "0.5500", "0.5700"),
     ({"use_yes_price": True}, "0.4500", "0.4300")],
    ids=["missing", "false", "true"],
)  # fmt: skip
async def test_simulator_prices_no_levels_as_subscribed(
    sim: Sim, raw: ClientConnection, params: dict[str, Any], no_level: str, delta_price: str
) -> None:
    sim.set_book(yes=[("0.40", "10")], no=[("0.55", "30")])
    subscribe = {"channels": ["orderbook_delta"], "market_tickers": [TICKER], **params}
    await raw.send(json.dumps({"id": 1, "cmd": "subscribe", "params": subscribe}))
    snapshot = (await _frame(raw, "orderbook_snapshot"))["msg"]
    assert snapshot["yes_dollars_fp"] == [["0.4000", "10.00"]]  # YES levels never change scale
    assert snapshot["no_dollars_fp"] == [[no_level, "30.00"]]
    await sim.rest(KEY_B).create_order(ticker=TICKER, side="ask", count=D(5), price=D("0.43"), client_order_id="n-2")
    delta = (await _frame(raw, "orderbook_delta"))["msg"]
    assert (delta["side"], delta["price_dollars"], delta["delta_fp"]) == ("no", delta_price, "5.00")


async def test_simulator_refuses_a_non_boolean_use_yes_price(raw: ClientConnection) -> None:
    subscribe = {"channels": ["orderbook_delta"], "market_tickers": [TICKER], "use_yes_price": "yes"}
    await raw.send(json.dumps({"id": 1, "cmd": "subscribe", "params": subscribe}))
    assert (await _frame(raw, "error"))["msg"]["code"] == 11
