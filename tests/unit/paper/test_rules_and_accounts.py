"""Venue rules refused before anything happens, balance reservations, and both venues' account models."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from markets.base import Accepted, Rejected
from markets.paper.engine import PaperTradingEngine
from shared.fees import PolymarketFeeSchedule
from shared.prices import Venue
from tests.unit.paper.support import Books, Clock, order

D = Decimal


def _engine(venue: Venue = "kalshi", balance: str = "1000", **book: object) -> tuple[PaperTradingEngine, Books]:
    clock = Clock()
    books = Books(clock)
    books.set("m", "yes", bids=[("0.40", "100")], asks=[("0.60", "100")], **book)  # type: ignore[arg-type]
    fees = PolymarketFeeSchedule(rate=D("0.03"))
    engine = PaperTradingEngine(venue, books, clock=clock, starting_balance=D(balance), polymarket_fees=fees)
    return engine, books


@pytest.mark.parametrize(
    ("request_kwargs", "book_kwargs", "code", "words"),
    [
        ({"price": "0.455", "qty": "10"}, {}, "invalid_price", "tick"),
        ({"price": "0.455", "qty": "10", "tick_size": D("0.01")}, {"tick": "0.001"}, "invalid_price", "tick"),
        ({"price": "0.001", "qty": "10"}, {"tick": "0.01"}, "invalid_price", "tick"),
        ({"price": "0.99", "qty": "10"}, {"tick": "0.1"}, "invalid_price", "tick"),
        ({"price": "0.45", "qty": "4"}, {"min_size": "5"}, "below_min_size", "minimum"),
        ({"price": "0.45", "qty": "0.001"}, {"min_size": "0.01"}, "invalid_quantity", "quantity"),
        ({"price": "0.45", "qty": "0"}, {}, "invalid_quantity", "quantity"),
        ({"price": "0.45", "qty": "10"}, {"age_s": 31}, "stale_book", "stale"),
    ],
)
async def test_venue_rules_refuse_before_anything_is_placed(
    request_kwargs: dict[str, object], book_kwargs: dict[str, object], code: str, words: str
) -> None:
    engine, _ = _engine("kalshi", "1000", **book_kwargs)
    result = await engine.submit(order("x", **request_kwargs))  # type: ignore[arg-type]
    assert isinstance(result, Rejected) and not result.sent
    assert result.code == code and words in result.reason.lower()
    assert await engine.order_status("x") is None and (await engine.balance()).available == D(1000)


async def test_unknown_market_and_a_failing_source_are_clear_refusals() -> None:
    engine, _ = _engine()
    unknown = await engine.submit(order("u", price="0.45", qty="10", market="nope"))
    assert isinstance(unknown, Rejected) and unknown.code == "unknown_market" and not unknown.sent

    class Broken:
        async def snapshot(self, market_id: str, outcome_id: str) -> None:
            raise ConnectionError("venue down")

    broken = await PaperTradingEngine("kalshi", Broken()).submit(order("b", price="0.45", qty="10"))
    assert isinstance(broken, Rejected) and broken.code == "book_unavailable" and "venue down" in broken.reason


async def test_gtd_needs_a_future_expiry() -> None:
    engine, books = _engine()
    past = books.clock.now - timedelta(seconds=1)
    result = await engine.submit(order("g", price="0.45", qty="10", tif="gtd", expires_at=past))
    assert isinstance(result, Rejected) and "expiration" in result.reason


async def test_kalshi_resting_buys_reserve_cash_and_cancel_releases_it() -> None:
    engine, _ = _engine(balance="100")
    first = await engine.submit(order("r1", price="0.50", qty="100"))  # reserves $50 (maker fee 0)
    assert isinstance(first, Accepted)
    balance = await engine.balance()
    assert (balance.available, balance.total, balance.currency) == (D(50), D(100), "USD")
    refused = await engine.submit(order("r2", price="0.45", qty="112"))  # $50.40 > $50
    assert isinstance(refused, Rejected) and refused.code == "insufficient_balance" and not refused.sent
    assert "insufficient balance" in refused.reason
    fits = await engine.submit(order("r3", price="0.45", qty="111"))  # $49.95
    assert isinstance(fits, Accepted)
    await engine.cancel("r1")
    assert (await engine.balance()).available == D(100) - D("49.95")


async def test_kalshi_taker_fee_counts_in_the_balance_check() -> None:
    engine, _ = _engine(balance="60.00")
    # 100 at 0.60 = $60 plus the taker fee ceil(0.07 x 100 x 0.24) = $1.68: refused.
    result = await engine.submit(order("t", price="0.60", qty="100", tif="ioc"))
    assert isinstance(result, Rejected) and "61.68" in result.reason


async def test_kalshi_positions_net_yes_against_no() -> None:
    clock = Clock()
    books = Books(clock)
    books.set_kalshi("m", yes_bids=[("0.45", "100")], yes_asks=[("0.50", "100")])
    engine = PaperTradingEngine("kalshi", books, clock=clock)
    await engine.submit(order("y", price="0.50", qty="10", tif="ioc"))  # 10 YES for $5.00 + $0.18
    [yes] = await engine.positions()
    assert (yes.outcome_id, yes.quantity, yes.cost, yes.fees_paid) == ("yes", D(10), D("5.00"), D("0.18"))
    # Buying 10 NO at 0.55 (a YES bid at 0.45) closes the YES: $4.50 back, realised -$0.50.
    await engine.submit(order("n", price="0.55", qty="10", outcome="no", tif="ioc"))
    assert await engine.positions() == []
    fees = D("0.18") + D("0.18")  # ceil(0.07 x 10 x 0.2475 = 0.17325)
    assert (await engine.balance()).total == D(1000) - D("5.00") + D("4.50") - fees
    # Selling YES without holding any opens NO: it costs 1 - 0.45 per contract.
    await engine.submit(order("s", price="0.45", qty="10", side="sell", tif="ioc"))
    [no] = await engine.positions()
    assert (no.outcome_id, no.quantity, no.cost) == ("no", D(10), D("5.50"))


async def test_polymarket_sells_need_shares_and_buys_reserve_price_plus_fee() -> None:
    engine, books = _engine("polymarket", balance="100", min_size="5")
    short = await engine.submit(order("s0", price="0.40", qty="10", side="sell"))
    assert isinstance(short, Rejected) and "not enough balance" in short.reason
    bought = await engine.submit(order("b", price="0.60", qty="20", tif="ioc"))
    assert isinstance(bought, Accepted) and bought.report.fills[0].fee == D("0.14400")  # 20 x 0.03 x 0.24
    balance = await engine.balance()
    assert (balance.total, balance.currency) == (D(100) - D(12) - D("0.144"), "pUSD")
    await engine.submit(order("s1", price="0.70", qty="15", side="sell"))  # rests: 15 of 20 shares committed
    over = await engine.submit(order("s2", price="0.70", qty="6", side="sell"))
    assert isinstance(over, Rejected) and "5 free" in over.reason
    books.set("m", "yes", bids=[("0.70", "100")], asks=[("0.72", "100")], min_size="5")
    await engine.poll()  # the resting sell trades through as maker: no fee
    [position] = await engine.positions()
    assert position.quantity == 5 and position.realized_pnl == D(15) * (D("0.70") - D("0.60"))
    assert (await engine.balance()).total == D(100) - D(12) - D("0.144") + D("10.5")
