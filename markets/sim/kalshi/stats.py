"""The simulator's own request-handling time and request counts, per endpoint (``/_sim/stats``).

:class:`TimingMiddleware` is the outermost layer: it measures the simulator's work from the moment a
request reaches the app until the last byte of the answer is handed to the server, and it counts every
request — those answered by an injected fault too (with the injected status; an ``accept_then_timeout``
request is recorded with status 0 once the simulator gives up on it). So a benchmark (run without
faults) can put the simulator's share beside the client's round trip, and a test can count how many
requests of a kind arrived (that a 401 was not retried, that a 503 was retried exactly once). Requests
are grouped by method and path with its parameters named
(``DELETE /trade-api/v2/portfolio/events/orders/{order_id}``; the raw path for a request a fault answered
before routing). ``/_sim`` routes are not recorded.

- ``GET /_sim/stats`` — per endpoint: ``count``, ``statuses`` (HTTP status → count), ``median_ms``,
  ``p99_ms`` (over the last ``window`` requests of that endpoint);
- ``DELETE /_sim/stats`` — start counting afresh.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from fastapi import APIRouter

from markets.sim.common.faults import ASGIApp, Message, Receive, Scope, Send

ARRIVAL_NS = "arbees.arrival_ns"
"""Scope key: ``time.monotonic_ns()`` when the request reached the outermost layer."""


def percentile(sorted_values: list[float], q: float) -> float:
    """The ``q`` quantile (0..1) of ascending ``sorted_values`` by the nearest-rank method (0.0 when empty)."""
    if not sorted_values:
        return 0.0
    rank = max(1, min(len(sorted_values), math.ceil(q * len(sorted_values))))
    return sorted_values[rank - 1]


@dataclass
class EndpointStats:
    """Counts and recent handling times (seconds) of one endpoint."""

    window: int
    count: int = 0
    statuses: dict[int, int] = field(default_factory=dict)
    durations_s: deque[float] = field(init=False)

    def __post_init__(self) -> None:
        self.durations_s = deque(maxlen=self.window)

    def add(self, status: int, duration_s: float) -> None:
        """Record one request."""
        self.count += 1
        self.statuses[status] = self.statuses.get(status, 0) + 1
        self.durations_s.append(duration_s)

    def summary(self) -> dict[str, Any]:
        """JSON-able figures (milliseconds)."""
        ordered = sorted(self.durations_s)
        return {
            "count": self.count,
            "statuses": {str(k): v for k, v in sorted(self.statuses.items())},
            "median_ms": percentile(ordered, 0.5) * 1000,
            "p99_ms": percentile(ordered, 0.99) * 1000,
        }


class RequestStats:
    """Per-endpoint statistics of one simulator (thread-safe)."""

    def __init__(self, window: int = 10_000) -> None:
        self.window = window
        self._endpoints: dict[str, EndpointStats] = {}
        self._lock = threading.Lock()

    def add(self, endpoint: str, status: int, duration_s: float) -> None:
        """Record one handled request of ``endpoint`` (``"METHOD /route/template"``)."""
        with self._lock:
            stats = self._endpoints.get(endpoint)
            if stats is None:
                stats = self._endpoints[endpoint] = EndpointStats(self.window)
            stats.add(status, duration_s)

    def reset(self) -> None:
        """Forget everything recorded so far."""
        with self._lock:
            self._endpoints.clear()

    def summary(self) -> dict[str, dict[str, Any]]:
        """``endpoint -> figures`` (see the module docstring)."""
        with self._lock:
            return {name: stats.summary() for name, stats in sorted(self._endpoints.items())}


class TimingMiddleware:
    """ASGI middleware recording each HTTP request's handling time into :class:`RequestStats`."""

    def __init__(self, app: ASGIApp, stats: RequestStats) -> None:
        self.app = app
        self.stats = stats

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = str(scope.get("path", ""))
        if scope["type"] != "http" or path.startswith("/_sim"):
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        scope[ARRIVAL_NS] = time.monotonic_ns()  # when the request reached the simulator (tracing)
        status = 0
        recorded = False

        def record() -> None:
            nonlocal recorded
            if not recorded:
                recorded = True
                self.stats.add(_endpoint(scope, path), status, time.perf_counter() - started)

        async def timed_send(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)
            if message["type"] == "http.response.body" and not message.get("more_body", False):
                record()

        try:
            await self.app(scope, receive, timed_send)
        finally:
            record()  # no complete answer was sent (a hang, or an error)


def _endpoint(scope: Scope, path: str) -> str:
    """``METHOD /full/path/{param}``: path parameters (known once routed) put back as their names."""
    names = {str(value): name for name, value in (scope.get("path_params") or {}).items()}
    template = "/".join(f"{{{names[part]}}}" if part in names else part for part in path.split("/"))
    return f"{scope['method']} {template}"


def stats_router(stats: RequestStats) -> APIRouter:
    """``GET`` and ``DELETE /_sim/stats``."""
    router = APIRouter(prefix="/_sim", tags=["sim-control"])

    @router.get("/stats")
    async def get_stats() -> dict[str, dict[str, Any]]:
        return stats.summary()

    @router.delete("/stats")
    async def reset_stats() -> dict[str, str]:
        stats.reset()
        return {"status": "reset"}

    return router
