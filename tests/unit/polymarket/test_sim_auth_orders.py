"""The simulator's L1/L2 checks and V2 order decoding, against py-clob-client-v2's own signing code."""

from __future__ import annotations

import dataclasses
import time

import pytest
from eth_account import Account
from py_clob_client_v2.clob_types import ApiCreds, RequestArgs
from py_clob_client_v2.headers.headers import create_level_1_headers, create_level_2_headers
from py_clob_client_v2.order_utils import ExchangeOrderBuilderV2, OrderDataV2, Side, SignatureTypeV2, SignedOrderV2
from py_clob_client_v2.order_utils.model.order_data_v2 import order_to_json_v2
from py_clob_client_v2.signer import Signer

from markets.sim.polymarket.auth import ApiKeys, AuthError
from markets.sim.polymarket.exchange import OrderError
from markets.sim.polymarket.orders import EXCHANGE_V2, NEG_RISK_EXCHANGE_V2, decode


def _lower(headers: dict[str, str]) -> dict[str, str]:
    return {k.lower(): v for k, v in headers.items()}


@pytest.fixture
def signer() -> Signer:
    return Signer(Account.create().key.hex(), 137)


def test_l1_creates_then_derives_the_same_key_and_l2_checks_every_byte(signer: Signer) -> None:
    keys = ApiKeys(137, b"seed")
    address, nonce = keys.verify_l1(_lower(create_level_1_headers(signer, nonce=3)))
    assert (address, nonce) == (signer.address(), 3)
    created = keys.create(address, nonce)
    with pytest.raises(AuthError) as again:
        keys.create(address, nonce)
    assert again.value.status == 400
    assert keys.derive(address, nonce) == created
    creds = ApiCreds(created.api_key, created.secret, created.passphrase)
    body = '{"orderID":"0x01"}'
    args = RequestArgs(method="DELETE", request_path="/order", body=None, serialized_body=body)
    headers = _lower(create_level_2_headers(signer, creds, args))
    assert keys.verify_l2("DELETE", "/order", body.encode(), headers) == created
    for method, path, sent in (("DELETE", "/order", b'{"orderID":"0x02"}'), ("POST", "/order", body.encode())):
        with pytest.raises(AuthError):
            keys.verify_l2(method, path, sent, headers)
    with pytest.raises(AuthError):
        keys.verify_l2("DELETE", "/order", body.encode(), headers | {"poly_passphrase": "x"})
    old = _lower(create_level_2_headers(signer, creds, args, timestamp=int(time.time()) - 120))
    with pytest.raises(AuthError):
        keys.verify_l2("DELETE", "/order", body.encode(), old)


def test_l1_signed_for_another_address_or_chain_is_refused(signer: Signer) -> None:
    keys = ApiKeys(137, b"seed")
    headers = _lower(create_level_1_headers(signer))
    with pytest.raises(AuthError):
        keys.verify_l1(headers | {"poly_address": Account.create().address})
    with pytest.raises(AuthError):
        keys.verify_l1(_lower(create_level_1_headers(Signer(signer.private_key, 80002))))


def _signed(signer: Signer, exchange: str) -> tuple[dict[str, object], str]:
    builder = ExchangeOrderBuilderV2(exchange, 137, signer)
    order = builder.build_order(
        OrderDataV2(
            maker=signer.address(), tokenId="42", makerAmount="4000000", takerAmount="10000000", side=Side.BUY,
            signer=signer.address(), signatureType=SignatureTypeV2.EOA,
        )
    )  # fmt: skip
    typed = builder.build_order_typed_data(order)
    signed = SignedOrderV2(**dataclasses.asdict(order), signature=builder.build_order_signature(typed))
    return order_to_json_v2(signed, "owner", "GTC")["order"], builder.build_order_hash(typed)


def test_v2_orders_decode_to_the_clients_expected_hash_and_exact_price(signer: Signer) -> None:
    wire, expected = _signed(signer, EXCHANGE_V2)
    order = decode(wire, chain_id=137, neg_risk=False)
    assert order.order_hash == expected and str(order.price) == "0.4" and str(order.size) == "10"
    neg_wire, neg_expected = _signed(signer, NEG_RISK_EXCHANGE_V2)
    assert decode(neg_wire, chain_id=137, neg_risk=True).order_hash == neg_expected
    with pytest.raises(OrderError, match="invalid order signature"):
        decode(wire, chain_id=137, neg_risk=True)  # signed for the other exchange


def test_tampered_or_v1_orders_are_refused(signer: Signer) -> None:
    wire, _ = _signed(signer, EXCHANGE_V2)
    with pytest.raises(OrderError, match="invalid order signature"):
        decode(wire | {"makerAmount": "5000000"}, chain_id=137, neg_risk=False)
    v1 = {k: v for k, v in wire.items() if k not in ("timestamp", "metadata", "builder")}
    v1 |= {"taker": "0x" + "0" * 40, "nonce": "0", "feeRateBps": "0"}
    with pytest.raises(OrderError, match="order_version_mismatch"):
        decode(v1, chain_id=137, neg_risk=False)
