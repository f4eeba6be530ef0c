"""Exact prices and the venues' fee formulas on worked examples."""

from __future__ import annotations

from decimal import Decimal

import pytest

from shared.fees import PolymarketFeeSchedule, kalshi_fee, polymarket_fee
from shared.prices import PriceError, cents_to_price, price_to_cents, snap_to_tick, to_decimal

D = Decimal


def test_floats_are_refused_everywhere() -> None:
    with pytest.raises(PriceError, match="float"):
        to_decimal(0.1)
    with pytest.raises(PriceError):
        to_decimal(True)
    with pytest.raises(PriceError):
        to_decimal("NaN")
    assert to_decimal("0.10") == D("0.10")
    assert to_decimal(3) == D(3)


def test_cents_round_trip_exactly() -> None:
    assert cents_to_price(62) == D("0.62")
    assert price_to_cents(D("0.62")) == 62
    with pytest.raises(PriceError, match="whole number of cents"):
        price_to_cents(D("0.625"))
    with pytest.raises(PriceError):
        cents_to_price(101)


def test_snap_to_tick_rounds_bids_down_and_asks_up() -> None:
    assert snap_to_tick(D("0.6237"), D("0.01"), "down") == D("0.62")
    assert snap_to_tick(D("0.6237"), D("0.01"), "up") == D("0.63")
    assert snap_to_tick(D("0.6237"), D("0.001"), "down") == D("0.623")


@pytest.mark.parametrize(
    ("price", "count", "expected"),
    [
        # 0.07 x 31 x 0.62 x 0.38 = 0.511... -> rounded up to the cent
        (D("0.62"), D(31), D("0.52")),
        # 0.07 x 100 x 0.5 x 0.5 = 1.75 exactly
        (D("0.50"), D(100), D("1.75")),
        # 0.07 x 1 x 0.5 x 0.5 = 0.0175 -> 0.02
        (D("0.50"), D(1), D("0.02")),
        (D("0.99"), D(10), D("0.01")),
    ],
)
def test_kalshi_taker_fee_matches_published_formula(price: Decimal, count: Decimal, expected: Decimal) -> None:
    assert kalshi_fee(price, count) == expected


def test_kalshi_makers_pay_only_under_maker_fee_schedules() -> None:
    assert kalshi_fee(D("0.50"), D(100), maker=True) == D("0.00")
    # 0.0175 x 100 x 0.25 = 0.4375 -> 0.44
    assert kalshi_fee(D("0.50"), D(100), maker=True, fee_type="quadratic_with_maker_fees") == D("0.44")


def test_polymarket_fee_uses_market_schedule_and_floors() -> None:
    schedule = PolymarketFeeSchedule(rate=D("0.05"), exponent=1)
    assert polymarket_fee(D("0.5"), D(100), schedule) == D("1.25000")
    # 0.05 x 7 x 0.333 x 0.667 = 0.07773...-> floored to 5 dp
    assert polymarket_fee(D("0.333"), D(7), schedule) == D("0.07773")
    assert polymarket_fee(D("0.5"), D(100), schedule, maker=True) == D("0")
    assert polymarket_fee(D("0.5"), D(100), PolymarketFeeSchedule()) == D("0")
