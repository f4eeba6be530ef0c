"""``ClobTrader`` with the fast signer against py-clob-client-v2's own ``OrderBuilder`` and ``ClobClient.post_order``.

The library builds a limit order from float ``price``/``size`` (``OrderBuilder.build_order``) and posts it
with ``ClobClient.post_order``; with the same salt, timestamp and clock, the trader must produce the same
signature, the same order hash, and send the same body with the same L2 headers. The library's float
amounts are also compared with ours (:mod:`markets.polymarket.amounts`) over random orders: they agree
except where the float floor of the size loses a cent of shares (4.35 * 100 = 434.999...).
"""

from __future__ import annotations

import base64
import contextlib
import functools
from collections.abc import Iterator
from datetime import datetime
from decimal import Decimal
from types import SimpleNamespace
from typing import Any
from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from py_clob_client_v2 import ApiCreds, ClobClient
from py_clob_client_v2.clob_types import CreateOrderOptions, OrderArgs
from py_clob_client_v2.config import get_contract_config
from py_clob_client_v2.headers import headers as library_headers
from py_clob_client_v2.order_builder import builder as library_builder
from py_clob_client_v2.order_builder.builder import ROUNDING_CONFIG, OrderBuilder
from py_clob_client_v2.order_utils import ExchangeOrderBuilderV2, SignatureTypeV2
from py_clob_client_v2.signer import Signer

from markets.polymarket import trading
from markets.polymarket.amounts import limit_amounts
from markets.polymarket.config import PolymarketSettings
from markets.polymarket.geoblock import TradingGate
from markets.polymarket.trading import ClobTrader, OrderType
from markets.polymarket.types import Side

KEY = "0x" + "8da4ef21b864d2cc526dbdb2a120bd2874c36c9d0a1fb7f8c63d7f7a8b41de8f"
CREDS = ApiCreds("0b9cdb3a-1d4c-4a6c-9a59-2f0d5e0c7a11", base64.urlsafe_b64encode(b"k" * 32).decode(), "pass-phrase")
TOKEN = "52114319501245915516055106046884209969926127482827954674443846427813813222426"
SALT = 8_007_199_254_740_991
TS_MS = 1_767_225_600_456
NOW = datetime(2026, 1, 1, 12, 0, 0)
FUNDER = "0x2222222222222222222222222222222222222222"
CONTRACTS = get_contract_config(137)
TICKS = (Decimal("0.01"), Decimal("0.001"))


def _trader(signature_type: int = 0, funder: str | None = None) -> ClobTrader:
    settings = PolymarketSettings(
        clob_url="http://127.0.0.1:9", private_key=KEY, signature_type=signature_type, funder=funder,
        api_key=CREDS.api_key, api_secret=CREDS.api_secret, api_passphrase=CREDS.api_passphrase,
    )  # fmt: skip
    return ClobTrader(settings, TradingGate())


@contextlib.contextmanager
def _fixed_salt_and_clock() -> Iterator[None]:
    """The library's and the trader's salt, order timestamp and L2 header clock, all fixed."""
    clock = SimpleNamespace(time_ns=lambda: TS_MS * 1_000_000)
    salted = functools.partial(ExchangeOrderBuilderV2, generate_salt=lambda: str(SALT))
    with (
        mock.patch.object(library_builder, "time", clock),
        mock.patch.object(library_builder, "ExchangeOrderBuilderV2", salted),
        mock.patch.object(trading, "time", clock),
        mock.patch.object(trading, "_salt", lambda: SALT),
        mock.patch.object(library_headers, "datetime", SimpleNamespace(now=lambda: NOW)),
    ):
        yield


def _library_post(signed: Any, order_type: str, post_only: bool, signature_type: int, funder: str | None) -> Any:
    """What ``ClobClient.post_order`` sends: (headers, body)."""
    client = ClobClient(
        "http://127.0.0.1:9", chain_id=137, key=KEY, creds=CREDS, signature_type=signature_type, funder=funder
    )
    sent: dict[str, Any] = {}

    def capture(endpoint: str, headers: Any = None, data: Any = None, params: Any = None) -> Any:
        sent.update(headers=headers, body=data)
        return {"success": True, "orderID": "", "status": "live", "tradeIDs": []}

    with mock.patch.object(ClobClient, "_post", staticmethod(capture)):
        client.post_order(signed, order_type, post_only)
    return sent["headers"], sent["body"]


def _our_post(trader: ClobTrader, signed: trading.SignedOrder, order_type: OrderType, post_only: bool) -> Any:
    sent: dict[str, Any] = {}

    def capture(url: str, headers: Any, body: str, timeout_s: float) -> Any:
        sent.update(headers=headers, body=body)
        return {"success": True}

    with mock.patch.object(trading, "_post_once", capture):
        trader._post_sync(signed, order_type, post_only)
    return sent["headers"], sent["body"]


