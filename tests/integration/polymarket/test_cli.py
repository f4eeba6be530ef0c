"""``arbees sim polymarket`` as a user runs it: help, and a demo simulator a client can read at once."""

from __future__ import annotations

import asyncio
import json
import os
import re
import subprocess
import sys
from decimal import Decimal

import httpx

from markets.polymarket.clob import ClobReader
from markets.polymarket.gamma import GammaClient

ARBEES = [sys.executable, "-m", "services.cli.main", "sim", "polymarket"]


def test_help_describes_the_simulator() -> None:
    result = subprocess.run([*ARBEES, "--help"], capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    for flag in ("--port", "--demo-markets", "--replay-data", "--speed", "--start-at", "--geoblocked"):
        assert flag in result.stdout


async def test_demo_markets_are_served_with_liquidity_on_both_sides() -> None:
    process = await asyncio.create_subprocess_exec(
        *ARBEES, "--port", "0", "--demo-markets", "--geoblocked",
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE, env=os.environ.copy(),
    )  # fmt: skip
    try:
        assert process.stdout is not None
        line = (await asyncio.wait_for(process.stdout.readline(), timeout=30)).decode()
        match = re.search(r"http://127\.0\.0\.1:(\d+) \((\d+) markets\)", line)
        assert match, line
        url = f"http://127.0.0.1:{match.group(1)}"
        async with httpx.AsyncClient(timeout=5) as http:
            events = await GammaClient(http, f"{url}/gamma").events()
            assert len(events) == int(match.group(2)) == 5
            assert {e.slug.split("-")[0] for e in events} >= {"nba", "nfl", "nhl", "mlb"}
            reader = ClobReader(http, url)
            for event in events:
                (market,) = event.markets
                assert market.sports_market_type == "moneyline" and market.fee_schedule is not None
                book = await reader.book(market.token_ids[0])
                assert book.bids and book.asks and book.bids[-1].price < book.asks[-1].price
                assert Decimal(0) < await reader.midpoint(market.token_ids[1]) < Decimal(1)
            geo = await http.get(f"{url}/api/geoblock")
            assert json.loads(geo.text)["blocked"] is True
    finally:
        process.terminate()
        assert await asyncio.wait_for(process.wait(), timeout=15) == 0
