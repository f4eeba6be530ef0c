"""Resting orders filled when the market trades through them; the sports matching delay; expiry; streams."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from decimal import Decimal

from markets.base import Accepted, FillReport, OrderReport
from markets.journal import MemoryOrderJournal
from markets.paper.engine import PaperTradingEngine
from shared.fees import PolymarketFeeSchedule
from shared.orders.state import OrderStatus
from tests.support import eventually
from tests.unit.paper.support import Books, Clock, order

D = Decimal


def _kalshi(fee_type: str = "quadratic") -> tuple[PaperTradingEngine, Books]:
    clock = Clock()
    books = Books(clock)
    books.set("m", "yes", bids=[("0.40", "10")], asks=[("0.60", "10")])
    return PaperTradingEngine("kalshi", books, clock=clock, kalshi_fee_type=fee_type), books


async def test_a_resting_buy_fills_at_its_limit_when_the_ask_comes_down_to_it() -> None:
    engine, books = _kalshi()
    placed = await engine.submit(order("r1", price="0.45", qty="10"))
    assert isinstance(placed, Accepted) and placed.report.status == OrderStatus.ACCEPTED
    await engine.poll()
    assert (await engine.order_status("r1")).filled_quantity == 0  # type: ignore[union-attr]

    books.set("m", "yes", bids=[("0.40", "10")], asks=[("0.44", "3"), ("0.45", "4"), ("0.46", "50")])
    await engine.poll()
    report = await engine.order_status("r1")
    assert report is not None and report.status == OrderStatus.PARTIALLY_FILLED
    assert [(f.price, f.quantity, f.liquidity, f.fee) for f in report.fills] == [
        (D("0.45"), D(7), "maker", D("0.00"))  # its own limit, the size shown at or below it, maker fee 0
    ]
    await engine.poll()  # the same displayed size is not taken again
    assert (await engine.order_status("r1")).filled_quantity == 7  # type: ignore[union-attr]

    books.set("m", "yes", bids=[("0.40", "10")], asks=[("0.45", "10")])  # more arrives at 0.45
    await engine.poll()
    final = await engine.order_status("r1")
    assert final is not None and final.status == OrderStatus.FILLED and final.filled_quantity == 10
    assert (await engine.balance()).available == D(1000) - D("4.50")
    [position] = await engine.positions()
    assert (position.outcome_id, position.quantity, position.cost) == ("yes", D(10), D("4.50"))


async def test_kalshi_maker_fee_schedule_charges_makers() -> None:
    engine, books = _kalshi("quadratic_with_maker_fees")
    await engine.submit(order("r1", price="0.50", qty="100"))
    books.set("m", "yes", asks=[("0.50", "100")])
    await engine.poll()
    [fill] = (await engine.fills_since()).fills
    assert (fill.liquidity, fill.fee) == ("maker", D("0.44"))  # 0.0175 x 100 x 0.25 rounded up


async def test_a_resting_sell_fills_when_the_bid_comes_up_and_best_price_goes_first() -> None:
    engine, books = _kalshi()
    await engine.submit(order("s-low", price="0.55", qty="5", side="sell"))
    await engine.submit(order("s-high", price="0.57", qty="5", side="sell"))
    books.set("m", "yes", bids=[("0.58", "6")], asks=[("0.60", "10")])
    await engine.poll()
    low, high = await engine.order_status("s-low"), await engine.order_status("s-high")
    assert low is not None and low.status == OrderStatus.FILLED and low.fills[0].price == D("0.55")
    assert high is not None and high.filled_quantity == 1  # the better-priced order filled first


async def test_the_background_matcher_fills_resting_orders_after_start() -> None:
    engine, books = _kalshi()
    engine._poll_s = 0.02  # noqa: SLF001 - fast for the test
    await engine.start()
    stream = engine.updates()
    try:
        await engine.submit(order("bg", price="0.45", qty="4"))
        books.set("m", "yes", asks=[("0.45", "4")])

        async def filled() -> bool:
            report = await engine.order_status("bg")
            return report is not None and report.status == OrderStatus.FILLED

        await eventually(filled, timeout=5)
    finally:
        await engine.close()
    seen = [item async for item in stream]
    assert [type(i).__name__ for i in seen] == ["OrderReport", "FillReport", "OrderReport"]
    assert isinstance(seen[1], FillReport) and seen[1].quantity == 4
    assert isinstance(seen[2], OrderReport) and seen[2].status == OrderStatus.FILLED


async def test_sports_matching_delay_answers_delayed_then_matches_the_book_as_it_is_then() -> None:
    clock = Clock()
    books = Books(clock)
    books.set("m", "tok", asks=[("0.50", "10"), ("0.52", "10")], min_size="5")
    engine = PaperTradingEngine(
        "polymarket",
        books,
        clock=clock,
        matching_delay_s=0.2,
        poll_interval_s=0.02,
        polymarket_fees=PolymarketFeeSchedule(rate=D("0.03")),
    )
    await engine.start()
    try:
        placed = await engine.submit(order("dl", price="0.52", qty="15", outcome="tok"))
        assert isinstance(placed, Accepted)
        assert placed.report.venue_status == "delayed" and placed.report.status == OrderStatus.ACCEPTED
        assert placed.report.filled_quantity == 0
        assert (await engine.balance()).available < D(1000) - D("7.80")  # reserved while pending
        books.set("m", "tok", asks=[("0.51", "6"), ("0.55", "10")], min_size="5")  # the book moves meanwhile
        await asyncio.sleep(0.05)
        pending = await engine.order_status("dl")
        assert pending is not None and pending.venue_status == "delayed" and pending.filled_quantity == 0

        async def matched() -> OrderReport | None:
            report = await engine.order_status("dl")
            return report if report is not None and report.venue_status is None else None

        report = await eventually(matched, timeout=5)
    finally:
        await engine.close()
    assert report is not None
    assert [(f.price, f.quantity, f.liquidity) for f in report.fills] == [(D("0.51"), D(6), "taker")]
    assert report.status == OrderStatus.PARTIALLY_FILLED  # the rest of a GTC rests


async def test_a_passive_order_is_not_delayed() -> None:
    clock = Clock()
    books = Books(clock)
    books.set("m", "tok", asks=[("0.60", "10")], min_size="5")
    engine = PaperTradingEngine("polymarket", books, clock=clock, matching_delay_s=5)
    placed = await engine.submit(order("pv", price="0.50", qty="10", outcome="tok"))
    assert isinstance(placed, Accepted) and placed.report.venue_status is None


async def test_a_delayed_order_can_be_cancelled_before_it_matches() -> None:
    clock = Clock()
    books = Books(clock)
    books.set("m", "tok", asks=[("0.50", "10")], min_size="5")
    engine = PaperTradingEngine("polymarket", books, clock=clock, matching_delay_s=0.05)
    await engine.submit(order("dc", price="0.50", qty="10", outcome="tok"))
    cancelled = await engine.cancel("dc")
    assert cancelled is not None and cancelled.status == OrderStatus.CANCELED
    await asyncio.sleep(0.06)
    await engine.poll()
    final = await engine.order_status("dc")
    assert final is not None
    assert final.status == OrderStatus.CANCELED and final.fills == ()


async def test_gtd_orders_expire_and_release_their_reservation() -> None:
    engine, books = _kalshi()
    clock = books.clock
    await engine.submit(order("g1", price="0.45", qty="10", tif="gtd", expires_at=clock.now + timedelta(seconds=30)))
    assert (await engine.balance()).available == D("995.50")
    clock.advance(31)
    books.set("m", "yes", bids=[("0.40", "10")], asks=[("0.60", "10")])
    await engine.poll()
    expired = await engine.order_status("g1")
    assert expired is not None and expired.status == OrderStatus.EXPIRED
    assert (await engine.balance()).available == D(1000)


async def test_cancel_all_fills_since_cursor_and_the_journal() -> None:
    clock = Clock()
    books = Books(clock)
    books.set("m", "yes", asks=[("0.50", "5")])
    books.set("n", "yes", asks=[("0.70", "5")])
    journal = MemoryOrderJournal()
    engine = PaperTradingEngine("kalshi", books, clock=clock, journal=journal)
    await engine.submit(order("a", price="0.50", qty="10"))  # fills 5, rests 5
    await engine.submit(order("b", price="0.40", qty="10", market="n"))
    page = await engine.fills_since()
    assert [f.client_order_id for f in page.fills] == ["a"] and page.cursor == "1"
    assert (await engine.fills_since(cursor=page.cursor)).fills == ()
    assert (await engine.fills_since(since=clock.now)).fills == ()
    assert sorted(await engine.cancel_all(market_id="m")) == ["a"]
    assert [o.client_order_id for o in await engine.open_orders()] == ["b"]
    assert await engine.cancel_all() == ["b"]
    assert await engine.cancel("nope") is None
    entry_a, entry_b = await journal.get("a"), await journal.get("b")
    assert entry_a is not None and entry_a.state == "final" and entry_a.venue_order_id is not None
    assert entry_b is not None and entry_b.state == "final"
    assert await journal.unresolved("kalshi") == []


async def test_a_due_delayed_order_waits_for_a_readable_book_without_spinning() -> None:
    clock = Clock()
    books = Books(clock)
    books.set("m", "tok", asks=[("0.50", "10")], min_size="5")
    engine = PaperTradingEngine("polymarket", books, clock=clock, matching_delay_s=0.02, poll_interval_s=0.05)
    await engine.start()
    try:
        await engine.submit(order("w", price="0.50", qty="10", outcome="tok"))
        books.books.clear()  # the book cannot be read when the order comes due
        reads = books.reads
        await asyncio.sleep(0.3)
        waiting = await engine.order_status("w")
        assert waiting is not None and waiting.venue_status == "delayed" and waiting.filled_quantity == 0
        assert books.reads - reads < 15  # one read per pass, not a busy loop
        books.set("m", "tok", asks=[("0.50", "10")], min_size="5")

        async def filled() -> bool:
            report = await engine.order_status("w")
            return report is not None and report.status == OrderStatus.FILLED

        await eventually(filled, timeout=5)
    finally:
        await engine.close()
