"""Our V2 order signer against py-clob-client-v2's: the same signature, order hash and ``POST /order`` body.

The library's path is ``ExchangeOrderBuilderV2`` (what ``ClobTrader`` used before, fed with our exact
amounts) and, for limit orders, its whole ``OrderBuilder.build_order`` (its own float amounts), both
with a fixed salt and timestamp. Everything compared is compared as bytes/strings: nothing is rounded.
"""

from __future__ import annotations

import dataclasses
import json
from decimal import Decimal
from typing import Any

import pytest
from eth_account import Account
from hypothesis import given, settings
from hypothesis import strategies as st
from py_clob_client_v2.config import get_contract_config
from py_clob_client_v2.order_utils import ExchangeOrderBuilderV2, OrderDataV2, Side, SignatureTypeV2, SignedOrderV2
from py_clob_client_v2.order_utils.model.order_data_v2 import order_to_json_v2
from py_clob_client_v2.signer import Signer

from markets.polymarket.amounts import order_amounts
from markets.polymarket.signing import FastOrderSigner, post_body
from markets.polymarket.signing.abi import address, bytes32, decimal_uint256, uint256
from markets.polymarket.signing.ecdsa import private_key, sign_digest

KEY = "0x" + "4f3edf983ac636a65a842ce7c78d9aa706d3b113bce9c46f30d7d21715b23b1d"
CONTRACTS = get_contract_config(137)
EXCHANGES = {False: CONTRACTS.exchange_v2, True: CONTRACTS.neg_risk_exchange_v2}
TOKEN = "71321045679252212594626385532706912750332728571942532289631379312455583992563"
SALT = 4_503_599_627_370_495
TS_MS = 1_767_225_600_123
FUNDER = "0x1111111111111111111111111111111111111111"
TICKS = (Decimal("0.01"), Decimal("0.001"))


def _library(
    key: str, side: str, maker_amount: int, taker_amount: int, *, neg_risk: bool, salt: int, ts_ms: int,
    expiration: int = 0, signature_type: int = 0, funder: str | None = None, token: str = TOKEN,
    owner: str = "owner", order_type: str = "GTC", post_only: bool = False,
) -> tuple[str, str, str]:  # fmt: skip
    """(signature, order hash, serialized body) exactly as trading.py built them with the library."""
    lib_signer = Signer(key, 137)
    builder = ExchangeOrderBuilderV2(EXCHANGES[neg_risk], 137, lib_signer, generate_salt=lambda: str(salt))
    maker = funder or lib_signer.address()
    order = builder.build_order(
        OrderDataV2(
            maker=maker, tokenId=token, makerAmount=str(maker_amount), takerAmount=str(taker_amount),
            side=Side.BUY if side == "BUY" else Side.SELL,
            signer=maker if signature_type == 3 else lib_signer.address(),
            signatureType=SignatureTypeV2(signature_type), timestamp=str(ts_ms),
            metadata="0x" + "0" * 64, builder="0x" + "0" * 64, expiration=str(expiration),
        )
    )  # fmt: skip
    typed = builder.build_order_typed_data(order)
    signed = SignedOrderV2(**dataclasses.asdict(order), signature=builder.build_order_signature(typed))
    body = order_to_json_v2(signed, owner, order_type, post_only, False)
    return signed.signature, builder.build_order_hash(typed), _serialized(body)


def _serialized(body: Any) -> str:
    return json.dumps(body, separators=(",", ":"), ensure_ascii=False)


def _grid() -> list[tuple[str, Decimal, bool, Decimal, str]]:
    cases = []
    for tick in TICKS:
        prices = (tick, Decimal("0.5"), Decimal("0.37") + (tick if tick < Decimal("0.01") else 0), 1 - tick)
        for side in ("BUY", "SELL"):
            for neg_risk in (False, True):
                for price in prices:
                    for size in ("5", "7.33", "123.45"):
                        cases.append((side, tick, neg_risk, price, size))
    return cases


@pytest.mark.parametrize(("side", "tick", "neg_risk", "price", "size"), _grid())
def test_the_grid_signs_hashes_and_posts_exactly_as_the_library(
    side: str, tick: Decimal, neg_risk: bool, price: Decimal, size: str
) -> None:
    amounts = order_amounts(side, price, Decimal(size), tick, "GTC")  # type: ignore[arg-type]
    ours = FastOrderSigner(KEY, 137, EXCHANGES).sign(
        TOKEN, side, amounts.maker_amount, amounts.taker_amount,  # type: ignore[arg-type]
        neg_risk=neg_risk, salt=SALT, timestamp_ms=TS_MS,
    )  # fmt: skip
    signature, order_hash, body = _library(
        KEY, side, amounts.maker_amount, amounts.taker_amount, neg_risk=neg_risk, salt=SALT, ts_ms=TS_MS
    )
    assert ours.signature == signature
    assert ours.order_hash == order_hash
    assert _serialized(post_body(ours, "owner", "GTC")) == body


_ORDER_TYPES = st.sampled_from(["GTC", "GTD", "FOK", "FAK"])