def _library_order(side: str, price: Decimal, size: str, tick: Decimal, neg_risk: bool, **kw: Any) -> Any:
    signature_type, funder = kw.get("signature_type", 0), kw.get("funder")
    builder = OrderBuilder(Signer(KEY, 137), SignatureTypeV2(signature_type), funder)
    args = OrderArgs(
        token_id=TOKEN, price=float(price), size=float(size), side=side, expiration=kw.get("expiration", 0)
    )
    signed = builder.build_order(args, CreateOrderOptions(tick_size=str(tick), neg_risk=neg_risk))
    exchange = CONTRACTS.neg_risk_exchange_v2 if neg_risk else CONTRACTS.exchange_v2
    hasher = ExchangeOrderBuilderV2(exchange, 137, Signer(KEY, 137))
    return signed, hasher.build_order_hash(hasher.build_order_typed_data(signed))


def _cases() -> list[tuple[str, Decimal, bool, Decimal, str, OrderType, bool]]:
    cases: list[tuple[str, Decimal, bool, Decimal, str, OrderType, bool]] = []
    for tick in TICKS:
        for side in ("BUY", "SELL"):
            for neg_risk in (False, True):
                for price, size in ((tick, "1000.01"), (Decimal("0.42"), "7.33"), (1 - tick, "5")):
                    cases.append((side, tick, neg_risk, price, size, "GTC", False))
                cases.append((side, tick, neg_risk, Decimal("0.5") + tick, "123.45", "GTD", True))
    return cases


@pytest.mark.parametrize(("side", "tick", "neg_risk", "price", "size", "order_type", "post_only"), _cases())
def test_the_trader_signs_and_posts_what_the_library_would(
    side: str, tick: Decimal, neg_risk: bool, price: Decimal, size: str, order_type: OrderType, post_only: bool
) -> None:
    expiration = 1_767_229_200 if order_type == "GTD" else 0
    trader = _trader()
    with _fixed_salt_and_clock():
        ours = trader.sign_limit_order(
            TOKEN, side, price, Decimal(size), tick_size=tick, neg_risk=neg_risk,  # type: ignore[arg-type]
            expiration=expiration, order_type=order_type,
        )  # fmt: skip
        library, library_hash = _library_order(side, price, size, tick, neg_risk, expiration=expiration)
        assert ours.signed.signature == library.signature
        assert ours.order_id == library_hash
        assert _our_post(trader, ours, order_type, post_only) == _library_post(library, order_type, post_only, 0, None)


@pytest.mark.parametrize("signature_type", [1, 2, 3])
def test_proxy_safe_and_1271_traders_sign_and_post_what_the_library_would(signature_type: int) -> None:
    trader = _trader(signature_type, FUNDER)
    with _fixed_salt_and_clock():
        ours = trader.sign_limit_order(
            TOKEN, "BUY", Decimal("0.371"), Decimal("19.5"), tick_size=Decimal("0.001"), neg_risk=True
        )
        library, library_hash = _library_order(
            "BUY", Decimal("0.371"), "19.5", Decimal("0.001"), True, signature_type=signature_type, funder=FUNDER
        )
        assert (ours.signed.signature, ours.order_id) == (library.signature, library_hash)
        posted = _library_post(library, "GTC", False, signature_type, FUNDER)
        assert _our_post(trader, ours, "GTC", False) == posted


def test_where_the_library_floors_a_float_size_we_keep_the_exact_size() -> None:
    price, tick = Decimal("0.42"), Decimal("0.01")
    side: Side = "BUY"
    assert float("4.35") * 100 < 435  # the float the library floors
    library = OrderBuilder(Signer(KEY, 137)).get_order_amounts(side, 4.35, 0.42, ROUNDING_CONFIG["0.01"])
    ours = limit_amounts(side, price, Decimal("4.35"), tick)
    assert (ours.maker_amount, ours.taker_amount) == (1_827_000, 4_350_000)
    one_cent_less = limit_amounts(side, price, Decimal("4.34"), tick)
    assert library[1:] == (one_cent_less.maker_amount, one_cent_less.taker_amount)


@settings(max_examples=300, deadline=None)
@given(
    tick=st.sampled_from(TICKS),
    step=st.integers(1, 999),
    cents=st.integers(1, 10_000_000),
    side=st.sampled_from(["BUY", "SELL"]),
)
def test_our_limit_amounts_are_the_librarys_wherever_its_float_floor_is_exact(
    tick: Decimal, step: int, cents: int, side: Side
) -> None:
    price = tick * (step % (int(1 / tick) - 1) + 1)
    size = Decimal(cents) / 100
    _, maker, taker = OrderBuilder(Signer(KEY, 137)).get_order_amounts(
        side, float(size), float(price), ROUNDING_CONFIG[str(tick)]
    )
    ours = limit_amounts(side, price, size, tick)
    if int(float(size) * 100) == cents:
        assert (maker, taker) == (ours.maker_amount, ours.taker_amount)
    else:  # the float floor lost a cent of shares
        less = limit_amounts(side, price, size - Decimal("0.01"), tick)
        assert (maker, taker) == (less.maker_amount, less.taker_amount)
