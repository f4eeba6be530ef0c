"""Benchmark: a Polymarket limit order's build + sign + submit round trip through the production engine.

Starts the Polymarket simulator in this process (uvicorn on loopback), starts the real
:class:`~markets.polymarket.execution.PolymarketExecutionEngine` against it (fresh key, file journal
with fsync, user WebSocket, heartbeat) and places ``n`` resting BUY orders far from the touch, timing
each ``place_limit_order`` call end to end: pre-send checks (market rules cached after a warm-up),
V2 order build + EIP-712 signature in a worker thread alongside the balance read, the journal write
(fsync), ``POST /order`` and the journal's ``acked`` write. The orders are cancelled afterwards.

Beside it: the simulator's own handling time of ``POST /order`` (``GET /_sim/stats``), so the client's
share of the round trip is visible. Run alone: ``.venv/bin/python bench/exec_polymarket.py --orders 200``.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
from eth_account import Account

from markets.base import Accepted
from markets.journal import FileOrderJournal
from markets.polymarket.config import PolymarketSettings
from markets.polymarket.execution import PolymarketExecutionEngine
from markets.sim.polymarket.inprocess import RunningSim, running
from markets.sim.polymarket.state import SimConfig
from markets.sim.polymarket.stats import percentile

WARM_UP = 5
PRICE = Decimal("0.10")  # far below any ask: every order rests
SIZE = Decimal(5)


def _engine(sim: RunningSim, journal_dir: Path) -> PolymarketExecutionEngine:
    key = Account.create().key.hex()
    settings = PolymarketSettings(
        clob_url=sim.url, gamma_url=sim.gamma_url, ws_user_url=sim.ws_user_url, ws_market_url=sim.ws_market_url,
        geoblock_url=sim.geoblock_url, private_key=key,
    )  # fmt: skip
    journal = FileOrderJournal(journal_dir / "polymarket-bench.jsonl")
    return PolymarketExecutionEngine(host=sim.url, private_key=key, chain_id=137, settings=settings, journal=journal)


async def _control(http: httpx.AsyncClient, sim: RunningSim, method: str, path: str, body: Any = None) -> Any:
    response = await http.request(method, f"{sim.url}/_sim/{path}", json=body)
    response.raise_for_status()
    return response.json()


async def _place(engine: PolymarketExecutionEngine, token: str) -> float:
    started = time.perf_counter()
    result = await engine.place_limit_order(token, "buy", PRICE, SIZE)
    elapsed = time.perf_counter() - started
    if not isinstance(result, Accepted):
        raise RuntimeError(f"benchmark order not accepted: {result}")
    return elapsed


async def run(n: int = 200) -> dict[str, float]:
    """Time ``n`` (at least 200) orders; return client and simulator median and p99 in milliseconds."""
    n = max(n, 200)
    with tempfile.TemporaryDirectory(prefix="arbees-bench-pm-") as tmp:
        async with running(SimConfig()) as sim, httpx.AsyncClient(timeout=10) as http:
            market = await _control(http, sim, "POST", "markets", {"makers": False, "min_order_size": "5"})
            token = market["token_ids"][0]
            engine = _engine(sim, Path(tmp))
            await _control(http, sim, "POST", f"accounts/{engine.address}", {"collateral": "1000000"})
            await engine.start()
            try:
                for _ in range(WARM_UP):
                    await _place(engine, token)
                await _control(http, sim, "DELETE", "stats")
                client = [await _place(engine, token) for _ in range(n)]
                stats = await _control(http, sim, "GET", "stats")
                await engine.cancel_all()
            finally:
                await engine.close()
    post = stats["POST /order"]
    return {
        "client_median_ms": statistics.median(client) * 1000,
        "client_p99_ms": percentile(client, 0.99) * 1000,
        "sim_median_ms": float(post["median_ms"]),
        "sim_p99_ms": float(post["p99_ms"]),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--orders", type=int, default=200, help="orders to time (at least 200)")
    args = parser.parse_args()
    results = asyncio.run(run(args.orders))
    print(f"polymarket: {max(args.orders, 200)} orders")
    for name, value in results.items():
        print(f"  {name:<18} {value:8.2f}")
    share = results["client_median_ms"] - results["sim_median_ms"]
    print(f"  client share of the median round trip: {share:.2f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