@st.composite
def _orders(draw: st.DrawFn) -> dict[str, Any]:
    tick = draw(st.sampled_from(TICKS))
    steps = int(1 / tick)
    price = tick * draw(st.integers(1, steps - 1))
    size = Decimal(draw(st.integers(1, 10_000_000))) / 100
    side = draw(st.sampled_from(["BUY", "SELL"]))
    order_type = draw(_ORDER_TYPES)
    if side == "BUY" and order_type in ("FAK", "FOK") and size * price < Decimal("0.01"):
        size = Decimal(1) / price  # worth at least 0.01 pUSD after the 0.01-share floor
    amounts = order_amounts(side, price, size, tick, order_type)  # type: ignore[arg-type]
    return {
        "side": side,
        "maker_amount": amounts.maker_amount,
        "taker_amount": amounts.taker_amount,
        "neg_risk": draw(st.booleans()),
        "salt": draw(st.integers(0, 2**53 - 1)),
        "ts_ms": draw(st.integers(1_600_000_000_000, 2_000_000_000_000)),
        "expiration": draw(st.sampled_from([0, 1_767_225_900])),
        "token": str(draw(st.integers(0, 2**256 - 1))),
        "order_type": order_type,
        "post_only": draw(st.booleans()) and order_type in ("GTC", "GTD"),
    }


@settings(max_examples=150, deadline=None)
@given(order=_orders(), key=st.binary(min_size=32, max_size=32))
def test_random_orders_sign_hash_and_post_exactly_as_the_library(order: dict[str, Any], key: bytes) -> None:
    try:
        hex_key = "0x" + key.hex()
        signer = FastOrderSigner(hex_key, 137, EXCHANGES)
    except ValueError:  # zero or over the curve order: not a key
        return
    ours = signer.sign(
        order["token"], order["side"], order["maker_amount"], order["taker_amount"], neg_risk=order["neg_risk"],
        salt=order["salt"], timestamp_ms=order["ts_ms"], expiration=order["expiration"],
    )  # fmt: skip
    signature, order_hash, body = _library(hex_key, **order)
    assert (ours.signature, ours.order_hash) == (signature, order_hash)
    wire = post_body(ours, "owner", order["order_type"], post_only=order["post_only"])
    assert _serialized(wire) == body


@pytest.mark.parametrize("signature_type", [1, 2, 3])
@pytest.mark.parametrize("neg_risk", [False, True])
def test_proxy_safe_and_1271_signers_match_the_library(signature_type: int, neg_risk: bool) -> None:
    signer = FastOrderSigner(KEY, 137, EXCHANGES, signature_type=signature_type, funder=FUNDER)
    ours = signer.sign(TOKEN, "SELL", 7_330_000, 3_664_999, neg_risk=neg_risk, salt=SALT, timestamp_ms=TS_MS)
    expected = _library(
        KEY, "SELL", 7_330_000, 3_664_999, neg_risk=neg_risk, salt=SALT, ts_ms=TS_MS,
        signature_type=signature_type, funder=FUNDER,
    )  # fmt: skip
    assert (ours.signature, ours.order_hash, _serialized(post_body(ours, "owner", "GTC"))) == expected
    assert ours.order.maker == FUNDER
    assert ours.order.signer == (FUNDER if signature_type == 3 else Account.from_key(KEY).address)


def test_the_signature_recovers_to_the_key_and_v_is_27_or_28() -> None:
    signer = FastOrderSigner(KEY, 137, EXCHANGES)
    assert signer.address == Account.from_key(KEY).address
    digest = bytes(range(32))
    signature = sign_digest(private_key(KEY), digest)
    assert len(signature) == 65 and signature[64] in (27, 28)
    assert Account._recover_hash(digest, signature=signature) == signer.address


def test_the_neg_risk_domain_differs_and_both_are_precomputed() -> None:
    signer = FastOrderSigner(KEY, 137, EXCHANGES)
    assert signer.domain(False) != signer.domain(True)
    one = signer.sign(TOKEN, "BUY", 4_000_000, 10_000_000, neg_risk=False, salt=1, timestamp_ms=TS_MS)
    other = signer.sign(TOKEN, "BUY", 4_000_000, 10_000_000, neg_risk=True, salt=1, timestamp_ms=TS_MS)
    assert one.order_hash != other.order_hash and one.order == other.order


@pytest.mark.parametrize(
    ("token", "side", "salt"),
    [("12a", "BUY", 1), ("-1", "BUY", 1), (str(2**256), "BUY", 1), ("1", "HOLD", 1), ("1", "BUY", -1)],
)
def test_values_outside_their_types_are_refused(token: str, side: str, salt: int) -> None:
    signer = FastOrderSigner(KEY, 137, EXCHANGES)
    with pytest.raises(ValueError):
        signer.sign(token, side, 1, 1, neg_risk=False, salt=salt, timestamp_ms=TS_MS)  # type: ignore[arg-type]


def test_abi_words_refuse_what_does_not_fit() -> None:
    assert uint256(1) == bytes(31) + b"\x01" and decimal_uint256("42") == 42
    assert address(FUNDER) == bytes(12) + bytes.fromhex("11" * 20)
    assert bytes32("0x01") == bytes(31) + b"\x01"
    with pytest.raises(ValueError):
        uint256(2**256)
    with pytest.raises(ValueError):
        address("0x11")
    with pytest.raises(ValueError):
        bytes32("0x" + "0" * 66)
    with pytest.raises(ValueError):
        FastOrderSigner("0x1234", 137, EXCHANGES)
    with pytest.raises(ValueError):
        FastOrderSigner(KEY, 137, EXCHANGES, signature_type=4)
