"""A client we did not write, against the simulator started from the CLI.

Plain ``httpx`` and ``websockets`` calls following docs.kalshi.com (quick-start authenticated requests,
create-order-v2, websockets quick start) with signing written inline here: sign in, read markets and
books, rest an order and see it, match orders and see the fills on the ``fill`` channel.
"""

from __future__ import annotations

import asyncio
import base64
import json
import os
import re
import signal
import sys
import time
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest
import websockets
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from tests.unit.kalshi.keys import private_key, public_pem

ROOT = Path(__file__).resolve().parents[3]


@dataclass
class Account:
    key_id: str
    key: rsa.RSAPrivateKey

    def headers(self, method: str, path: str) -> dict[str, str]:
        timestamp = str(int(time.time() * 1000))
        message = (timestamp + method + path.split("?")[0]).encode("utf-8")
        signature = self.key.sign(
            message,
            padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=padding.PSS.DIGEST_LENGTH),
            hashes.SHA256(),
        )
        return {
            "KALSHI-ACCESS-KEY": self.key_id,
            "KALSHI-ACCESS-TIMESTAMP": timestamp,
            "KALSHI-ACCESS-SIGNATURE": base64.b64encode(signature).decode("utf-8"),
        }


@dataclass
class Server:
    port: int
    alice: Account
    bob: Account

    async def call(
        self, who: Account, method: str, path: str, body: Any = None, params: dict[str, Any] | None = None
    ) -> httpx.Response:
        full = "/trade-api/v2" + path  # signed without the query string
        headers = who.headers(method, full) | {"Content-Type": "application/json"}
        content = None if body is None else json.dumps(body)
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{self.port}") as http:
            return await http.request(method, full, headers=headers, content=content, params=params)


@pytest.fixture
async def server(tmp_path: Path) -> AsyncIterator[Server]:
    alice, bob = Account("alice-key", private_key(0)), Account("bob-key", private_key(1))
    args = []
    for account in (alice, bob):
        pem = tmp_path / f"{account.key_id}.pub.pem"
        pem.write_bytes(public_pem(account.key))
        args += ["--api-key-id", account.key_id, "--public-key", str(pem)]
    command = [sys.executable, "-m", "services.cli.main", "sim", "kalshi", "--port", "0", "--demo-markets", *args]
    proc = await asyncio.create_subprocess_exec(
        *command,
        cwd=ROOT,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env=os.environ | {"PYTHONUNBUFFERED": "1"},
    )
    try:
        assert proc.stdout is not None
        line = (await asyncio.wait_for(proc.stdout.readline(), 30)).decode()
        match = re.search(r"http://127\.0\.0\.1:(\d+)/trade-api/v2", line)
        assert match, f"unexpected ready line: {line!r}"
        yield Server(int(match.group(1)), alice, bob)
    finally:
        proc.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(proc.wait(), 15) == 0


async def _fill(ws: Any, order_id: str) -> dict[str, Any]:
    while True:
        frame = json.loads(await asyncio.wait_for(ws.recv(), 5))
        if frame.get("type") == "fill" and frame["msg"]["order_id"] == order_id:
            return dict(frame["msg"])


