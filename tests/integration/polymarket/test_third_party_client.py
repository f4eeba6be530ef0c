"""A client we did not write: plain httpx + websockets following Polymarket's docs, against the simulator.

L1 (EIP-712 ``ClobAuth``) and L2 (HMAC) are done inline here from the documentation; only the EIP-712
V2 order itself is built with py-clob-client-v2's order builder. Nothing from ``markets.polymarket`` is
used.
"""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import hmac
import json
import time
from typing import Any

import websockets
from eth_account import Account
from eth_account.messages import encode_typed_data
from eth_account.signers.local import LocalAccount
from py_clob_client_v2.order_utils import ExchangeOrderBuilderV2, OrderDataV2, Side, SignatureTypeV2, SignedOrderV2
from py_clob_client_v2.signer import Signer

from tests.integration.polymarket.conftest import Sim

EXCHANGE_V2 = "0xE111180000d2663C0091e4f400237545B87B996B"


def l1_headers(account: LocalAccount, nonce: int = 0) -> dict[str, str]:
    timestamp = str(int(time.time()))
    typed = {
        "types": {
            "EIP712Domain": [
                {"name": "name", "type": "string"},
                {"name": "version", "type": "string"},
                {"name": "chainId", "type": "uint256"},
            ],
            "ClobAuth": [
                {"name": "address", "type": "address"},
                {"name": "timestamp", "type": "string"},
                {"name": "nonce", "type": "uint256"},
                {"name": "message", "type": "string"},
            ],
        },
        "primaryType": "ClobAuth",
        "domain": {"name": "ClobAuthDomain", "version": "1", "chainId": 137},
        "message": {
            "address": account.address,
            "timestamp": timestamp,
            "nonce": nonce,
            "message": "This message attests that I control the given wallet",
        },
    }
    signed = account.sign_message(encode_typed_data(full_message=typed))
    return {
        "POLY_ADDRESS": account.address,
        "POLY_SIGNATURE": "0x" + signed.signature.hex().removeprefix("0x"),
        "POLY_TIMESTAMP": timestamp,
        "POLY_NONCE": str(nonce),
    }


def l2_headers(account: LocalAccount, creds: dict[str, str], method: str, path: str, body: str = "") -> dict[str, str]:
    timestamp = str(int(time.time()))
    key = base64.urlsafe_b64decode(creds["secret"])
    digest = hmac.new(key, f"{timestamp}{method}{path}{body}".encode(), hashlib.sha256).digest()
    return {
        "POLY_ADDRESS": account.address,
        "POLY_SIGNATURE": base64.urlsafe_b64encode(digest).decode(),
        "POLY_TIMESTAMP": timestamp,
        "POLY_API_KEY": creds["apiKey"],
        "POLY_PASSPHRASE": creds["passphrase"],
    }


def signed_order(account: LocalAccount, token: str, side: str, maker_amount: int, taker_amount: int) -> dict[str, Any]:
    builder = ExchangeOrderBuilderV2(EXCHANGE_V2, 137, Signer(account.key.hex(), 137))
    order = builder.build_order(
        OrderDataV2(
            maker=account.address, tokenId=token, makerAmount=str(maker_amount), takerAmount=str(taker_amount),
            side=Side.BUY if side == "BUY" else Side.SELL, signer=account.address, signatureType=SignatureTypeV2.EOA,
        )
    )  # fmt: skip
    signature = builder.build_order_signature(builder.build_order_typed_data(order))
    body = dataclasses.asdict(SignedOrderV2(**dataclasses.asdict(order), signature=signature))
    return body | {"salt": int(body["salt"]), "side": side, "signatureType": int(body["signatureType"])}


async def post_order(sim: Sim, account: LocalAccount, creds: dict[str, str], order: dict[str, Any]) -> dict[str, Any]:
    body = json.dumps({"order": order, "owner": creds["apiKey"], "orderType": "GTC", "postOnly": False})
    headers = l2_headers(account, creds, "POST", "/order", body) | {"Content-Type": "application/json"}
    response = await sim.http.post(f"{sim.url}/order", content=body, headers=headers)
    assert response.status_code == 200, response.text
    return dict(response.json())


def book_hash(book: dict[str, Any]) -> str:
    keys = ("market", "asset_id", "timestamp", "hash", "bids", "asks", "min_order_size", "tick_size", "neg_risk")
    payload = {k: ("" if k == "hash" else book[k]) for k in keys} | {"last_trade_price": book["last_trade_price"]}
    return hashlib.sha1(json.dumps(payload, separators=(",", ":")).encode()).hexdigest()


async def test_a_plain_http_and_websocket_client_can_trade(sim: Sim) -> None:
    await sim.market(away="Lakers", home="Celtics", away_abbr="lal", home_abbr="bos")
    alice, bob = Account.create(), Account.create()
    keys = {}
    for account in (alice, bob):
        response = await sim.http.post(f"{sim.url}/auth/api-key", headers=l1_headers(account))
        assert response.status_code == 200
        keys[account.address] = response.json()
        derived = await sim.http.get(f"{sim.url}/auth/derive-api-key", headers=l1_headers(account))
        assert derived.json() == keys[account.address]

    events = (await sim.http.get(f"{sim.url}/gamma/events", params={"tag_id": "1", "closed": "false"})).json()
    (event,) = [e for e in events if e["slug"].startswith("nba-lal-bos-")]
    market = event["markets"][0]
    lakers, celtics = json.loads(market["clobTokenIds"])
    assert json.loads(market["outcomes"]) == ["Lakers", "Celtics"] and market["sportsMarketType"] == "moneyline"

    book = (await sim.http.get(f"{sim.url}/book", params={"token_id": lakers})).json()
    assert book["hash"] == book_hash(book) and book["bids"][-1]["price"] == "0.45"

    async with websockets.connect(f"{sim.ws_url}/ws/market", ping_interval=None) as ws:
        await ws.send(json.dumps({"assets_ids": [lakers], "type": "market"}))
        (initial,) = json.loads(await ws.recv())
        assert initial["event_type"] == "book" and initial["hash"] == book["hash"]
        await ws.send("PING")
        assert await ws.recv() == "PONG"

        resting = await post_order(
            sim, alice, keys[alice.address], signed_order(alice, lakers, "BUY", 5_000_000, 10_000_000)
        )
        assert resting["success"] and resting["status"] == "live"
        change = json.loads(await ws.recv())
        assert change["event_type"] == "price_change"
        (item,) = change["price_changes"]
        assert (item["price"], item["size"], item["side"]) == ("0.5", "10", "BUY")
        after = (await sim.http.get(f"{sim.url}/book", params={"token_id": lakers})).json()
        assert item["hash"] == after["hash"] == book_hash(after)

        crossing = signed_order(bob, celtics, "BUY", 5_500_000, 10_000_000)  # 10 Celtics at 0.55
        matched = await post_order(sim, bob, keys[bob.address], crossing)
        assert matched["status"] == "matched" and matched["takingAmount"] == "10"
        frames = [json.loads(await ws.recv()) for _ in range(2)]
        assert [f["event_type"] for f in frames] == ["last_trade_price", "price_change"]
        assert frames[0]["price"] == "0.5"

    trades = await sim.http.get(
        f"{sim.url}/data/trades", headers=l2_headers(bob, keys[bob.address], "GET", "/data/trades")
    )
    (trade,) = trades.json()["data"]
    assert trade["asset_id"] == celtics and trade["price"] == "0.5" and trade["trader_side"] == "TAKER"
    assert trade["maker_orders"][0]["order_id"] == resting["orderID"]
