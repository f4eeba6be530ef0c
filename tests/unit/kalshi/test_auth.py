"""RSA-PSS request signing as Kalshi documents it, checked against an independent verifier."""

from __future__ import annotations

import base64

import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding

from markets.kalshi.auth import KalshiSigner, KeyLoadError, load_private_key, signing_message
from markets.sim.kalshi.auth import AuthFailure, KeyRegistry
from tests.unit.kalshi.keys import pkcs1_pem, pkcs8_pem, private_key

NOW_S = 1_703_123_456.789


def test_message_is_timestamp_method_path_without_query() -> None:
    assert signing_message(1703123456789, "get", "/trade-api/v2/portfolio/balance") == (
        b"1703123456789GET/trade-api/v2/portfolio/balance"
    )
    assert signing_message(1, "DELETE", "/trade-api/v2/portfolio/orders?ticker=X&limit=5") == (
        b"1DELETE/trade-api/v2/portfolio/orders"
    )


def test_headers_verify_with_pss_sha256_salt_32() -> None:
    key = private_key()
    signer = KalshiSigner("key-1", key, clock=lambda: NOW_S)
    headers = signer.headers("POST", "/trade-api/v2/portfolio/events/orders?x=1")
    assert headers["KALSHI-ACCESS-KEY"] == "key-1"
    assert headers["KALSHI-ACCESS-TIMESTAMP"] == "1703123456789"
    signature = base64.b64decode(headers["KALSHI-ACCESS-SIGNATURE"], validate=True)  # standard base64
    message = b"1703123456789POST/trade-api/v2/portfolio/events/orders"
    key.public_key().verify(
        signature, message, padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=32), hashes.SHA256()
    )
    with pytest.raises(InvalidSignature):
        key.public_key().verify(
            signature, message + b"x", padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=32), hashes.SHA256()
        )


@pytest.mark.parametrize("encode", [pkcs1_pem, pkcs8_pem], ids=["pkcs1", "pkcs8"])
def test_loads_pkcs1_and_pkcs8(encode: object) -> None:
    key = private_key()
    loaded = load_private_key(encode(key))  # type: ignore[operator]
    assert loaded.public_key().public_numbers() == key.public_key().public_numbers()


def test_bad_pem_is_refused_without_echoing_it() -> None:
    with pytest.raises(KeyLoadError) as info:
        load_private_key("-----BEGIN PRIVATE KEY-----\nc2VjcmV0\n-----END PRIVATE KEY-----\n")
    assert "c2VjcmV0" not in str(info.value)
    assert "key_id" in repr(KalshiSigner("k", private_key())) and "PRIVATE" not in repr(
        KalshiSigner("k", private_key())
    )


def test_simulator_verifier_accepts_and_refuses() -> None:
    key = private_key()
    registry = KeyRegistry({"key-1": key.public_key()}, max_skew_s=5, clock=lambda: NOW_S)
    path = "/trade-api/v2/portfolio/balance"
    good = {k.lower(): v for k, v in KalshiSigner("key-1", key, clock=lambda: NOW_S).headers("GET", path).items()}
    assert registry.verify(good, "GET", path) == "key-1"
    with pytest.raises(AuthFailure, match="invalid signature"):
        registry.verify(good, "GET", "/trade-api/v2/portfolio/fills")
    with pytest.raises(AuthFailure, match="invalid signature"):
        registry.verify(good, "POST", path)
    skewed = {k.lower(): v for k, v in KalshiSigner("key-1", key, clock=lambda: NOW_S - 6).headers("GET", path).items()}
    with pytest.raises(AuthFailure, match="away from server time"):
        registry.verify(skewed, "GET", path)
    with pytest.raises(AuthFailure, match="unknown API key"):
        registry.verify({**good, "kalshi-access-key": "other"}, "GET", path)
    with pytest.raises(AuthFailure, match="missing"):
        registry.verify({}, "GET", path)
