"""Order-entry headers signed ahead: each valid for its own timestamp, used once, never older than the limit."""

from __future__ import annotations

import asyncio
import base64

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from markets.kalshi.auth import HEADER_SIGNATURE, HEADER_TIMESTAMP, PSS_SALT_LENGTH, KalshiSigner, signing_message

PATH = "/trade-api/v2/portfolio/events/orders"
KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _verifies(headers: dict[str, str], method: str = "POST", path: str = PATH) -> bool:
    message = signing_message(int(headers[HEADER_TIMESTAMP]), method, path)
    pss = padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=PSS_SALT_LENGTH)
    try:
        KEY.public_key().verify(base64.b64decode(headers[HEADER_SIGNATURE]), message, pss, hashes.SHA256())
    except Exception:  # noqa: BLE001 - any failure means "does not verify"
        return False
    return True


async def _ready(signer: KalshiSigner, count: int) -> None:
    async with asyncio.timeout(10):
        while len(signer._ready[("POST", PATH)]) < count:
            await asyncio.sleep(0.01)


async def test_presigned_headers_verify_and_each_is_used_once() -> None:
    now = [1_800_000_000.0]
    signer = KalshiSigner("key", KEY, clock=lambda: now[0])
    signer.presign("POST", PATH, depth=2)
    await _ready(signer, 2)
    first, second = signer.headers("POST", PATH), signer.headers("POST", PATH + "?x=1")
    assert signer.presigned_used == 2
    assert first[HEADER_SIGNATURE] != second[HEADER_SIGNATURE]
    assert _verifies(first) and _verifies(second)
    await _ready(signer, 2)  # taking them made fresh ones


async def test_a_stale_presigned_header_is_never_sent() -> None:
    now = [1_800_000_000.0]
    signer = KalshiSigner("key", KEY, clock=lambda: now[0])
    signer.presign("POST", PATH, depth=1)
    await _ready(signer, 1)
    now[0] += signer.max_age_s + 0.5
    headers = signer.headers("POST", PATH)
    assert signer.presigned_used == 0
    assert int(headers[HEADER_TIMESTAMP]) == int(now[0] * 1000) and _verifies(headers)


@pytest.mark.parametrize("method,path", [("GET", PATH), ("POST", "/trade-api/v2/portfolio/orders")])
async def test_other_requests_are_signed_inline(method: str, path: str) -> None:
    signer = KalshiSigner("key", KEY, clock=lambda: 1_800_000_000.0)
    signer.presign("POST", PATH, depth=1)
    await _ready(signer, 1)
    headers = signer.headers(method, path)
    assert signer.presigned_used == 0 and _verifies(headers, method, path)


async def test_a_header_signed_before_the_clock_moved_back_is_never_sent() -> None:
    now = [1_800_000_600.0]
    signer = KalshiSigner("key", KEY, clock=lambda: now[0])
    signer.presign("POST", PATH, depth=1)
    await _ready(signer, 1)
    now[0] -= 600.0  # corrected clock: the header made ahead carries a timestamp from the future
    headers = signer.headers("POST", PATH)
    assert signer.presigned_used == 0 and int(headers[HEADER_TIMESTAMP]) == int(now[0] * 1000)
