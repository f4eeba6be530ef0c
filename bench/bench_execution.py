"""Benchmark: order build + sign + submit round trip through each execution engine, against its simulator.

For each engine (Kalshi, Polymarket) the venue module ``bench/exec_<venue>.py`` starts the simulator in
process, places at least 200 resting orders through the production engine and reports the client's
round trip (median, p99) beside the simulator's own handling time for the same requests, so the
client's share is visible. Prints one table; ratios are client time over simulator time.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import sys
from pathlib import Path
from types import ModuleType

HERE = Path(__file__).resolve().parent
ENGINES = ("kalshi", "polymarket")


def _load(name: str) -> ModuleType:
    path = HERE / f"exec_{name}.py"
    spec = importlib.util.spec_from_file_location(f"bench_exec_{name}", path)
    if spec is None or spec.loader is None:
        raise FileNotFoundError(path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


async def main(n: int, engines: list[str]) -> int:
    print(f"orders per engine: {n}")
    header = ("engine", "client p50 ms", "client p99 ms", "sim p50 ms", "sim p99 ms", "p50 ratio")
    print(f"{header[0]:<12} {header[1]:>14} {header[2]:>14} {header[3]:>11} {header[4]:>11} {header[5]:>10}")
    for name in engines:
        results = await _load(name).run(n)
        ratio = results["client_median_ms"] / results["sim_median_ms"] if results["sim_median_ms"] else float("nan")
        print(
            f"{name:<12} {results['client_median_ms']:>14.2f} {results['client_p99_ms']:>14.2f} "
            f"{results['sim_median_ms']:>11.2f} {results['sim_p99_ms']:>11.2f} {ratio:>9.1f}x"
        )
    return 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--orders", type=int, default=200, help="orders per engine (at least 200 for the p99)")
    parser.add_argument("--engines", nargs="*", default=list(ENGINES), choices=ENGINES)
    args = parser.parse_args()
    sys.exit(asyncio.run(main(args.orders, args.engines)))
