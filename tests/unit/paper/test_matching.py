"""Walking the book for size: levels, partial fills, IOC/FOK, and never taking displayed size twice."""

from __future__ import annotations

from decimal import Decimal

from markets.base import Accepted, Rejected
from markets.paper.engine import PaperTradingEngine
from markets.paper.matching import LiquidityLedger
from shared.orders.state import OrderStatus
from shared.prices import Venue
from tests.unit.paper.support import Books, Clock, order

D = Decimal
ASKS = [("0.50", "10"), ("0.51", "10"), ("0.53", "10")]
BIDS = [("0.48", "10"), ("0.47", "10"), ("0.45", "10")]


def _engine(venue: Venue = "kalshi") -> tuple[PaperTradingEngine, Books]:
    clock = Clock()
    books = Books(clock)
    books.set("m", "yes", bids=BIDS, asks=ASKS)
    return PaperTradingEngine(venue, books, clock=clock), books


async def test_a_buy_walks_the_asks_up_to_its_limit_and_rests_the_rest() -> None:
    engine, _ = _engine()
    result = await engine.submit(order("b1", price="0.52", qty="25"))
    assert isinstance(result, Accepted)
    report = result.report
    assert [(f.price, f.quantity, f.liquidity) for f in report.fills] == [
        (D("0.50"), D(10), "taker"),
        (D("0.51"), D(10), "taker"),
    ]
    assert report.status == OrderStatus.PARTIALLY_FILLED and report.filled_quantity == 20
    assert report.avg_fill_price == D("0.505")
    assert [o.client_order_id for o in await engine.open_orders("m")] == ["b1"]


async def test_a_sell_walks_the_bids_down_to_its_limit() -> None:
    engine, books = _engine()
    books.set("m", "yes", bids=BIDS, asks=ASKS)
    result = await engine.submit(order("s1", price="0.47", qty="15", side="sell", tif="ioc"))
    assert isinstance(result, Accepted)
    assert [(f.price, f.quantity) for f in result.report.fills] == [(D("0.48"), D(10)), (D("0.47"), D(5))]
    assert result.report.status == OrderStatus.FILLED


async def test_ioc_cancels_the_unfilled_remainder() -> None:
    engine, _ = _engine()
    result = await engine.submit(order("i1", price="0.51", qty="30", tif="ioc"))
    assert isinstance(result, Accepted)
    assert result.report.status == OrderStatus.CANCELED and result.report.filled_quantity == 20
    assert await engine.open_orders() == []


async def test_fok_is_all_or_nothing_on_each_venue() -> None:
    kalshi, _ = _engine("kalshi")
    killed = await kalshi.submit(order("f1", price="0.51", qty="21", tif="fok"))
    assert isinstance(killed, Accepted)  # Kalshi accepts and cancels a fill_or_kill it cannot fill
    assert killed.report.status == OrderStatus.CANCELED and killed.report.fills == ()
    filled = await kalshi.submit(order("f2", price="0.51", qty="20", tif="fok"))
    assert isinstance(filled, Accepted) and filled.report.status == OrderStatus.FILLED

    poly, _ = _engine("polymarket")
    refused = await poly.submit(order("f3", price="0.51", qty="21", tif="fok"))
    assert isinstance(refused, Rejected) and refused.code == "fok_not_filled"  # Polymarket refuses it
    assert "fully filled" in refused.reason and (await poly.balance()).available == D(1000)


async def test_fak_with_nothing_to_match_is_refused_on_polymarket_and_cancelled_on_kalshi() -> None:
    poly, _ = _engine("polymarket")
    refused = await poly.submit(order("a1", price="0.49", qty="5", tif="ioc"))
    assert isinstance(refused, Rejected) and refused.code == "fak_no_match"
    kalshi, _ = _engine("kalshi")
    cancelled = await kalshi.submit(order("a2", price="0.49", qty="5", tif="ioc"))
    assert isinstance(cancelled, Accepted) and cancelled.report.status == OrderStatus.CANCELED


async def test_post_only_that_would_cross_is_refused() -> None:
    engine, _ = _engine()
    result = await engine.submit(order("p1", price="0.50", qty="5", post_only=True))
    assert isinstance(result, Rejected) and "post-only" in result.reason
    resting = await engine.submit(order("p2", price="0.49", qty="5", post_only=True))
    assert isinstance(resting, Accepted) and resting.report.status == OrderStatus.ACCEPTED


