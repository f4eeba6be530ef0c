"""Place, see and cancel one real limit order through each execution engine, against running simulators.

Start the simulators first (or point at the venues' demo environments), for example::

    openssl genrsa -out /tmp/kalshi.pem 2048 && openssl rsa -in /tmp/kalshi.pem -pubout -out /tmp/kalshi.pub
    arbees sim kalshi --port 8081 --api-key-id demo-key --public-key /tmp/kalshi.pub --demo-markets &
    arbees sim polymarket --port 8082 --demo-markets &
    .venv/bin/python scripts/try_engines.py \\
        --kalshi-url http://127.0.0.1:8081/trade-api/v2 --kalshi-key-id demo-key --kalshi-private-key /tmp/kalshi.pem \\
        --polymarket-url http://127.0.0.1:8082 --polymarket-private-key 0x<64 hex>

It uses exactly the engines' documented entry points: ``KalshiExecutionEngine(base_url=..., api_key_id=...,
private_key_path=...).place_limit_order(market_ticker, side, price_cents, quantity)`` and
``PolymarketExecutionEngine(host=..., private_key=..., chain_id=137).place_limit_order(token_id, side, price,
size)``. Each order is priced far from the touch so it rests, then it is read back and cancelled.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
from decimal import Decimal
from pathlib import Path

import httpx

from markets.base import Accepted
from markets.journal import FileOrderJournal
from markets.kalshi.execution import KalshiExecutionEngine
from markets.polymarket.execution import PolymarketExecutionEngine


async def _kalshi(url: str, key_id: str, key_path: str, journal_dir: Path) -> bool:
    async with httpx.AsyncClient(timeout=10) as http:
        markets = (await http.get(f"{url}/markets", params={"status": "open", "limit": 5})).json()["markets"]
    ticker = markets[0]["ticker"]
    engine = KalshiExecutionEngine(
        base_url=url, api_key_id=key_id, private_key_path=key_path,
        journal=FileOrderJournal(journal_dir / "kalshi.jsonl"),
    )  # fmt: skip
    await engine.start()
    try:
        result = await engine.place_limit_order(ticker, "yes", 2, 5)
        print(f"kalshi     place_limit_order({ticker!r}, 'yes', 2, 5) -> {type(result).__name__}")
        if not isinstance(result, Accepted):
            print(f"           {result}")
            return False
        seen = await engine.order_status(result.client_order_id)
        print(f"           seen: status={seen.status if seen else None} venue_order_id={seen and seen.venue_order_id}")
        cancelled = await engine.cancel(result.client_order_id)
        print(f"           cancel -> {cancelled.status if cancelled else None}")
        return cancelled is not None and cancelled.status == "canceled"
    finally:
        await engine.close()


async def _polymarket(url: str, private_key: str, journal_dir: Path) -> bool:
    async with httpx.AsyncClient(timeout=10) as http:
        markets = (await http.get(f"{url}/gamma/markets", params={"closed": "false", "limit": 5})).json()
    market = next(m for m in markets if m.get("acceptingOrders", True))
    token_id = json.loads(market["clobTokenIds"])[0]
    tick = Decimal(str(market.get("orderPriceMinTickSize", "0.01")))
    # Production defaults point at Polymarket's own Gamma, WebSocket and geoblock hosts; the simulator serves
    # all of them on the CLOB host.
    engine = PolymarketExecutionEngine(
        host=url, private_key=private_key, chain_id=137, journal=FileOrderJournal(journal_dir / "polymarket.jsonl"),
        gamma_url=f"{url}/gamma", ws_user_url=url.replace("http", "ws", 1) + "/ws/user",
        geoblock_url=f"{url}/api/geoblock",
    )  # fmt: skip
    await engine.start()
    try:
        price, size = tick * 2, Decimal(10)
        result = await engine.place_limit_order(token_id, "buy", price, size)
        print(f"polymarket place_limit_order(<token>, 'buy', {price}, {size}) -> {type(result).__name__}")
        if not isinstance(result, Accepted):
            print(f"           {result}")
            return False
        seen = await engine.order_status(result.client_order_id)
        print(f"           seen: status={seen.status if seen else None} order_id={seen and seen.venue_order_id}")
        cancelled = await engine.cancel(result.client_order_id)
        print(f"           cancel -> {cancelled.status if cancelled else None}")
        return cancelled is not None and cancelled.status == "canceled"
    finally:
        await engine.close()


async def main(args: argparse.Namespace) -> int:
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        journals = Path(args.journal_dir or tmp)
        if args.kalshi_url:
            ok &= await _kalshi(args.kalshi_url, args.kalshi_key_id, args.kalshi_private_key, journals)
        if args.polymarket_url:
            ok &= await _polymarket(args.polymarket_url, args.polymarket_private_key, journals)
    print("ok" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--kalshi-url", help="Kalshi REST base, e.g. http://127.0.0.1:8081/trade-api/v2")
    parser.add_argument("--kalshi-key-id")
    parser.add_argument("--kalshi-private-key", help="path of the RSA private key (PEM)")
    parser.add_argument("--polymarket-url", help="Polymarket CLOB host, e.g. http://127.0.0.1:8082")
    parser.add_argument("--polymarket-private-key", help="0x-prefixed hex private key")
    parser.add_argument("--journal-dir", help="where the engines keep their order journals (default: a temp dir)")
    sys.exit(asyncio.run(main(parser.parse_args())))
