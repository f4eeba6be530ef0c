"""Signing: the production clients are accepted; a tampered signature, an unknown key and a skewed clock are not."""

from __future__ import annotations

import time
from decimal import Decimal

import pytest

from markets.kalshi.auth import KalshiSigner
from markets.kalshi.rest import KalshiRestClient
from markets.kalshi.ws import KalshiWebSocket
from shared.errors import AuthOrClock
from tests.integration.kalshi.conftest import KEY_A, Sim
from tests.unit.kalshi.keys import private_key


class TamperingSigner(KalshiSigner):
    """Signs correctly, then flips one character of the signature."""

    def headers(self, method: str, path: str) -> dict[str, str]:
        headers = super().headers(method, path)
        sig = headers["KALSHI-ACCESS-SIGNATURE"]
        headers["KALSHI-ACCESS-SIGNATURE"] = ("A" if sig[0] != "A" else "B") + sig[1:]
        return headers


async def test_signed_requests_are_accepted(sim: Sim) -> None:
    client = sim.rest()
    balance = await client.get_balance()
    assert balance.balance == Decimal(1000)
    assert (await client.list_orders()).items == ()


@pytest.mark.parametrize(
    "make_signer",
    [
        lambda sim: TamperingSigner(KEY_A, sim.keys[KEY_A]),
        lambda sim: KalshiSigner(KEY_A, private_key(7)),  # right key id, wrong private key
        lambda sim: KalshiSigner("unknown-key", sim.keys[KEY_A]),
        lambda sim: KalshiSigner(KEY_A, sim.keys[KEY_A], clock=lambda: time.time() - 600),  # 10 min behind
    ],
    ids=["tampered", "wrong-key", "unknown-key-id", "skewed-clock"],
)
async def test_refused_with_401_auth_or_clock_and_not_retried(sim: Sim, make_signer: object) -> None:
    signer = make_signer(sim)  # type: ignore[operator]
    client = KalshiRestClient(sim.settings(), signer=signer)
    try:
        with pytest.raises(AuthOrClock) as info:
            await client.get_balance()
        assert info.value.status == 401 and info.value.code == "unauthorized"
        assert client.retries == 0
        with pytest.raises(AuthOrClock):  # a signed public read is verified too
            await client.get_market("KXNBAGAME-26NOV23LALBOS-BOS")
    finally:
        await client.aclose()


async def test_portfolio_needs_a_signature(sim: Sim) -> None:
    client = KalshiRestClient(sim.settings().model_copy(update={"api_key_id": None, "private_key_pem": None}))
    try:
        assert (await client.get_market("KXNBAGAME-26NOV23LALBOS-BOS")).status == "active"  # public: no auth needed
        with pytest.raises(AuthOrClock):
            await client.get_balance()
    finally:
        await client.aclose()


async def test_websocket_handshake_with_a_bad_signature_raises(sim: Sim) -> None:
    ws = KalshiWebSocket(sim.ws_url, TamperingSigner(KEY_A, sim.keys[KEY_A]))
    with pytest.raises(AuthOrClock):
        await ws.run()
    skewed = KalshiWebSocket(sim.ws_url, KalshiSigner(KEY_A, sim.keys[KEY_A], clock=lambda: time.time() + 600))
    with pytest.raises(AuthOrClock):
        await skewed.run()
