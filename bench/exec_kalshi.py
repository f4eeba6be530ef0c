"""Benchmark: one Kalshi order through the production engine — build, check, journal, sign, submit, answer.

The Kalshi simulator runs in this process on a loopback port (uvicorn, port 0). After a short warm-up,
``n`` limit orders (buys of YES at 1-5 cents in an empty book, so they rest and nothing fills) go through
:meth:`KalshiExecutionEngine.place_limit_order`, each timed from the call to the ``Accepted`` answer:
argument checks, ``OrderRequest``, pre-send checks (cached market and balance), the fsynced journal
write, RSA-PSS signing, the HTTP round trip and the tracker update. The simulator's own handling time of
the same create requests comes from its ``/_sim/stats`` (timed inside the app), so the client's share
is the difference. The resting orders are cancelled afterwards (not timed).

The client-side token buckets are set to Kalshi's top tier (Prestige: 10,000 read / 8,000 write tokens
per second) so they do not pace the run: at the default Basic tier (100 write tokens/s, 10 per create)
the engine deliberately spaces creates 100 ms apart, which would measure the budget, not the engine.

Run alone: ``.venv/bin/python bench/exec_kalshi.py [--orders 200]``.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from markets.base import Accepted
from markets.journal import FileOrderJournal
from markets.kalshi.execution import KalshiExecutionEngine
from markets.kalshi.execution.settings import ExplicitKalshiSettings
from markets.sim.kalshi.auth import KeyRegistry
from markets.sim.kalshi.exchange import KalshiExchange
from markets.sim.kalshi.inprocess import serve_in_process
from markets.sim.kalshi.seeding import open_game
from markets.sim.kalshi.state import SimState
from markets.sim.kalshi.stats import percentile

KEY_ID = "bench-key"
CREATE = "POST /trade-api/v2/portfolio/events/orders"
WARMUP = 20


async def run(n: int = 200) -> dict[str, float]:
    """Time ``n`` (at least 200) order round trips; milliseconds, client and simulator side by side."""
    n = max(200, n)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    exchange = KalshiExchange(starting_balance=Decimal(1_000_000))
    (market,) = open_game(
        exchange, league="nba", away=("LAL", "Los Angeles L"), home=("BOS", "Boston"),
        start=datetime(2026, 11, 23, 0, 30, tzinfo=UTC),
    )  # fmt: skip
    state = SimState(exchange, KeyRegistry({KEY_ID: key.public_key()}), run_makers=False)
    with tempfile.TemporaryDirectory() as folder:
        key_file = Path(folder) / "bench.key"
        key_file.write_bytes(
            key.private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            )
        )
        async with serve_in_process(state) as sim:
            settings = ExplicitKalshiSettings(
                base_url=sim.rest_url, ws_url=sim.ws_url, api_key_id=KEY_ID, private_key_path=str(key_file),
                read_tokens_per_s=10_000, write_tokens_per_s=8_000,
            )  # fmt: skip
            engine = KalshiExecutionEngine(
                base_url=sim.rest_url, api_key_id=KEY_ID, private_key_path=key_file, ws_url=sim.ws_url,
                journal=FileOrderJournal(Path(folder) / "journal.jsonl"), settings=settings,
            )  # fmt: skip
            await engine.start()
            try:
                for i in range(WARMUP):
                    await _place(engine, market.ticker, i)
                await sim.control("DELETE", "/_sim/stats")
                client_s = [await _place(engine, market.ticker, i) for i in range(n)]
                sim_stats = (await sim.control("GET", "/_sim/stats"))[CREATE]
                await engine.cancel_all(market.ticker)
            finally:
                await engine.close()
    ordered = sorted(client_s)
    return {
        "client_median_ms": statistics.median(ordered) * 1000,
        "client_p99_ms": percentile(ordered, 0.99) * 1000,
        "sim_median_ms": float(sim_stats["median_ms"]),
        "sim_p99_ms": float(sim_stats["p99_ms"]),
    }


async def _place(engine: KalshiExecutionEngine, ticker: str, i: int) -> float:
    started = time.perf_counter()
    result = await engine.place_limit_order(ticker, "yes", 1 + i % 5, 1)
    elapsed = time.perf_counter() - started
    if not isinstance(result, Accepted):
        raise RuntimeError(f"benchmark order was not accepted: {result}")
    return elapsed


def main() -> None:
    """Print the figures of :func:`run`."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--orders", type=int, default=200, help="orders to time (at least 200)")
    figures = asyncio.run(run(parser.parse_args().orders))
    print(f"kalshi engine, {max(200, parser.parse_args().orders)} orders (build + sign + submit round trip):")
    print(f"  client   median {figures['client_median_ms']:7.2f} ms   p99 {figures['client_p99_ms']:7.2f} ms")
    print(f"  simulator median {figures['sim_median_ms']:6.2f} ms   p99 {figures['sim_p99_ms']:7.2f} ms")
    share = figures["client_median_ms"] - figures["sim_median_ms"]
    print(f"  client's share of the median: {share:.2f} ms")


if __name__ == "__main__":
    main()
