"""``KalshiWebSocket``: Kalshi's streaming API with local books, gap recovery, reconnects and a watchdog.

Protocol (venues.md §1.7, docs.kalshi.com/websockets): the handshake ``GET /trade-api/ws/v2`` carries
the three signed ``KALSHI-ACCESS-*`` headers; commands are JSON ``{"id", "cmd", "params"}``
(``subscribe``, ``unsubscribe``, ``update_subscription``); the server pings every 10 s and the
websockets library answers with pongs. ``orderbook_delta`` sends a snapshot per market, then signed
deltas, all numbered by one gapless ``seq`` per subscription (``sid``). Every ``orderbook_delta``
subscription sends ``use_yes_price: false`` explicitly: NO levels then come on the NO leg's own price
scale, which is what :mod:`markets.kalshi.parsing` and :mod:`markets.kalshi.books` read (a NO bid at 0.30
is "NO at 30c", i.e. a YES ask at 0.70). Kalshi has announced that the default flips to ``true``; naming
the flag keeps our books right across that flip.

Recovery, all automatic:

- **sequence gap** (or a delta that would drive a level negative): every book of that subscription is
  cleared and the subscription is replaced (unsubscribe + subscribe), which brings fresh snapshots;
- **silent freeze**: a market whose book saw no data for ``staleness_s`` although the socket is
  alive is marked stale (:class:`BookStale`) and re-subscribed; if the re-subscription itself brings
  nothing within ``staleness_s``, the connection is dropped and re-opened;
- **disconnect**: reconnect with exponential back-off and full jitter, re-send every subscription
  (fresh snapshots), and put :class:`ReconcileRequired` on the private queue — fills missed while down
  must be fetched over REST (``KalshiRestClient.list_fills``); the ``fill`` channel does not replay.
  A private message that cannot be parsed is never silently dropped: it also yields
  :class:`ReconcileRequired`.

A 401 on the handshake raises :class:`~shared.errors.AuthOrClock` out of :meth:`KalshiWebSocket.run`:
a bad key or clock is never retried blindly. Market events go to a bounded queue that drops the
oldest when full; private events (fills, orders) go to a bounded queue whose ``put`` blocks — they
are never dropped.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import logging
import random
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal
from urllib.parse import urlsplit

from pydantic import ValidationError
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidStatus

from markets.kalshi import parsing as p
from markets.kalshi import schemas as w
from markets.kalshi.auth import KalshiSigner
from markets.kalshi.books import BookOutOfSync, LocalBook
from markets.kalshi.config import KalshiSettings
from markets.kalshi.errors import VENUE
from markets.kalshi.models import KalshiFill, PublicTrade, TickerUpdate
from markets.kalshi.retry import Backoff
from shared.aio import wait_event
from shared.errors import AuthOrClock
from shared.messages.market_data import MarketPriceUpdated

log = logging.getLogger(__name__)

Channel = Literal["orderbook_delta", "ticker", "trade", "fill", "user_orders", "market_positions"]
UpdateAction = Literal["add_markets", "delete_markets", "get_snapshot"]
_BOOK_TYPES = ("orderbook_snapshot", "orderbook_delta")
USE_YES_PRICE = False
"""Sent with every ``orderbook_delta`` subscription: NO levels on the NO-leg scale, as our parsing reads them."""
_PRIVATE = ("fill", "user_orders", "market_positions")
_PRIVATE_TYPES = ("fill", "user_order", "market_position")


@dataclass(frozen=True)
class BookUpdated:
    """The local book of ``ticker`` changed; ``yes``/``no`` are its new tops of book."""

    ticker: str
    yes: MarketPriceUpdated
    no: MarketPriceUpdated


@dataclass(frozen=True)
class BookStale:
    """The local book of ``ticker`` must not be priced from until it is rebuilt (``reason``: gap, stale...)."""

    ticker: str
    reason: str


@dataclass(frozen=True)
class ReconcileRequired:
    """Private events may have been missed (``reason``: ``reconnected``, ``unparsable_fill``...); reconcile."""

    at: datetime
    reason: str


MarketEvent = BookUpdated | BookStale | TickerUpdate | PublicTrade
PrivateEvent = KalshiFill | w.WsUserOrder | ReconcileRequired


@dataclass
class Subscription:
    """One subscription as we want it; re-sent after every reconnect.

    ``sid`` is the server's id on the current connection (``None`` until ``subscribed``).
    """

    channel: Channel
    tickers: list[str]
    sid: int | None = None
    cmd_id: int | None = None
    last_seq: int | None = None
    requested_mono: float | None = None
    failed: str | None = None


@dataclass
class FeedStats:
    """Counters for metrics and tests."""

    connects: int = 0
    gaps: int = 0
    resyncs: int = 0
    stale_marks: int = 0
    forced_reconnects: int = 0
    dropped_market_events: int = 0
    errors: list[str] = field(default_factory=list)


class KalshiWebSocket:
    """Kalshi WebSocket client for one API key.

    Parameters
    ----------
    url
        ``wss://…/trade-api/ws/v2``.
    signer
        Signs the handshake (Kalshi requires authentication even for public channels).
    staleness_s
        Seconds without book data after which a market's book is stale (see the module docstring).
    backoff
        Reconnect back-off (exponential, full jitter, capped).
    open_timeout_s, ping_interval_s
        Handshake timeout; interval of our own keep-alive pings (the server pings us too).
    market_queue_size, private_queue_size
        Bounds of :attr:`market_events` (drops oldest) and :attr:`private_events` (blocks).
    """

    def __init__(
        self,
        url: str,
        signer: KalshiSigner,
        *,
        staleness_s: float = 30.0,
        backoff: Backoff | None = None,
        open_timeout_s: float = 10.0,
        ping_interval_s: float = 10.0,
        market_queue_size: int = 10_000,
        private_queue_size: int = 10_000,
        rng: random.Random | None = None,
    ) -> None:
        self.url = url
        self._path = urlsplit(url).path
        self._signer = signer
        self.staleness_s = staleness_s
        self._backoff = backoff or Backoff(base_s=0.5, cap_s=30.0)
        self._open_timeout_s = open_timeout_s
        self._ping_interval_s = ping_interval_s
        self._rng = rng or random.Random()  # noqa: S311 - jitter, not cryptography
        self.books: dict[str, LocalBook] = {}
        self.market_events: asyncio.Queue[MarketEvent] = asyncio.Queue(market_queue_size)
        self.private_events: asyncio.Queue[PrivateEvent] = asyncio.Queue(private_queue_size)
        self.stats = FeedStats()
        self.connected = asyncio.Event()
        self._subs: list[Subscription] = []
        self._by_sid: dict[int, Subscription] = {}
        self._by_cmd: dict[int, Subscription] = {}
        self._ids = itertools.count(1)
        self._conn: ClientConnection | None = None
        self._closing = asyncio.Event()

    @classmethod
    def from_settings(cls, settings: KalshiSettings, signer: KalshiSigner | None = None) -> KalshiWebSocket:
        """A client configured from :class:`KalshiSettings` (``signer`` defaults to the configured key)."""
        signer = signer or settings.signer()
        if signer is None:
            raise AuthOrClock("the Kalshi WebSocket needs KALSHI_API_KEY_ID and a private key", venue=VENUE)
        return cls(
            settings.ws_url,
            signer,
            staleness_s=settings.ws_staleness_s,
            backoff=Backoff(base_s=settings.backoff_base_s, cap_s=settings.ws_reconnect_cap_s),
            open_timeout_s=settings.ws_open_timeout_s,
            ping_interval_s=settings.ws_ping_interval_s,
        )

    # -- public API ------------------------------------------------------------------------------

    def book(self, ticker: str) -> LocalBook | None:
        """The local book of ``ticker`` (check ``valid`` and ``stale`` before pricing from it)."""
        return self.books.get(ticker)

    async def subscribe(self, channel: Channel, tickers: Iterable[str] = ()) -> Subscription:
        """Subscribe ``channel`` for ``tickers`` (empty: every market, where the channel allows it).

        Idempotent per connection life: the subscription is kept and re-sent after reconnects.
        """
        sub = Subscription(channel, list(dict.fromkeys(tickers)))
        self._subs.append(sub)
        if channel == "orderbook_delta":
            for ticker in sub.tickers:
                self.books.setdefault(ticker, LocalBook(ticker))
        await self._send_subscribe(sub)
        return sub

    async def update_subscription(self, sub: Subscription, action: UpdateAction, tickers: Iterable[str]) -> None:
        """``update_subscription``: add or delete markets, or ask for fresh snapshots (``get_snapshot``)."""
        tickers = list(tickers)
        if action == "add_markets":
            sub.tickers.extend(t for t in tickers if t not in sub.tickers)
            if sub.channel == "orderbook_delta":
                for ticker in tickers:
                    self.books.setdefault(ticker, LocalBook(ticker))
        elif action == "delete_markets":
            sub.tickers[:] = [t for t in sub.tickers if t not in tickers]
        if sub.sid is not None:
            params = {"sids": [sub.sid], "market_tickers": tickers, "action": action}
            await self._send("update_subscription", params)
        elif action != "get_snapshot" and sub in self._subs:
            # Not subscribed on this connection (the subscribe failed, was never sent, or is still in flight
            # with the old list): subscribe again with the whole list; an answer to the old one is ignored.
            if sub.cmd_id is not None:
                self._by_cmd.pop(sub.cmd_id, None)
                sub.cmd_id = None
            await self._send_subscribe(sub)

    async def unsubscribe(self, sub: Subscription) -> None:
        """Drop ``sub`` (its books are kept but no longer updated)."""
        if sub in self._subs:
            self._subs.remove(sub)
        await self._drop_sid(sub)

    async def run(self) -> None:
        """Connect, stream and reconnect until :meth:`close`.

        Raises
        ------
        shared.errors.AuthOrClock
            The handshake was refused with 401 (bad key, signature or clock).
        """
        attempt = 0
        while not self._closing.is_set():
            try:
                conn = await connect(
                    self.url,
                    additional_headers=self._signer.headers("GET", self._path),
                    open_timeout=self._open_timeout_s,
                    ping_interval=self._ping_interval_s,
                    ping_timeout=self._ping_interval_s * 2,
                    max_size=2**24,
                )
            except InvalidStatus as e:
                if e.response.status_code == 401:
                    raise AuthOrClock(f"kalshi websocket handshake refused: {e}", venue=VENUE, status=401) from e
                self._note(f"handshake failed: {e}")
            except (OSError, TimeoutError, InvalidHandshake) as e:
                self._note(f"connect failed: {type(e).__name__}: {e}")
            else:
                if await self._session(conn):
                    attempt = 0
            if self._closing.is_set():
                break
            delay = self._backoff.delay(attempt, self._rng)
            attempt += 1
            await wait_event(self._closing, delay)

    async def close(self) -> None:
        """Stop :meth:`run` and close the socket (idempotent)."""
        self._closing.set()
        if self._conn is not None:
            await self._conn.close()

    # -- connection ------------------------------------------------------------------------------

    async def _session(self, conn: ClientConnection) -> bool:
        """Serve one connection; True when it delivered data (so back-off restarts)."""
        self._conn = conn
        self.stats.connects += 1
        got_data = False
        if self.stats.connects > 1 and any(s.channel in _PRIVATE for s in self._subs):
            await self.private_events.put(ReconcileRequired(datetime.now(UTC), "reconnected"))
        for sub in list(self._subs):
            await self._send_subscribe(sub)
        self.connected.set()
        watchdog = asyncio.create_task(self._watchdog(conn))
        try:
            async for raw in conn:
                got_data = True
                await self._dispatch(raw)
        except ConnectionClosed as e:
            self._note(f"connection closed: {e}")
        finally:
            self.connected.clear()
            self._conn = None
            watchdog.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await watchdog
            await conn.close()
            self._forget_connection()
        return got_data

    def _forget_connection(self) -> None:
        self._by_sid.clear()
        self._by_cmd.clear()
        for sub in self._subs:
            sub.sid, sub.cmd_id, sub.last_seq, sub.requested_mono = None, None, None, None
        for ticker, book in self.books.items():
            if book.valid:
                book.clear()
                book.stale = True
                self._offer(BookStale(ticker, "disconnected"))

    async def _send(self, cmd: str, params: dict[str, Any] | None = None) -> int | None:
        conn = self._conn
        if conn is None:
            return None
        cmd_id = next(self._ids)
        message: dict[str, Any] = {"id": cmd_id, "cmd": cmd}
        if params is not None:
            message["params"] = params
        try:
            await conn.send(json.dumps(message))
        except ConnectionClosed:
            return None
        return cmd_id

    async def _send_subscribe(self, sub: Subscription) -> None:
        if sub.channel == "orderbook_delta" and not sub.tickers:
            # The venue refuses an order book subscription without markets (error 14): wait for some.
            sub.sid, sub.cmd_id, sub.last_seq, sub.failed, sub.requested_mono = None, None, None, None, None
            return
        params: dict[str, Any] = {"channels": [sub.channel]}
        if sub.tickers:
            params["market_tickers"] = list(sub.tickers)
        if sub.channel == "orderbook_delta":
            params["use_yes_price"] = USE_YES_PRICE  # explicit: the venue's default is due to flip
        sub.sid, sub.last_seq, sub.failed = None, None, None
        sub.requested_mono = asyncio.get_running_loop().time()
        cmd_id = await self._send("subscribe", params)
        if cmd_id is not None:
            sub.cmd_id = cmd_id
            self._by_cmd[cmd_id] = sub

    async def _drop_sid(self, sub: Subscription) -> None:
        if sub.sid is not None:
            self._by_sid.pop(sub.sid, None)
            await self._send("unsubscribe", {"sids": [sub.sid]})
            sub.sid = None

    async def _resync(self, sub: Subscription, reason: str) -> None:
        """Clear the books of ``sub`` and replace the subscription (fresh snapshots follow)."""
        self.stats.resyncs += 1
        for ticker in sub.tickers:
            book = self.books.setdefault(ticker, LocalBook(ticker))
            book.clear()
            book.stale = True
            self._offer(BookStale(ticker, reason))
        await self._drop_sid(sub)
        await self._send_subscribe(sub)

    # -- watchdog --------------------------------------------------------------------------------

    async def _watchdog(self, conn: ClientConnection) -> None:
        try:
            await self._watch(conn)
        except Exception:
            await conn.close()  # ends the session; the error is re-raised when the session collects this task
            raise

    async def _watch(self, conn: ClientConnection) -> None:
        loop = asyncio.get_running_loop()
        interval = min(1.0, self.staleness_s / 4)
        while True:
            await asyncio.sleep(interval)
            now = loop.time()
            for sub in [s for s in self._subs if s.channel == "orderbook_delta" and s.failed is None]:
                if sub.requested_mono is not None:
                    if now - sub.requested_mono > self.staleness_s:
                        # Even a fresh subscription brought nothing: the connection itself is frozen.
                        self.stats.forced_reconnects += 1
                        self._note("no snapshot after re-subscribing; reconnecting")
                        await conn.close()
                        return
                    continue
                stale = [t for t in sub.tickers if self._is_stale(t, now)]
                if stale:
                    self.stats.stale_marks += len(stale)
                    await self._resync(sub, "stale")

    def _is_stale(self, ticker: str, now: float) -> bool:
        book = self.books.get(ticker)
        if book is None or not book.valid or book.updated_mono is None:
            return True
        return now - book.updated_mono > self.staleness_s

    # -- dispatch --------------------------------------------------------------------------------

    async def _dispatch(self, raw: str | bytes) -> None:
        try:
            env = w.WsEnvelope.model_validate_json(raw)
        except ValidationError:
            self._note(f"unreadable frame: {raw[:200]!r}")
            return
        try:
            await self._handle(env)
        except (ValidationError, p.KalshiParseError) as e:
            self._note(f"bad {env.type} message: {e}")
            if env.type in _PRIVATE_TYPES:
                await self.private_events.put(ReconcileRequired(datetime.now(UTC), f"unparsable_{env.type}"))
            sub = self._by_sid.get(env.sid) if env.sid is not None else None
            if sub is not None and env.type in _BOOK_TYPES:
                await self._resync(sub, "unparsable")

    async def _handle(self, env: w.WsEnvelope) -> None:
        kind = env.type
        if kind in _BOOK_TYPES:
            await self._on_book(env)
        elif kind == "subscribed":
            self._on_subscribed(env)
        elif kind == "error":
            self._on_error(env)
        elif kind == "ticker":
            self._offer(p.parse_ws_ticker(w.WsTicker.model_validate(env.msg)))
        elif kind == "trade":
            self._offer(p.parse_ws_trade(w.WsTrade.model_validate(env.msg)))
        elif kind == "fill":
            await self.private_events.put(p.parse_ws_fill(w.WsFill.model_validate(env.msg)))
        elif kind == "user_order":
            await self.private_events.put(w.WsUserOrder.model_validate(env.msg))

    def _on_subscribed(self, env: w.WsEnvelope) -> None:
        msg = w.WsSubscribed.model_validate(env.msg)
        sub = self._by_cmd.pop(env.id, None) if env.id is not None else None
        if sub is None or sub not in self._subs:
            return
        sub.sid = msg.sid
        self._by_sid[msg.sid] = sub
        if sub.channel != "orderbook_delta":
            sub.requested_mono = None

    def _on_error(self, env: w.WsEnvelope) -> None:
        error = w.WsError.model_validate(env.msg)
        self._note(f"command {env.id} failed: {error.code} {error.msg}")
        sub = self._by_cmd.pop(env.id, None) if env.id is not None else None
        if sub is not None:
            sub.failed = f"{error.code} {error.msg}"
            sub.requested_mono = None

    async def _on_book(self, env: w.WsEnvelope) -> None:
        sub = self._by_sid.get(env.sid) if env.sid is not None else None
        if sub is None:
            return  # a subscription we already replaced
        if env.seq is not None:
            if sub.last_seq is not None and env.seq != sub.last_seq + 1:
                self.stats.gaps += 1
                self._note(f"seq gap on sid {env.sid}: {sub.last_seq} -> {env.seq}")
                await self._resync(sub, "gap")
                return
            sub.last_seq = env.seq
        now = asyncio.get_running_loop().time()
        if env.type == "orderbook_snapshot":
            snapshot = p.parse_ws_snapshot(w.WsOrderbookSnapshot.model_validate(env.msg))
            book = self.books.setdefault(snapshot.ticker, LocalBook(snapshot.ticker))
            book.apply_snapshot(snapshot, mono=now)
            if all(self.books[t].valid for t in sub.tickers if t in self.books):
                sub.requested_mono = None
        else:
            delta = p.parse_ws_delta(w.WsOrderbookDelta.model_validate(env.msg))
            book = self.books.setdefault(delta.ticker, LocalBook(delta.ticker))
            if not book.valid:
                return  # waiting for this market's snapshot
            try:
                book.apply_delta(delta, mono=now)
            except BookOutOfSync as e:
                self._note(str(e))
                await self._resync(sub, "out_of_sync")
                return
        yes, no = book.to_market_price()
        self._offer(BookUpdated(book.ticker, yes, no))

    # -- helpers ---------------------------------------------------------------------------------

    def _offer(self, event: MarketEvent) -> None:
        if self.market_events.full():
            self.market_events.get_nowait()
            self.stats.dropped_market_events += 1
        self.market_events.put_nowait(event)

    def _note(self, message: str) -> None:
        log.warning(message, extra={"venue": VENUE})
        self.stats.errors.append(message)
        del self.stats.errors[:-50]
