"""The CLOB WebSockets: market channel (``/ws/market``) and user channel (``/ws/user``).

Market: the first message subscribes (``{"assets_ids": [...], "type": "market", "initial_dump": true}``);
the answer is one array-wrapped frame of ``book`` snapshots (hash as REST, plus ``tick_size`` and
``last_trade_price``; ``min_order_size``/``neg_risk`` are not sent, as on the venue), then
``price_change`` / ``last_trade_price`` / ``tick_size_change`` for the subscribed tokens, and
``best_bid_ask`` / ``market_resolved`` with ``custom_feature_enabled``. Later
``{"operation": "subscribe"|"unsubscribe", "assets_ids": [...]}`` changes the set.

User: the first message authenticates (``{"auth": {"apiKey", "secret", "passphrase"}, "markets": [...],
"type": "user"}``; a bad one closes with 1008); then ``order`` and ``trade`` events of that key.

Both answer the text ``PING`` with ``PONG`` — also while frozen — and honour the injected faults
``ws_freeze`` (data stops, ``PONG`` continues), ``ws_drop`` (close) and ``latency`` per frame.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from typing import Any

from fastapi import FastAPI, WebSocket, WebSocketDisconnect

from markets.sim.polymarket.hub import MarketMessage, Message, UserMessage
from markets.sim.polymarket.state import SimState
from markets.sim.polymarket.wire import dumps

log = logging.getLogger(__name__)
FAULT_POLL_S = 0.05


class _Session:
    """One WebSocket connection: a reader (PING, subscriptions), a writer (events) and a fault poller."""

    def __init__(self, state: SimState, ws: WebSocket, channel: str) -> None:
        self.state, self.ws, self.channel = state, ws, channel
        self.queue = state.hub.subscribe()
        self.send_lock = asyncio.Lock()
        self.frozen_until = 0.0
        self.assets: set[str] = set()
        self.since: dict[str, int] = {}  # asset -> hub seq of its snapshot: older messages are dropped
        self.markets: set[str] = set()
        self.custom = False
        self.owner: str | None = None

    async def send(self, text: str) -> None:
        async with self.send_lock:
            await self.ws.send_text(text)

    async def run(self, first: dict[str, Any]) -> None:
        tasks = [
            asyncio.create_task(self._reader()),
            asyncio.create_task(self._writer()),
            asyncio.create_task(self._faults()),
        ]
        try:
            await self.subscribe(first)
            await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            self.state.hub.unsubscribe(self.queue)
            with contextlib.suppress(Exception):
                await self.ws.close()

    async def subscribe(self, msg: dict[str, Any]) -> None:
        operation = str(msg.get("operation", "subscribe")).lower()
        if self.channel == "market":
            ids = {str(a) for a in msg.get("assets_ids", [])}
            self.custom = bool(msg.get("custom_feature_enabled", self.custom))
            if operation == "unsubscribe":
                self.assets -= ids
                return
            new = ids - self.assets
            self.assets |= ids
            self.since.update(dict.fromkeys(new, self.state.hub.seq))
            if msg.get("initial_dump", True) and new:
                books = [self._ws_book(a) for a in sorted(new) if a in self.state.exchange.tokens]
                if books:
                    await self.send(dumps(books))
        else:
            ids = {str(m) for m in msg.get("markets", [])}
            self.markets = self.markets - ids if operation == "unsubscribe" else self.markets | ids

    def _ws_book(self, token: str) -> dict[str, Any]:
        rest = self.state.exchange.book_json(token)
        body = {"event_type": "book", **{k: v for k, v in rest.items() if k not in ("min_order_size", "neg_risk")}}
        return body

    async def _reader(self) -> None:
        while True:
            text = await self.ws.receive_text()
            if text.strip().upper() == "PING":
                await self.send("PONG")
                continue
            with contextlib.suppress(ValueError):
                msg = json.loads(text)
                if isinstance(msg, dict):
                    await self.subscribe(msg)

    async def _writer(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            seq, message = await self.queue.get()
            payload = self._filter(seq, message)
            if payload is None or loop.time() < self.frozen_until:
                continue
            fault = self.state.injector.take_ws("latency", self.channel)
            if fault is not None:
                await asyncio.sleep(fault.latency_ms / 1000)
            await self.send(dumps(payload))

    async def _faults(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            if self.state.injector.take_ws("ws_drop", self.channel) is not None:
                await self.ws.close(code=1011)
                return
            freeze = self.state.injector.take_ws("ws_freeze", self.channel)
            if freeze is not None:
                self.frozen_until = loop.time() + freeze.hang_s
            await asyncio.sleep(FAULT_POLL_S)

    def _wants(self, asset: str, seq: int) -> bool:
        return asset in self.assets and seq > self.since.get(asset, 0)

    def _filter(self, seq: int, message: Message) -> dict[str, Any] | None:
        if self.channel == "market" and isinstance(message, MarketMessage):
            if message.custom_feature and not self.custom:
                return None
            payload = message.payload
            if payload.get("event_type") == "price_change":
                items = [i for i in payload["price_changes"] if self._wants(i["asset_id"], seq)]
                return {**payload, "price_changes": items} if items else None
            return payload if any(self._wants(a, seq) for a in message.asset_ids) else None
        if self.channel == "user" and isinstance(message, UserMessage):
            if message.owner != self.owner or (self.markets and message.market not in self.markets):
                return None
            return message.payload
        return None


async def _first_message(ws: WebSocket, timeout_s: float) -> dict[str, Any] | None:
    try:
        while True:
            async with asyncio.timeout(timeout_s):
                text = await ws.receive_text()
            if text.strip().upper() == "PING":
                await ws.send_text("PONG")
                continue
            msg = json.loads(text)
            return msg if isinstance(msg, dict) else None
    except (TimeoutError, ValueError, WebSocketDisconnect):
        return None


def register_ws(app: FastAPI, state: SimState) -> None:
    """Add ``/ws/market`` and ``/ws/user`` to ``app``."""

    @app.websocket("/ws/market")
    async def market_channel(ws: WebSocket) -> None:
        await ws.accept()
        first = await _first_message(ws, state.config.ws_subscribe_timeout_s)
        if first is None:
            await ws.close(code=1008)
            return
        with contextlib.suppress(WebSocketDisconnect):
            await _Session(state, ws, "market").run(first)

    @app.websocket("/ws/user")
    async def user_channel(ws: WebSocket) -> None:
        await ws.accept()
        first = await _first_message(ws, state.config.ws_subscribe_timeout_s)
        auth = (first or {}).get("auth") or {}
        key = state.keys.check_ws(
            str(auth.get("apiKey", "")), str(auth.get("secret", "")), str(auth.get("passphrase", ""))
        )
        if first is None or key is None:
            await ws.close(code=1008)
            return
        session = _Session(state, ws, "user")
        session.owner = key.api_key
        with contextlib.suppress(WebSocketDisconnect):
            await session.run(first)
