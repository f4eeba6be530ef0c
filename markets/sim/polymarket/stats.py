"""The simulator's own request-handling time per endpoint (median and p99), for benchmarks.

Measured inside the ASGI app from the first byte of the request reaching the app to the last byte of
the response leaving it, so the client's share of a round trip (signing, serialising, the HTTP stack,
loopback) is what a client measures minus this. Ids in paths (``0x`` hashes, long decimal token ids)
are folded into ``{id}`` so ``GET /data/order/0xab..`` is one endpoint.
"""

from __future__ import annotations

import math
import re
import statistics
import time
from collections import defaultdict, deque
from typing import Any

from markets.sim.common.faults import Message, Receive, Scope, Send

_IDS = re.compile(r"/(0x[0-9a-fA-F]+|\d{6,})")
MAX_SAMPLES = 20_000


def endpoint(method: str, path: str) -> str:
    """``METHOD /path`` with ids replaced by ``{id}``."""
    return f"{method.upper()} {_IDS.sub('/{id}', path)}"


def percentile(samples: list[float], q: float) -> float:
    """The ``q`` quantile (0..1) by the nearest-rank method; 0 for no samples."""
    if not samples:
        return 0.0
    ordered = sorted(samples)
    rank = max(1, min(len(ordered), math.ceil(q * len(ordered))))
    return ordered[rank - 1]


class HandlingStats:
    """Recent handling times (seconds) per endpoint, bounded to :data:`MAX_SAMPLES` each."""

    def __init__(self) -> None:
        self._samples: defaultdict[str, deque[float]] = defaultdict(lambda: deque(maxlen=MAX_SAMPLES))

    def record(self, key: str, seconds: float) -> None:
        """Add one sample."""
        self._samples[key].append(seconds)

    def clear(self) -> None:
        """Forget every sample."""
        self._samples.clear()

    def summary(self) -> dict[str, dict[str, Any]]:
        """``{endpoint: {count, median_ms, p99_ms, max_ms}}``."""
        out: dict[str, dict[str, Any]] = {}
        for key, values in sorted(self._samples.items()):
            samples = list(values)
            out[key] = {
                "count": len(samples),
                "median_ms": statistics.median(samples) * 1000 if samples else 0.0,
                "p99_ms": percentile(samples, 0.99) * 1000,
                "max_ms": max(samples) * 1000 if samples else 0.0,
            }
        return out


async def timed(app: Any, stats: HandlingStats, scope: Scope, receive: Receive, send: Send) -> None:
    """Run ``app`` for one HTTP request and record how long it took to answer."""
    started = time.perf_counter()
    key = endpoint(str(scope["method"]), str(scope.get("path", "")))

    async def send_and_time(message: Message) -> None:
        await send(message)
        if message["type"] == "http.response.body" and not message.get("more_body", False):
            stats.record(key, time.perf_counter() - started)

    await app(scope, receive, send_and_time)
