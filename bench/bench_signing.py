"""Benchmark: Polymarket V2 limit-order build + sign, py-clob-client-v2 against our fast signer (issue 13).

For N orders (random side, tick 0.01/0.001, neg-risk or not, price on the tick, size at 2 decimals,
salt and timestamp fixed per order) it times, in the same run:

- ``library``: what ``ClobTrader.sign_limit_order`` did before: our exact amounts, then
  ``ExchangeOrderBuilderV2`` build + EIP-712 typed data + signature + order hash (eth-account, pure Python);
- ``ours``: the same amounts, then :class:`markets.polymarket.signing.FastOrderSigner` (C keccak, coincurve);
- ``trader``: the production ``ClobTrader.sign_limit_order`` (ours, with its random salt and clock).

It checks that the library and ours agree on every order (signature, order hash and the serialized
``POST /order`` body) and prints p50/p99 in µs and the ratio; ``--json`` adds one JSON object on the
last line. Exit status 1 if any order disagrees. Target: ours <= 1 ms per order.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from py_clob_client_v2.config import get_contract_config
from py_clob_client_v2.order_utils import ExchangeOrderBuilderV2, OrderDataV2, SignatureTypeV2, SignedOrderV2
from py_clob_client_v2.order_utils import Side as LibrarySide
from py_clob_client_v2.order_utils.model.order_data_v2 import order_to_json_v2
from py_clob_client_v2.signer import Signer

from markets.polymarket.amounts import order_amounts
from markets.polymarket.config import PolymarketSettings
from markets.polymarket.geoblock import TradingGate
from markets.polymarket.signing import FastOrderSigner, post_body
from markets.polymarket.trading import ClobTrader

KEY = "0x" + "59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d"
ZERO32 = "0x" + "0" * 64
TICKS = (Decimal("0.01"), Decimal("0.001"))
TARGET_US = 1000.0


@dataclasses.dataclass(frozen=True)
class Case:
    token: str
    side: str
    price: Decimal
    size: Decimal
    tick: Decimal
    neg_risk: bool
    salt: int
    ts_ms: int


def _cases(n: int, seed: int) -> list[Case]:
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        tick = rng.choice(TICKS)
        price = tick * rng.randint(1, int(1 / tick) - 1)
        out.append(
            Case(
                str(rng.getrandbits(256)), rng.choice(("BUY", "SELL")), price, Decimal(rng.randint(100, 500_000)) / 100,
                tick, rng.random() < 0.5, rng.getrandbits(53), 1_767_225_600_000 + rng.randint(0, 10**9),
            )
        )  # fmt: skip
    return out


class Library:
    """The previous ``sign_limit_order`` path through py-clob-client-v2."""

    def __init__(self) -> None:
        contracts = get_contract_config(137)
        self.signer = Signer(KEY, 137)
        self.exchanges = {False: contracts.exchange_v2, True: contracts.neg_risk_exchange_v2}

    def sign(self, c: Case) -> tuple[str, str, dict[str, Any]]:
        a = order_amounts(c.side, c.price, c.size, c.tick, "GTC")  # type: ignore[arg-type]
        builder = ExchangeOrderBuilderV2(
            self.exchanges[c.neg_risk], 137, self.signer, generate_salt=lambda: str(c.salt)
        )
        address = self.signer.address()
        order = builder.build_order(
            OrderDataV2(
                maker=address, tokenId=c.token, makerAmount=str(a.maker_amount), takerAmount=str(a.taker_amount),
                side=LibrarySide.BUY if c.side == "BUY" else LibrarySide.SELL, signer=address,
                signatureType=SignatureTypeV2.EOA, timestamp=str(c.ts_ms), metadata=ZERO32, builder=ZERO32,
                expiration="0",
            )
        )  # fmt: skip
        typed = builder.build_order_typed_data(order)
        signed = SignedOrderV2(**dataclasses.asdict(order), signature=builder.build_order_signature(typed))
        return signed.signature, builder.build_order_hash(typed), order_to_json_v2(signed, "owner", "GTC")


class Ours:
    """The new path: exact amounts, then the fast signer."""

    def __init__(self) -> None:
        contracts = get_contract_config(137)
        self.signer = FastOrderSigner(KEY, 137, {False: contracts.exchange_v2, True: contracts.neg_risk_exchange_v2})

    def sign(self, c: Case) -> tuple[str, str, dict[str, Any]]:
        a = order_amounts(c.side, c.price, c.size, c.tick, "GTC")  # type: ignore[arg-type]
        signed = self.signer.sign(
            c.token, a.side, a.maker_amount, a.taker_amount, neg_risk=c.neg_risk, salt=c.salt, timestamp_ms=c.ts_ms
        )
        return signed.signature, signed.order_hash, post_body(signed, "owner", "GTC")


def _time(fn: Callable[[Case], Any], cases: list[Case]) -> tuple[list[float], list[Any]]:
    times, results = [], []
    for c in cases:
        start = time.perf_counter_ns()
        results.append(fn(c))
        times.append((time.perf_counter_ns() - start) / 1000)
    return times, results


def _serialized(result: tuple[str, str, dict[str, Any]]) -> str:
    """Signature, order hash and the body exactly as posted (compact JSON, as the L2 HMAC signs it)."""
    signature, order_hash, body = result
    return signature + order_hash + json.dumps(body, separators=(",", ":"), ensure_ascii=False)


def _p(times: list[float], q: float) -> float:
    return statistics.quantiles(times, n=100, method="inclusive")[int(q) - 1] if len(times) > 1 else times[0]


def _rounds(paths: dict[str, Callable[[Case], Any]], cases: list[Case], rounds: int) -> dict[str, list[list[float]]]:
    """Each path times every order once per round, the paths taking turns round by round."""
    samples: dict[str, list[list[float]]] = {name: [] for name in paths}
    for _ in range(rounds):
        for name, fn in paths.items():
            samples[name].append(_time(fn, cases)[0])
    return samples


def _figures(samples: list[list[float]]) -> tuple[float, float, float]:
    """(p50, p99) of each order's best round, and the p99 of every sample (preemption included)."""
    best = [min(per_round) for per_round in zip(*samples, strict=True)]
    every = [t for per_round in samples for t in per_round]
    return round(statistics.median(best), 1), round(_p(best, 99), 1), round(_p(every, 99), 1)


