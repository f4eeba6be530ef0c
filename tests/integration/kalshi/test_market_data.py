"""Markets, events, series, books and trades read by the production REST client from the simulator."""

from __future__ import annotations

from decimal import Decimal

import pytest

from markets.kalshi.models import BookLevel
from shared.errors import Rejected
from tests.integration.kalshi.conftest import KEY_A, KEY_B, TICKER, Sim

D = Decimal


async def test_reference_data(sim: Sim) -> None:
    client = sim.rest()
    assert (await client.get_exchange_status()).trading_active
    series = await client.get_series("KXNBAGAME")
    assert (series.title, series.fee_type) == ("Professional Basketball Game", "quadratic")
    event = await client.get_event("KXNBAGAME-26NOV23LALBOS")
    assert {m.ticker for m in event.markets} == {TICKER, "KXNBAGAME-26NOV23LALBOS-LAL"}
    market = await client.get_market(TICKER)
    assert (market.status, market.yes_sub_title, market.no_sub_title) == ("active", "Boston", "Los Angeles L")
    assert market.tick_size == D("0.01") and market.result is None
    events = await client.list_events(status="open", with_nested_markets=True)
    assert [e.event_ticker for e in events.items] == ["KXNBAGAME-26NOV23LALBOS"] and len(events.items[0].markets) == 2
    with pytest.raises(Rejected) as info:
        await client.get_market("NOPE-1")
    assert info.value.code == "not_found"


async def test_market_paging_and_filters(sim: Sim) -> None:
    await sim.control(
        "POST", "/_sim/markets", {"league": "nhl", "away": ["NYR", "New York R"], "home": ["TOR", "Toronto"]}
    )
    client = sim.rest()
    first = await client.list_markets(limit=2)
    assert len(first.items) == 2 and first.cursor is not None
    tickers = [m.ticker async for m in client.iter_markets(limit=1)]
    assert len(tickers) == 3 and len(set(tickers)) == 3
    nhl = await client.list_markets(series_ticker="KXNHLGAME")
    assert [m.ticker for m in nhl.items] == [t for t in tickers if t.startswith("KXNHLGAME")]
    assert (await client.list_markets(status="settled")).items == ()


async def test_orderbook_and_trades(sim: Sim) -> None:
    sim.set_book(yes=[("0.40", "10"), ("0.41", "20")], no=[("0.55", "30")])
    client = sim.rest()
    book = await client.get_orderbook(TICKER)
    assert book.yes == (BookLevel(D("0.40"), D(10)), BookLevel(D("0.41"), D(20)))
    assert book.no == (BookLevel(D("0.55"), D(30)),)
    assert (await client.get_orderbook(TICKER, depth=1)).yes == (BookLevel(D("0.41"), D(20)),)
    market = await client.get_market(TICKER)
    assert (market.yes_bid, market.yes_ask, market.yes_bid_size, market.yes_ask_size) == (
        D("0.41"),
        D("0.45"),
        D(20),
        D(30),
    )
    await sim.rest(KEY_B).create_order(ticker=TICKER, side="bid", count=D(3), price=D("0.45"), client_order_id="take-1")
    trades = await client.list_trades(ticker=TICKER)
    assert len(trades.items) == 1
    trade = trades.items[0]
    assert (trade.count, trade.yes_price, trade.no_price, trade.taker_book_side) == (D(3), D("0.45"), D("0.55"), "bid")
    assert (await client.get_market(TICKER)).last_price == D("0.45")
    assert (await sim.rest(KEY_A).get_balance()).balance == D(1000)