async def test_displayed_size_is_never_taken_twice_until_the_book_changes() -> None:
    engine, books = _engine()
    first = await engine.submit(order("d1", price="0.50", qty="6", tif="ioc"))
    second = await engine.submit(order("d2", price="0.50", qty="6", tif="ioc"))
    assert isinstance(first, Accepted) and isinstance(second, Accepted)
    assert first.report.filled_quantity == 6
    assert second.report.filled_quantity == 4  # only what is left of the 10 shown at 0.50
    third = await engine.submit(order("d3", price="0.50", qty="6", tif="ioc"))
    assert isinstance(third, Accepted) and third.report.filled_quantity == 0

    books.set("m", "yes", bids=BIDS, asks=[("0.50", "13"), *ASKS[1:]])  # 3 more arrive at 0.50
    fourth = await engine.submit(order("d4", price="0.50", qty="6", tif="ioc"))
    assert isinstance(fourth, Accepted) and fourth.report.filled_quantity == 3

    books.set("m", "yes", bids=BIDS, asks=ASKS[1:])  # the level went away ...
    await engine.submit(order("d5", price="0.49", qty="1", tif="ioc"))
    books.set("m", "yes", bids=BIDS, asks=ASKS)  # ... and came back: fresh liquidity
    fifth = await engine.submit(order("d6", price="0.50", qty="6", tif="ioc"))
    assert isinstance(fifth, Accepted) and fifth.report.filled_quantity == 6


async def test_kalshi_yes_and_no_books_share_liquidity() -> None:
    clock = Clock()
    books = Books(clock)
    books.set_kalshi("m", yes_bids=[("0.40", "10")], yes_asks=[("0.60", "10")])
    engine = PaperTradingEngine("kalshi", books, clock=clock)
    bought = await engine.submit(order("y1", price="0.60", qty="10", tif="ioc"))
    assert isinstance(bought, Accepted) and bought.report.filled_quantity == 10
    # Selling NO at 0.40 hits the same resting YES seller (a NO bid at 0.40): already taken.
    sold = await engine.submit(order("n1", price="0.40", qty="10", side="sell", outcome="no", tif="ioc"))
    assert isinstance(sold, Accepted) and sold.report.filled_quantity == 0


def test_ledger_shrinks_with_the_level_and_forgets_vanished_levels() -> None:
    ledger = LiquidityLedger()
    ledger.take("m", ("ask", D("0.5")), D(8))
    assert ledger.available("m", ("ask", D("0.5")), D(10)) == 2
    ledger.refresh("m", {("ask", D("0.5")): D(5)})  # someone else traded or cancelled at that level
    assert ledger.taken("m", ("ask", D("0.5"))) == 5
    assert ledger.available("m", ("ask", D("0.5")), D(7)) == 2
    ledger.refresh("other", {})  # another book's refresh leaves this one alone
    assert ledger.taken("m", ("ask", D("0.5"))) == 5
    ledger.refresh("m", {})
    assert ledger.taken("m", ("ask", D("0.5"))) == 0


async def test_same_client_order_id_returns_the_existing_order_and_ids_are_deterministic() -> None:
    engine, _ = _engine()
    first = await engine.submit(order("same", price="0.51", qty="15"))
    again = await engine.submit(order("same", price="0.51", qty="15"))
    assert isinstance(first, Accepted) and isinstance(again, Accepted) and first.report == again.report
    assert len((await engine.fills_since()).fills) == 2

    replay, _ = _engine()  # a replay of the same order elsewhere produces the same ids
    replayed = await replay.submit(order("same", price="0.51", qty="15"))
    assert isinstance(replayed, Accepted)
    assert replayed.report.venue_order_id == first.report.venue_order_id
    assert [f.venue_trade_id for f in replayed.report.fills] == [f.venue_trade_id for f in first.report.fills]
    assert first.report.venue_order_id is not None and first.report.venue_order_id.startswith("paper-")
    by_venue = await engine.order_status_by_venue_id(first.report.venue_order_id)
    assert by_venue is not None and by_venue.client_order_id == "same"