async def test_sign_in_read_rest_and_match(server: Server) -> None:
    alice, bob = server.alice, server.bob
    balance = await server.call(alice, "GET", "/portfolio/balance")
    assert balance.status_code == 200 and balance.json()["balance"] == 1_000_000
    forged = Account(alice.key_id, private_key(2))
    assert (await server.call(forged, "GET", "/portfolio/balance")).status_code == 401

    markets = (await server.call(alice, "GET", "/markets?status=open&limit=100")).json()["markets"]
    assert len(markets) == 6 and all(m["status"] == "active" for m in markets)
    for market in markets:  # --demo-markets: resting liquidity on both sides at once
        book = (await server.call(alice, "GET", f"/markets/{market['ticker']}/orderbook")).json()["orderbook_fp"]
        assert book["yes_dollars"] and book["no_dollars"], market["ticker"]
    ticker = next(m["ticker"] for m in markets if m["ticker"].startswith("KXNBAGAME-") and m["ticker"].endswith("-BOS"))

    ws_path = "/trade-api/ws/v2"
    url = f"ws://127.0.0.1:{server.port}{ws_path}"
    async with websockets.connect(url, additional_headers=alice.headers("GET", ws_path)) as ws:
        await ws.send(json.dumps({"id": 1, "cmd": "subscribe", "params": {"channels": ["fill"]}}))
        assert json.loads(await ws.recv())["type"] == "subscribed"

        resting = {
            "ticker": ticker,
            "client_order_id": str(uuid.uuid4()),
            "side": "bid",
            "count": "3",
            "price": "0.05",
            "time_in_force": "good_till_canceled",
            "self_trade_prevention_type": "taker_at_cross",
        }
        created = await server.call(alice, "POST", "/portfolio/events/orders", resting)
        assert created.status_code == 201 and created.json()["remaining_count"] == "3.00"
        order_id = created.json()["order_id"]
        order = (await server.call(alice, "GET", f"/portfolio/orders/{order_id}")).json()["order"]
        assert (order["status"], order["yes_price_dollars"]) == ("resting", "0.0500")
        book = (await server.call(alice, "GET", f"/markets/{ticker}/orderbook")).json()["orderbook_fp"]
        assert ["0.0500", "3.00"] in book["yes_dollars"]
        cancel_path = f"/portfolio/events/orders/{order_id}"
        assert (await server.call(alice, "DELETE", cancel_path)).status_code == 404  # no exchange_index
        assert (await server.call(alice, "DELETE", cancel_path, params={"exchange_index": 1})).status_code == 404
        shard = {"exchange_index": order["exchange_index"], "market_ticker": ticker, "subaccount": 0}
        assert order["exchange_index"] == 0  # NBA lives on the default shard
        assert (await server.call(alice, "DELETE", cancel_path, params=shard)).json()["reduced_by"] == "3.00"

        best_ask = 1 - max(Decimal(p) for p, _ in book["no_dollars"])
        price = min(Decimal("0.99"), best_ask + Decimal("0.05"))
        take = resting | {
            "client_order_id": str(uuid.uuid4()),
            "price": str(price),
            "time_in_force": "immediate_or_cancel",
            "count": "2",
        }
        taken = (await server.call(alice, "POST", "/portfolio/events/orders", take)).json()
        assert taken["fill_count"] == "2.00" and "average_fill_price" in taken
        fill = await _fill(ws, taken["order_id"])
        assert fill["is_taker"] is True and fill["count_fp"] == "2.00" and fill["market_ticker"] == ticker

        # Two of our own keys meet on a quiet market (no makers): Bob rests, Alice crosses.
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{server.port}") as http:
            game = {"league": "nfl", "away": ["NYJ", "New York J"], "home": ["DEN", "Denver"]}
            quiet = (await http.post("/_sim/markets", json=game)).json()["markets"][0]["ticker"]
        ask = resting | {"ticker": quiet, "client_order_id": str(uuid.uuid4()), "side": "ask", "price": "0.57"}
        bob_order = (await server.call(bob, "POST", "/portfolio/events/orders", ask)).json()
        bid = resting | {"ticker": quiet, "client_order_id": str(uuid.uuid4()), "price": "0.60"}
        alice_order = (await server.call(alice, "POST", "/portfolio/events/orders", bid)).json()
        assert alice_order["fill_count"] == "3.00" and alice_order["average_fill_price"] == "0.5700"
        fill = await _fill(ws, alice_order["order_id"])
        assert fill["yes_price_dollars"] == "0.5700" and fill["post_position_fp"] == "3.00"
    bob_fills = (await server.call(bob, "GET", f"/portfolio/fills?ticker={quiet}")).json()["fills"]
    assert [(f["order_id"], f["count_fp"], f["is_taker"]) for f in bob_fills] == [
        (bob_order["order_id"], "3.00", False)
    ]
    positions = (await server.call(bob, "GET", "/portfolio/positions")).json()["market_positions"]
    assert [(p["ticker"], p["position_fp"]) for p in positions] == [(quiet, "-3.00")]


def test_cli_help() -> None:
    import subprocess

    command = [sys.executable, "-m", "services.cli.main", "sim", "kalshi", "--help"]
    out = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=60, check=True)
    assert "--api-key-id" in out.stdout and "--demo-markets" in out.stdout and "--replay-data" in out.stdout
