"""The Kalshi simulator's WebSocket API at ``/trade-api/ws/v2``.

The handshake must carry valid ``KALSHI-ACCESS-*`` headers signing ``GET /trade-api/ws/v2`` (401 in
Kalshi's error shape otherwise). Commands (``subscribe``, ``unsubscribe``, ``update_subscription``
with ``add_markets``/``delete_markets``/``get_snapshot``, ``list_subscriptions``) are answered as the
AsyncAPI documents them, error codes included. Channels: ``orderbook_delta`` (a snapshot per market,
then signed deltas; one gapless ``seq`` per subscription; NO levels priced on the NO leg, or on the YES
scale, ``1 - price``, when subscribed with ``use_yes_price: true``), ``ticker``, ``trade`` and the private
``fill`` and ``user_orders`` (``user_order`` messages), both only for the connection's own key. Ping
frames come from the server layer (uvicorn ``ws_ping_interval``, 10 s from the CLI).

Faults (``/_sim/faults``): ``ws_skip_seq`` skips one number on the next ``orderbook_delta``;
``ws_freeze`` stops every outgoing frame of one connection for ``hang_s`` (pings are still answered);
``ws_drop`` closes one connection; ``latency`` with a ``channel`` delays frames of that channel.
A fault with a ``channel`` applies only to a connection subscribed to it.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from fastapi import WebSocket, WebSocketDisconnect
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ValidationError

from markets.sim.common.faults import FaultInjector
from markets.sim.kalshi import wire
from markets.sim.kalshi.auth import AuthFailure, KeyRegistry
from markets.sim.kalshi.exchange import (
    BookChanged,
    ExchangeEvent,
    FillExecuted,
    KalshiExchange,
    MarketChanged,
    OrderChanged,
    SimMarket,
    TradeExecuted,
)
from shared.prices import ONE

log = logging.getLogger(__name__)
CHANNELS = frozenset({"orderbook_delta", "ticker", "trade", "fill", "user_orders"})
PRIVATE = frozenset({"fill", "user_orders"})
NEEDS_MARKETS = frozenset({"orderbook_delta"})
_POLL_S = 0.05
_ERRORS = {
    1: "Unable to process message",
    2: "Params required",
    3: "Channels required",
    4: "Subscription IDs required",
    5: "Unknown command",
    6: "Already subscribed",
    7: "Unknown subscription ID",
    8: "Unknown channel name",
    11: "Invalid parameter",
    12: "Exactly one subscription ID is required",
    13: "Unsupported action",
    14: "Market Ticker required",
    15: "Action required",
    16: "Market not found",
}


class _Command(BaseModel):
    id: int = 0
    cmd: str
    params: dict[str, Any] | None = None


class _CommandError(Exception):
    def __init__(self, code: int) -> None:
        super().__init__(_ERRORS[code])
        self.code = code


USE_YES_PRICE_DEFAULT = False
"""What a subscription without ``use_yes_price`` gets: NO levels on the NO-leg scale (the documented default
as of 2026-08, announced to flip to ``True``; venues.md §1.7)."""


@dataclass
class _Sub:
    sid: int
    channel: str
    tickers: set[str] | None
    seq: int = 0
    use_yes_price: bool = USE_YES_PRICE_DEFAULT
    """``orderbook_delta``: report NO levels at their YES-leg price (``1 - no price``)."""
    last_ticker: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def covers(self, ticker: str) -> bool:
        return self.tickers is None or ticker in self.tickers


@dataclass(eq=False)
class _Connection:
    websocket: WebSocket
    key_id: str
    queue: asyncio.Queue[tuple[dict[str, Any], str | None]] = field(default_factory=asyncio.Queue)
    subs: dict[int, _Sub] = field(default_factory=dict)
    next_sid: int = 1
    frozen_until: float = 0.0

    def channels(self) -> set[str]:
        return {s.channel for s in self.subs.values()}


class KalshiWsHub:
    """Every WebSocket connection of the simulator, fed by the exchange's events."""

    def __init__(self, exchange: KalshiExchange, keys: KeyRegistry, injector: FaultInjector) -> None:
        self.exchange = exchange
        self.keys = keys
        self.injector = injector
        self._conns: set[_Connection] = set()
        exchange.listeners.append(self._on_event)

    @property
    def connection_count(self) -> int:
        """Open connections."""
        return len(self._conns)

    async def handle(self, websocket: WebSocket) -> None:
        """Serve one connection until it closes."""
        try:
            key_id = self.keys.verify(websocket.headers, "GET", websocket.url.path)
        except AuthFailure as e:
            body = wire.error_json("unauthorized", "unauthorized", e.details)
            await websocket.send_denial_response(JSONResponse(body, status_code=401))
            return
        await websocket.accept()
        conn = _Connection(websocket, key_id)
        self._conns.add(conn)
        writer = asyncio.create_task(self._writer(conn))
        poller = asyncio.create_task(self._poll_faults(conn))
        try:
            while True:
                text = await websocket.receive_text()
                self._command(conn, text)
        except (WebSocketDisconnect, RuntimeError):
            pass
        finally:
            self._conns.discard(conn)
            for task in (writer, poller):
                task.cancel()
            await asyncio.gather(writer, poller, return_exceptions=True)

    # -- outgoing --------------------------------------------------------------------------------

    async def _writer(self, conn: _Connection) -> None:
        loop = asyncio.get_running_loop()
        while True:
            frame, channel = await conn.queue.get()
            if loop.time() < conn.frozen_until:
                continue  # frozen: data silently stops, the socket stays up
            if channel is not None and self._has_channel_fault("latency"):
                fault = self.injector.take_ws("latency", channel)
                if fault is not None:
                    await asyncio.sleep(fault.latency_ms / 1000)
            await conn.websocket.send_text(json.dumps(frame))

    def _has_channel_fault(self, kind: str) -> bool:
        return any(f["kind"] == kind and f["channel"] for f in self.injector.list())

    async def _poll_faults(self, conn: _Connection) -> None:
        loop = asyncio.get_running_loop()
        while True:
            await asyncio.sleep(_POLL_S)
            for channel in sorted(conn.channels()) or ["-"]:
                freeze = self.injector.take_ws("ws_freeze", channel)
                if freeze is not None:
                    conn.frozen_until = loop.time() + freeze.hang_s
                if self.injector.take_ws("ws_drop", channel) is not None:
                    with contextlib.suppress(RuntimeError):
                        await conn.websocket.close(code=1011)
                    return

    def _send(self, conn: _Connection, frame: dict[str, Any], channel: str | None = None) -> None:
        conn.queue.put_nowait((frame, channel))

    def _sequenced(self, conn: _Connection, sub: _Sub, kind: str, msg: dict[str, Any]) -> None:
        if kind == "orderbook_delta" and self.injector.take_ws("ws_skip_seq", "orderbook_delta") is not None:
            sub.seq += 1
        sub.seq += 1
        self._send(conn, {"type": kind, "sid": sub.sid, "seq": sub.seq, "msg": msg}, sub.channel)

    # -- commands --------------------------------------------------------------------------------

    def _command(self, conn: _Connection, text: str) -> None:
        cmd_id = 0
        try:
            try:
                command = _Command.model_validate_json(text)
            except ValidationError:
                raise _CommandError(1) from None
            cmd_id = command.id
            handler = {
                "subscribe": self._subscribe,
                "unsubscribe": self._unsubscribe,
                "update_subscription": self._update,
                "list_subscriptions": self._list,
            }.get(command.cmd)
            if handler is None:
                raise _CommandError(5)
            handler(conn, cmd_id, command.params)
        except _CommandError as e:
            self._send(conn, {"id": cmd_id, "type": "error", "msg": {"code": e.code, "msg": _ERRORS[e.code]}})

    def _markets_param(self, params: dict[str, Any]) -> list[str] | None:
        tickers = params.get("market_tickers")
        if tickers is None and params.get("market_ticker") is not None:
            tickers = [params["market_ticker"]]
        if tickers is None:
            return None
        if not isinstance(tickers, list) or not all(isinstance(t, str) for t in tickers):
            raise _CommandError(11)
        if any(t not in self.exchange.markets for t in tickers):
            raise _CommandError(16)
        return list(dict.fromkeys(tickers))

    def _subscribe(self, conn: _Connection, cmd_id: int, params: dict[str, Any] | None) -> None:
        if params is None:
            raise _CommandError(2)
        channels = params.get("channels")
        if not channels or not isinstance(channels, list):
            raise _CommandError(3)
        if any(c not in CHANNELS for c in channels):
            raise _CommandError(8)
        tickers = self._markets_param(params)
        use_yes_price = params.get("use_yes_price", USE_YES_PRICE_DEFAULT)
        if not isinstance(use_yes_price, bool):
            raise _CommandError(11)
        for channel in channels:
            if channel in NEEDS_MARKETS and not tickers:
                raise _CommandError(14)
            wanted = None if tickers is None else set(tickers)
            for sub in conn.subs.values():
                if sub.channel == channel and (sub.tickers is None or wanted is None or sub.tickers & wanted):
                    raise _CommandError(6)
        for channel in channels:
            sub = _Sub(conn.next_sid, channel, None if tickers is None else set(tickers), use_yes_price=use_yes_price)
            conn.next_sid += 1
            conn.subs[sub.sid] = sub
            self._send(conn, {"id": cmd_id, "type": "subscribed", "msg": {"channel": channel, "sid": sub.sid}})
            if channel == "orderbook_delta":
                for ticker in tickers or ():
                    self._snapshot(conn, sub, self.exchange.markets[ticker])
            elif channel == "ticker" and params.get("send_initial_snapshot"):
                for market in self._covered(sub):
                    self._ticker(conn, sub, market, force=True)

    def _unsubscribe(self, conn: _Connection, cmd_id: int, params: dict[str, Any] | None) -> None:
        if params is None:
            raise _CommandError(2)
        sids = params.get("sids")
        if not sids or not isinstance(sids, list):
            raise _CommandError(4)
        if any(sid not in conn.subs for sid in sids):
            raise _CommandError(7)
        for sid in sids:
            sub = conn.subs.pop(sid)
            self._send(conn, {"id": cmd_id, "sid": sid, "seq": sub.seq, "type": "unsubscribed"})

    def _update(self, conn: _Connection, cmd_id: int, params: dict[str, Any] | None) -> None:
        if params is None:
            raise _CommandError(2)
        sids = params.get("sids") if params.get("sids") is not None else [params.get("sid")]
        if not isinstance(sids, list) or len(sids) != 1 or not isinstance(sids[0], int):
            raise _CommandError(12)
        sub = conn.subs.get(sids[0])
        if sub is None:
            raise _CommandError(7)
        action = params.get("action")
        if not action:
            raise _CommandError(15)
        tickers = self._markets_param(params)
        if action == "add_markets":
            if not tickers:
                raise _CommandError(14)
            sub.tickers = (sub.tickers or set()) | set(tickers)
        elif action == "delete_markets":
            if not tickers:
                raise _CommandError(14)
            if sub.tickers is not None:
                sub.tickers -= set(tickers)
        elif action != "get_snapshot" or sub.channel != "orderbook_delta":
            raise _CommandError(13)
        listed = sorted(sub.tickers or ())
        self._send(
            conn, {"id": cmd_id, "sid": sub.sid, "seq": sub.seq, "type": "ok", "msg": {"market_tickers": listed}}
        )
        if sub.channel == "orderbook_delta" and action in ("add_markets", "get_snapshot"):
            for ticker in tickers if tickers else listed:
                self._snapshot(conn, sub, self.exchange.markets[ticker])

    def _list(self, conn: _Connection, cmd_id: int, params: dict[str, Any] | None) -> None:
        listed = [{"channel": s.channel, "sid": s.sid} for s in conn.subs.values()]
        self._send(conn, {"id": cmd_id, "type": "ok", "msg": listed})

    # -- data ------------------------------------------------------------------------------------

    def _covered(self, sub: _Sub) -> list[SimMarket]:
        return [m for t, m in self.exchange.markets.items() if sub.covers(t)]

    def _snapshot(self, conn: _Connection, sub: _Sub, market: SimMarket) -> None:
        yes, no = market.aggregated()
        msg: dict[str, Any] = {"market_ticker": market.ticker, "market_id": market.market_id}
        if yes:
            msg["yes_dollars_fp"] = [[wire.dollars(p), wire.fp(yes[p])] for p in sorted(yes)]
        if no:
            levels = {_no_level_price(sub, p): size for p, size in no.items()}
            msg["no_dollars_fp"] = [[wire.dollars(p), wire.fp(levels[p])] for p in sorted(levels)]
        self._sequenced(conn, sub, "orderbook_snapshot", msg)

    def _ticker(self, conn: _Connection, sub: _Sub, market: SimMarket, *, force: bool = False) -> None:
        yes, no = market.aggregated()
        yes_bid = max(yes) if yes else Decimal(0)
        no_bid = max(no) if no else Decimal(0)
        now = self.exchange.now()
        values = {
            "price_dollars": wire.dollars(market.last_price),
            "yes_bid_dollars": wire.dollars(yes_bid),
            "yes_ask_dollars": wire.dollars(ONE - no_bid if no else ONE),
            "yes_bid_size_fp": wire.fp(yes.get(yes_bid, Decimal(0))),
            "yes_ask_size_fp": wire.fp(no.get(no_bid, Decimal(0))),
            "volume_fp": wire.fp(market.volume),
            "open_interest_fp": wire.fp(market.open_interest),
            "last_trade_size_fp": wire.fp(market.last_trade_size),
        }
        key = tuple(values.values())
        if not force and sub.last_ticker.get(market.ticker) == key:
            return
        sub.last_ticker[market.ticker] = key
        msg = {
            "market_ticker": market.ticker,
            "market_id": market.market_id,
            **values,
            "dollar_volume": int(market.volume),
            "dollar_open_interest": int(market.open_interest),
            "ts": int(now.timestamp()),
            "ts_ms": wire.ms(now),
            "time": now.strftime("%Y-%m-%dT%H:%M:%SZ"),
        }
        self._send(conn, {"type": "ticker", "sid": sub.sid, "msg": msg}, "ticker")

    def _on_event(self, event: ExchangeEvent) -> None:
        for conn in list(self._conns):
            for sub in list(conn.subs.values()):
                self._route(conn, sub, event)

    def _route(self, conn: _Connection, sub: _Sub, event: ExchangeEvent) -> None:
        if isinstance(event, BookChanged) and sub.channel == "orderbook_delta" and sub.covers(event.ticker):
            self._sequenced(conn, sub, "orderbook_delta", self._delta(conn, sub, event))
        elif isinstance(event, TradeExecuted) and sub.channel == "trade" and sub.covers(event.trade.ticker):
            trade = wire.trade_json(event.trade)
            msg = {k: v for k, v in trade.items() if k not in ("ticker", "created_time")}
            msg |= {"market_ticker": event.trade.ticker, **_times(event.trade.created)}
            self._send(conn, {"type": "trade", "sid": sub.sid, "msg": msg}, "trade")
        elif isinstance(event, FillExecuted) and sub.channel == "fill" and sub.covers(event.fill.ticker):
            if event.fill.owner == conn.key_id:
                self._send(conn, {"type": "fill", "sid": sub.sid, "msg": _fill_msg(event)}, "fill")
        elif isinstance(event, OrderChanged) and sub.channel == "user_orders" and sub.covers(event.order.ticker):
            if event.order.owner == conn.key_id:
                self._send(conn, {"type": "user_order", "sid": sub.sid, "msg": wire.user_order_json(event.order)})
        elif isinstance(event, MarketChanged) and sub.channel == "ticker" and sub.covers(event.ticker):
            self._ticker(conn, sub, self.exchange.markets[event.ticker])

    def _delta(self, conn: _Connection, sub: _Sub, event: BookChanged) -> dict[str, Any]:
        market = self.exchange.markets[event.ticker]
        price = _no_level_price(sub, event.price) if event.side == "no" else event.price
        msg: dict[str, Any] = {
            "market_ticker": event.ticker,
            "market_id": market.market_id,
            "price_dollars": wire.dollars(price),
            "delta_fp": wire.fp(event.delta),
            "side": event.side,
            "ts": event.at.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "ts_ms": wire.ms(event.at),
        }
        if event.client_order_id and event.owner == conn.key_id:
            msg["client_order_id"] = event.client_order_id
        return msg


def _no_level_price(sub: _Sub, no_price: Decimal) -> Decimal:
    """A NO level's price as ``sub`` asked for it: the NO leg's own price, or ``1 - price`` on the YES scale."""
    return ONE - no_price if sub.use_yes_price else no_price


def _times(at: Any) -> dict[str, int]:
    return {"ts": int(at.timestamp()), "ts_ms": wire.ms(at)}


def _fill_msg(event: FillExecuted) -> dict[str, Any]:
    fill = event.fill
    outcome = "yes" if fill.side == "bid" else "no"
    return {
        "trade_id": fill.trade_id,
        "order_id": fill.order_id,
        "market_ticker": fill.ticker,
        "is_taker": fill.is_taker,
        "side": outcome,
        "action": "buy",
        "purchased_side": outcome,
        "outcome_side": outcome,
        "book_side": fill.side,
        "yes_price_dollars": wire.dollars(fill.yes_price),
        "count_fp": wire.fp(fill.count),
        "fee_cost": wire.dollars(fill.fee),
        "post_position_fp": wire.fp(fill.post_position),
        "client_order_id": fill.client_order_id,
        "exchange_index": fill.exchange_index,
        "subaccount": 0,
        **_times(fill.created),
    }
