"""Exact order amounts (agreeing with py-clob-client-v2's builder) and the settings object."""

from __future__ import annotations

import logging
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from py_clob_client_v2.clob_types import RoundConfig
from py_clob_client_v2.order_builder.builder import ROUNDING_CONFIG, OrderBuilder
from pydantic import ValidationError

from markets.polymarket.amounts import AMOUNT_DECIMALS, UNIT, limit_amounts, market_buy_amounts, order_amounts
from markets.polymarket.config import PolymarketSettings
from shared.logs import JsonFormatter
from shared.prices import PriceError

TICKS = sorted(AMOUNT_DECIMALS)


@settings(max_examples=300, deadline=None, derandomize=True)  # the same examples on every CI run
@given(
    tick=st.sampled_from(TICKS),
    steps=st.integers(min_value=1, max_value=9999),
    cents=st.integers(min_value=1, max_value=1_000_000),
    side=st.sampled_from(["BUY", "SELL"]),
)
def test_amounts_are_exact_and_agree_with_the_official_builder(
    tick: Decimal, steps: int, cents: int, side: str
) -> None:
    price = tick * steps
    if not tick <= price <= 1 - tick:
        return
    size = Decimal(cents) / 100
    ours = limit_amounts(side, price, size, tick)  # type: ignore[arg-type]
    usd, shares = (ours.maker_amount, ours.taker_amount) if side == "BUY" else (ours.taker_amount, ours.maker_amount)
    assert Decimal(shares) / UNIT == size
    assert Decimal(usd) / Decimal(shares) == price  # the venue recovers exactly the signed price
    config: RoundConfig = ROUNDING_CONFIG[format(tick, "f")]
    _, maker, taker = OrderBuilder(signer=None).get_order_amounts(side, float(size), float(price), config)
    lib_usd, lib_shares = (maker, taker) if side == "BUY" else (taker, maker)
    if lib_shares == shares:  # otherwise the library's float floor lost a cent of a share (see below)
        assert lib_usd == usd
    else:
        assert lib_shares == shares - 10_000


def test_the_official_float_builder_loses_a_cent_of_a_share_where_we_do_not() -> None:
    # floor(2.01 * 100) == 200 in binary floating point: the library would sign 2.00 shares for 2.01.
    _, _, lib_taker = OrderBuilder(signer=None).get_order_amounts("BUY", 2.01, 0.5, ROUNDING_CONFIG["0.01"])
    assert lib_taker == 2_000_000
    assert limit_amounts("BUY", Decimal("0.5"), Decimal("2.01"), Decimal("0.01")).taker_amount == 2_010_000


@pytest.mark.parametrize(
    ("price", "size", "tick"),
    [
        (Decimal("0.555"), Decimal(10), Decimal("0.01")),  # off tick
        (Decimal("0.995"), Decimal(10), Decimal("0.01")),  # above 1 - tick
        (Decimal("0.5"), Decimal("0.004"), Decimal("0.01")),  # under 0.01 share
        (Decimal("0.5"), Decimal(10), Decimal("0.02")),  # not a venue tick
    ],
)
def test_amounts_refuse_what_the_venue_would(price: Decimal, size: Decimal, tick: Decimal) -> None:
    with pytest.raises(PriceError):
        limit_amounts("BUY", price, size, tick)


def test_sizes_are_floored_to_cents_of_a_share() -> None:
    amounts = limit_amounts("SELL", Decimal("0.57"), Decimal("10.129"), Decimal("0.01"))
    assert (amounts.size, amounts.maker_amount, amounts.taker_amount) == (Decimal("10.12"), 10_120_000, 5_768_400)


KEY = "0x" + "ab" * 32


def test_settings_defaults_and_secret_redaction(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("POLYMARKET_PRIVATE_KEY", KEY)
    monkeypatch.setenv("POLYMARKET_API_KEY", "pm-test-api-key-7f3a")
    monkeypatch.setenv("POLYMARKET_API_SECRET", "cG0tdGVzdC1zZWNyZXQtN2YzYQ==")
    monkeypatch.setenv("POLYMARKET_API_PASSPHRASE", "pm-canary-passphrase-7f3a")
    s = PolymarketSettings()
    assert s.clob_url == "https://clob.polymarket.com" and s.chain_id == 137
    assert s.geoblock_url == "https://polymarket.com/api/geoblock"
    assert KEY not in repr(s) and "pm-canary-passphrase-7f3a" not in repr(s)
    record = logging.makeLogRecord({"msg": f"leak {KEY} and pm-canary-passphrase-7f3a"})
    line = JsonFormatter().format(record)
    assert KEY not in line and "pm-canary-passphrase-7f3a" not in line


@pytest.mark.parametrize(
    "overrides",
    [
        {"private_key": "0x1234"},
        {"funder": "not-an-address"},
        {"api_key": "k", "api_secret": "changeme", "api_passphrase": "p"},
        {"api_key": "k"},
        {"signature_type": 7},
    ],
)
def test_settings_refuse_bad_values(overrides: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        PolymarketSettings(**overrides)  # type: ignore[arg-type]


VENUE_MIN_SHARES = Decimal(5)  # Gamma's usual orderMinSize; smaller orders are refused before amounts matter


@settings(max_examples=300, deadline=None, derandomize=True)  # the same examples on every CI run
@given(
    tick=st.sampled_from(sorted(AMOUNT_DECIMALS)),
    steps=st.integers(min_value=1, max_value=10_000),
    cents=st.integers(min_value=1, max_value=100_000),
)
def test_market_buy_amounts_fit_the_venue_caps_and_stay_within_the_limit(tick: Decimal, steps: int, cents: int) -> None:
    price = tick * steps
    if not tick <= price <= 1 - tick:
        return
    size = Decimal(cents) / 100
    if size * price < Decimal("0.01"):
        with pytest.raises(PriceError):
            market_buy_amounts(price, size, tick)
        return
    amounts = market_buy_amounts(price, size, tick)
    assert amounts.maker_amount % 10_000 == 0 and amounts.taker_amount % 100 == 0  # 2 and 4 decimals
    spend, shares = Decimal(amounts.maker_amount) / UNIT, Decimal(amounts.taker_amount) / UNIT
    assert spend <= size * price and shares <= size  # never more money or shares than asked for
    if size >= VENUE_MIN_SHARES:  # below the venue's minimum order the 4-decimal shares cannot carry the price
        assert (spend / shares / tick).quantize(Decimal(1)) * tick == price  # the venue rounds back to the price


def test_order_amounts_use_market_precision_only_for_fak_and_fok_buys() -> None:
    price, size, tick = Decimal("0.57"), Decimal("7.33"), Decimal("0.01")
    limit = limit_amounts("BUY", price, size, tick)
    assert limit.maker_amount == 4_178_100  # 4.1781 pUSD: fine for a limit order
    for kind in ("FAK", "FOK"):
        market = order_amounts("BUY", price, size, tick, kind)
        assert (market.maker_amount, market.taker_amount) == (4_170_000, 7_315_700)  # 4.17 pUSD, 7.3157 shares
    assert order_amounts("BUY", price, size, tick, "GTC") == limit
    assert order_amounts("SELL", price, size, tick, "FAK") == limit_amounts("SELL", price, size, tick)
