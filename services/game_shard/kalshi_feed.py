"""The shard's Kalshi books: its own WebSocket (``orderbook_delta``) or, without credentials, REST snapshots.

Kalshi requires a signed handshake even for public channels, so the WebSocket needs an API key
(``KALSHI_API_KEY_ID`` and its private key). The client (:class:`markets.kalshi.ws.KalshiWebSocket`)
recovers sequence gaps, freezes and disconnects by itself and reports a book it cleared as stale; here
each change of a book becomes two tops (``yes`` and ``no``) for ``on_top``, and a stale book becomes
empty tops, so nothing is priced or filled from it. A refused handshake (401: key or clock) is not
retried blindly: the feed falls back to REST snapshots, which need no key, and says so in the log.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Iterable

from markets.kalshi.books import LocalBook
from markets.kalshi.config import KalshiSettings
from markets.kalshi.rest import KalshiRestClient
from markets.kalshi.ws import BookStale, BookUpdated, KalshiWebSocket, Subscription
from shared.aio import wait_event
from shared.errors import AuthOrClock, VenueError
from shared.messages import MarketPriceUpdated

log = logging.getLogger(__name__)
TopHandler = Callable[[MarketPriceUpdated], Awaitable[None]]


def empty_tops(ticker: str) -> tuple[MarketPriceUpdated, MarketPriceUpdated]:
    """Tops saying "no usable book" for both outcomes of ``ticker``."""
    return (
        MarketPriceUpdated(venue="kalshi", market_id=ticker, outcome_id="yes"),
        MarketPriceUpdated(venue="kalshi", market_id=ticker, outcome_id="no"),
    )


class KalshiBooks:
    """Books of the tickers in :meth:`follow`, pushed to ``on_top`` as they change."""

    def __init__(self, settings: KalshiSettings, on_top: TopHandler, *, mode: str, poll_s: float) -> None:
        self._settings = settings
        self._on_top = on_top
        self._poll_s = poll_s
        self.mode = "ws" if mode == "ws" or (mode == "auto" and settings.has_credentials) else "rest"
        self.tickers: set[str] = set()
        self._changed = asyncio.Event()
        self._ws: KalshiWebSocket | None = None
        self._sub: Subscription | None = None
        self._rest_books: dict[str, LocalBook] = {}
        self.updates = 0
        self.stale_marks = 0

    def follow(self, tickers: Iterable[str]) -> None:
        """Hold exactly these books from now on."""
        wanted = set(tickers)
        if wanted != self.tickers:
            self.tickers = wanted
            self._changed.set()

    def fresh_tops(self) -> list[MarketPriceUpdated]:
        """The current tops of every valid, fresh book (for the periodic re-publish)."""
        books: Iterable[LocalBook]
        if self.mode == "ws" and self._ws is not None:
            books = [b for t, b in self._ws.books.items() if t in self.tickers]
        else:
            books = [b for t, b in self._rest_books.items() if t in self.tickers]
        return [top for b in books if b.valid and not b.stale for top in b.to_market_price()]

    async def run(self, stopping: asyncio.Event) -> None:
        """Feed books until ``stopping`` (nothing is opened before the first ticker is assigned)."""
        while not self.tickers and not stopping.is_set():
            await wait_event(self._changed, 1.0)
        if self.mode == "ws":
            try:
                await self._run_ws(stopping)
            except AuthOrClock as e:
                log.error("kalshi websocket refused (key or clock); using REST snapshots", extra={"error": str(e)})
                self.mode = "rest"
        if not stopping.is_set():
            await self._run_rest(stopping)

    # -- WebSocket ---------------------------------------------------------------------------------

    async def _run_ws(self, stopping: asyncio.Event) -> None:
        ws = KalshiWebSocket.from_settings(self._settings)
        self._ws = ws
        runner = asyncio.create_task(ws.run(), name="kalshi-ws")
        try:
            async with asyncio.TaskGroup() as tg:
                tg.create_task(self._ws_subscriptions(ws, stopping, runner))
                tg.create_task(self._ws_events(ws, stopping, runner))
        finally:
            await ws.close()
            runner.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await runner
        if runner.done() and not runner.cancelled() and runner.exception() is not None:
            raise runner.exception()  # type: ignore[misc]

    async def _ws_subscriptions(self, ws: KalshiWebSocket, stopping: asyncio.Event, runner: asyncio.Task[None]) -> None:
        current: set[str] = set()
        while not stopping.is_set() and not runner.done():
            await wait_event(self._changed, 0.5)
            if not self._changed.is_set():
                continue
            self._changed.clear()
            wanted = set(self.tickers)
            if self._sub is None and wanted:
                self._sub = await ws.subscribe("orderbook_delta", sorted(wanted))
            elif self._sub is not None:
                if added := sorted(wanted - current):
                    await ws.update_subscription(self._sub, "add_markets", added)
                if removed := sorted(current - wanted):
                    await ws.update_subscription(self._sub, "delete_markets", removed)
            current = wanted

    async def _ws_events(self, ws: KalshiWebSocket, stopping: asyncio.Event, runner: asyncio.Task[None]) -> None:
        while not stopping.is_set() and not runner.done():
            try:
                async with asyncio.timeout(0.5):
                    event = await ws.market_events.get()
            except TimeoutError:
                continue
            if isinstance(event, BookUpdated) and event.ticker in self.tickers:
                self.updates += 1
                await self._on_top(event.yes)
                await self._on_top(event.no)
            elif isinstance(event, BookStale) and event.ticker in self.tickers:
                self.stale_marks += 1
                for top in empty_tops(event.ticker):
                    await self._on_top(top)

    # -- REST --------------------------------------------------------------------------------------

    async def _run_rest(self, stopping: asyncio.Event) -> None:
        async with KalshiRestClient(self._settings) as rest:
            while not stopping.is_set():
                for ticker in sorted(self.tickers):
                    await self._snapshot(rest, ticker)
                await wait_event(stopping, self._poll_s)

    async def _snapshot(self, rest: KalshiRestClient, ticker: str) -> None:
        book = self._rest_books.setdefault(ticker, LocalBook(ticker))
        try:
            snapshot = await rest.get_orderbook(ticker)
        except VenueError as e:
            if book.valid:
                book.clear()
                book.stale = True
                self.stale_marks += 1
                for top in empty_tops(ticker):
                    await self._on_top(top)
            log.warning("kalshi orderbook read failed", extra={"ticker": ticker, "error": str(e)})
            return
        before = book.to_market_price() if book.valid else None
        book.apply_snapshot(snapshot)
        after = book.to_market_price()
        if before is None or _levels(before) != _levels(after):
            self.updates += 1
            for top in after:
                await self._on_top(top)


def _levels(tops: tuple[MarketPriceUpdated, MarketPriceUpdated]) -> tuple[object, ...]:
    return tuple((t.best_bid, t.best_ask, t.bid_size, t.ask_size) for t in tops)
