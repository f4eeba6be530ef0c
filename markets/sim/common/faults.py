"""Fault injection for simulators: HTTP statuses, accept-then-time-out, latency and WebSocket faults.

Faults are added through the control API (``POST /_sim/faults``) and consumed by the HTTP middleware
(:class:`FaultMiddleware`) or by a simulator's WebSocket code (:meth:`FaultInjector.take_ws`). A fault
matches a method and a path regular expression (HTTP) or a channel (WebSocket) and applies ``count``
times (``None`` = until cleared).

Kinds:

- ``http_status``: answer ``status`` with ``body`` instead of handling the request.
- ``accept_then_timeout``: handle the request (the order is accepted), then send nothing for ``hang_s``
  seconds and drop the connection — the client sees a timeout after the venue acted.
- ``accept_then_status``: handle the request (the order is accepted), then answer ``status`` with
  ``body`` instead of the real answer — a 5xx reported after the venue acted.
- ``latency``: wait ``latency_ms`` before handling the request (or before each WebSocket frame).
- ``ws_skip_seq``: skip one sequence number on the next sequenced message of ``channel``.
- ``ws_freeze``: keep the socket open and answer pings, but send no data for ``hang_s`` seconds.
- ``ws_drop``: close the WebSocket connection.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import re
import threading
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

FaultKind = Literal[
    "http_status", "accept_then_timeout", "accept_then_status", "latency", "ws_skip_seq", "ws_freeze", "ws_drop"
]
HTTP_KINDS = ("http_status", "accept_then_timeout", "accept_then_status", "latency")
WS_KINDS = ("ws_skip_seq", "ws_freeze", "ws_drop", "latency")

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


@dataclass
class Fault:
    """One injected fault (see the module docstring for the kinds)."""

    kind: FaultKind
    path: str | None = None
    method: str | None = None
    status: int = 503
    body: Any = None
    latency_ms: int = 0
    hang_s: float = 30.0
    channel: str | None = None
    count: int | None = 1
    id: int = 0
    applied: int = field(default=0)

    def matches_http(self, method: str, path: str) -> bool:
        """True when this fault applies to ``method path``."""
        if self.kind not in HTTP_KINDS or self.channel is not None:
            return False
        if self.method and self.method.upper() != method.upper():
            return False
        return self.path is None or re.search(self.path, path) is not None

    def matches_ws(self, kind: str, channel: str | None) -> bool:
        """True when this fault applies to a WebSocket ``kind`` on ``channel``.

        A ``latency`` fault is an HTTP fault unless it names a channel, so WebSocket code never consumes
        one meant for requests.
        """
        if self.kind != kind or (kind == "latency" and self.channel is None):
            return False
        return self.channel is None or channel is None or self.channel == channel


class FaultInjector:
    """The active faults of one simulator (thread-safe; shared by HTTP and WebSocket code)."""

    def __init__(self) -> None:
        self._faults: list[Fault] = []
        self._ids = itertools.count(1)
        self._lock = threading.Lock()

    def add(self, fault: Fault) -> Fault:
        """Activate ``fault``; returns it with its id."""
        with self._lock:
            fault.id = next(self._ids)
            self._faults.append(fault)
        return fault

    def clear(self) -> None:
        """Remove every fault."""
        with self._lock:
            self._faults.clear()

    def list(self) -> list[dict[str, Any]]:
        """The active faults as JSON-able dicts."""
        with self._lock:
            return [asdict(f) for f in self._faults]

    def _take(self, predicate: Callable[[Fault], bool]) -> Fault | None:
        with self._lock:
            for fault in self._faults:
                if predicate(fault):
                    fault.applied += 1
                    if fault.count is not None:
                        fault.count -= 1
                        if fault.count <= 0:
                            self._faults.remove(fault)
                    return fault
        return None

    def take_http(self, method: str, path: str) -> Fault | None:
        """Consume one application of the first HTTP fault matching ``method path``."""
        return self._take(lambda f: f.matches_http(method, path))

    def take_ws(self, kind: str, channel: str | None = None) -> Fault | None:
        """Consume one application of the first WebSocket fault of ``kind`` on ``channel``."""
        return self._take(lambda f: f.kind in WS_KINDS and f.matches_ws(kind, channel))


ErrorBody = Callable[[int], Any]


class FaultMiddleware:
    """ASGI middleware applying HTTP faults; ``error_body(status)`` gives the venue's error JSON.

    Paths under ``/_sim`` are never faulted, so a test can always clear faults.
    """

    def __init__(self, app: ASGIApp, injector: FaultInjector, error_body: ErrorBody) -> None:
        self.app = app
        self.injector = injector
        self.error_body = error_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or str(scope.get("path", "")).startswith("/_sim"):
            await self.app(scope, receive, send)
            return
        fault = self.injector.take_http(scope["method"], scope["path"])
        if fault is None:
            await self.app(scope, receive, send)
        elif fault.kind == "latency":
            await asyncio.sleep(fault.latency_ms / 1000)
            await self.app(scope, receive, send)
        elif fault.kind == "http_status":
            await _send_json(
                send, fault.status, fault.body if fault.body is not None else self.error_body(fault.status)
            )
        elif fault.kind == "accept_then_status":
            await self.app(scope, receive, _swallow)
            await _send_json(
                send, fault.status, fault.body if fault.body is not None else self.error_body(fault.status)
            )
        else:  # accept_then_timeout: act, then never answer
            await self.app(scope, receive, _swallow)
            await asyncio.sleep(fault.hang_s)


async def _swallow(message: Message) -> None:
    return None


async def _send_json(send: Send, status: int, body: Any) -> None:
    payload = body.encode() if isinstance(body, str) else json.dumps(body).encode()
    content_type = b"text/html; charset=utf-8" if isinstance(body, str) else b"application/json"
    await send({"type": "http.response.start", "status": status, "headers": [(b"content-type", content_type)]})
    await send({"type": "http.response.body", "body": payload})
