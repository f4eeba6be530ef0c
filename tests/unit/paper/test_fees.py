"""Fees of paper fills match the venues' published formulas on worked examples."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from markets.base import Accepted
from markets.paper.engine import PaperTradingEngine
from markets.paper.fees import KalshiFees, PolymarketFees
from markets.paper.orders import PaperOrder
from shared.fees import PolymarketFeeSchedule, kalshi_fee
from tests.unit.paper.support import Books, Clock, order

D = Decimal


def _order(qty: str = "100") -> PaperOrder:
    return PaperOrder(order("c", price="0.50", qty=qty), "paper-x", 1, datetime(2026, 1, 1, tzinfo=UTC))


@pytest.mark.parametrize(
    ("price", "qty", "expected"),
    [
        ("0.62", "31", "0.52"),  # 0.07 x 31 x 0.62 x 0.38 = 0.511252 -> up to the cent
        ("0.50", "100", "1.75"),  # exactly 1.75
        ("0.50", "1", "0.02"),  # 0.0175 -> 0.02
        ("0.10", "0.5", "0.01"),  # fractional contracts: 0.00315 -> 0.01
    ],
)
def test_kalshi_one_fill_pays_the_published_fee(price: str, qty: str, expected: str) -> None:
    fee = KalshiFees().charge(_order(), D(price), D(qty), "taker")
    assert fee == D(expected) == kalshi_fee(D(price), D(qty))


def test_kalshi_fee_is_rounded_up_per_order_not_per_fill() -> None:
    fees, paper = KalshiFees(), _order("10")
    # Ten 1-contract fills at 0.10: 0.07 x 0.09 = 0.0063 each; per fill that would be 10 x 0.01 = 0.10.
    charged = [fees.charge(paper, D("0.10"), D(1), "taker") for _ in range(10)]
    assert sum(charged) == D("0.07") == kalshi_fee(D("0.10"), D(10))  # ceil(0.063)
    assert charged[0] == D("0.01") and charged.count(D("0.00")) == 3


def test_kalshi_makers_pay_only_under_a_maker_fee_schedule() -> None:
    assert KalshiFees().charge(_order(), D("0.50"), D(100), "maker") == D("0.00")
    # 0.0175 x 100 x 0.25 = 0.4375 -> 0.44
    assert KalshiFees("quadratic_with_maker_fees").charge(_order(), D("0.50"), D(100), "maker") == D("0.44")
    assert KalshiFees("flat").charge(_order(), D("0.50"), D(100), "taker") == D("0.00")


@pytest.mark.parametrize(
    ("price", "size", "rate", "exponent", "expected"),
    [
        ("0.50", "100", "0.03", 1, "0.75000"),  # 100 x 0.03 x 0.25
        ("0.37", "7", "0.03", 1, "0.04895"),  # 7 x 0.03 x 0.2331 = 0.048951 -> floored to 5 dp
        ("0.40", "10", "0.25", 2, "0.14400"),  # 10 x 0.25 x 0.24^2
        ("0.50", "100", "0", 1, "0.00000"),  # no fee schedule
    ],
)
def test_polymarket_taker_fee_per_fill(price: str, size: str, rate: str, exponent: int, expected: str) -> None:
    fees = PolymarketFees(PolymarketFeeSchedule(rate=D(rate), exponent=exponent))
    assert fees.charge(_order(), D(price), D(size), "taker") == D(expected)
    assert fees.charge(_order(), D(price), D(size), "maker") == D("0.00000")


async def test_engine_fills_carry_the_venue_fee() -> None:
    clock = Clock()
    books = Books(clock)
    books.set("m", "yes", asks=[("0.37", "7"), ("0.38", "100")], min_size="5")
    poly = PaperTradingEngine("polymarket", books, clock=clock, polymarket_fees=PolymarketFeeSchedule(rate=D("0.03")))
    result = await poly.submit(order("p1", price="0.38", qty="10", tif="ioc"))
    assert isinstance(result, Accepted)
    assert [(f.price, f.quantity, f.fee) for f in result.report.fills] == [
        (D("0.37"), D(7), D("0.04895")),
        (D("0.38"), D(3), D("0.02120")),  # 3 x 0.03 x 0.2356 = 0.021204 -> floored to 5 dp
    ]