def main(n: int, seed: int, rounds: int, as_json: bool) -> int:
    cases = _cases(n, seed)
    library, ours = Library(), Ours()
    trader = ClobTrader(PolymarketSettings(clob_url="http://127.0.0.1:9", private_key=KEY), TradingGate())

    def production(c: Case) -> Any:
        return trader.sign_limit_order(c.token, c.side, c.price, c.size, tick_size=c.tick, neg_risk=c.neg_risk)  # type: ignore[arg-type]

    for c in cases[:20]:  # warm-up (imports, caches)
        library.sign(c), ours.sign(c), production(c)
    agree = sum(1 for c in cases if _serialized(library.sign(c)) == _serialized(ours.sign(c)))
    samples = _rounds({"library": library.sign, "ours": ours.sign, "trader": production}, cases, rounds)
    figures: dict[str, Any] = {"orders": n, "rounds": rounds}
    for name, per_path in samples.items():
        p50, p99, raw_p99 = _figures(per_path)
        figures |= {f"{name}_p50_us": p50, f"{name}_p99_us": p99, f"{name}_raw_p99_us": raw_p99}
    figures["p50_ratio"] = round(figures["library_p50_us"] / figures["ours_p50_us"], 1)
    figures["agree"] = agree
    figures["target_met"] = figures["ours_p99_us"] <= TARGET_US and figures["trader_p99_us"] <= TARGET_US
    figures["load_avg_1m"] = round(os.getloadavg()[0], 2)  # other processes on the machine inflate raw p99
    _print(figures, seed)
    if as_json:
        print(json.dumps(figures))
    return 0 if agree == n else 1


def _print(f: dict[str, Any], seed: int) -> None:
    print(f"orders: {f['orders']} x {f['rounds']} rounds (seed {seed}); amounts + build + sign + order hash, µs")
    print("p50/p99: each order's best round; raw p99: every sample (includes preemption by other processes)")
    print(f"{'path':<38} {'p50 us':>9} {'p99 us':>9} {'raw p99 us':>11}")
    for label, key in (
        ("py-clob-client-v2 (previous path)", "library"),
        ("ours (FastOrderSigner)", "ours"),
        ("ClobTrader.sign_limit_order (prod)", "trader"),
    ):
        print(f"{label:<38} {f[key + '_p50_us']:>9.1f} {f[key + '_p99_us']:>9.1f} {f[key + '_raw_p99_us']:>11.1f}")
    print(f"speed-up (p50 library / ours)        : {f['p50_ratio']:.1f}x")
    print(f"agree (signature, hash, body)        : {f['agree']}/{f['orders']}")
    print(f"target ours <= {TARGET_US:.0f} us (p99)         : {'met' if f['target_met'] else 'NOT met'}")
    print(f"load average (1 min)                 : {f['load_avg_1m']}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--orders", type=int, default=2000, help="orders to build and sign with each path")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--rounds", type=int, default=5, help="timings per order and path (the best one counts)")
    parser.add_argument("--json", action="store_true", help="print one JSON object on the last line")
    args = parser.parse_args()
    sys.exit(main(args.orders, args.seed, args.rounds, args.json))
