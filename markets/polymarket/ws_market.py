"""The CLOB market channel: local books for many tokens, hash-checked, with freeze and gap recovery.

For each shard of at most ``ws_max_assets_per_connection`` tokens (the venue silently drops initial
snapshots beyond ~500 subscriptions per connection; we default to 200) one connection runs:

1. REST snapshot of the shard's books (``POST /books``): levels plus the metadata the hash covers.
2. Subscribe ``{"assets_ids": [...], "type": "market", "initial_dump": true, "level": 2}``.
3. Apply ``book`` (replace), ``price_change`` (new totals, "0" removes), ``last_trade_price`` and
   ``tick_size_change``; after each change the book hash is checked and a mismatch re-snapshots that
   book over REST. Frames may be a JSON object or an array of objects.
   Each message of a frame is decoded on its own (:mod:`markets.polymarket.market_frames`, orjson on
   the hot path): a malformed one is counted and logged and the rest of the frame still applies.
4. Send the text ``PING`` every 10 s; no ``PONG`` for ``ws_pong_timeout_s`` -> the connection is dead.
5. Watchdog: no data for ``ws_stale_after_s`` while ``PONG``s arrive -> probe REST. Same levels as ours:
   the market is just quiet. Different: the feed is frozen (py-clob-client #292) -> books ``STALE``,
   reconnect, re-snapshot.

Any end of a session marks the shard's books ``STALE`` and reconnects with exponential back-off and
full jitter. Prices are published only from ``FRESH`` books. A publisher that coalesces (the price
shard) takes ``on_top``: it is told, synchronously, which book changed and reads the top when it
publishes, so a burst of changes to one token costs one top.

References
----------
https://docs.polymarket.com/market-data/websocket/market-channel ; venues.md §2.3, §2.7; reliability.md R14, R15.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any

from websockets.exceptions import WebSocketException

from markets.polymarket.book import BookState, LocalBook
from markets.polymarket.clob import ClobReader
from markets.polymarket.config import PolymarketSettings
from markets.polymarket.market_frames import decode_market_frame
from markets.polymarket.retry import Backoff
from markets.polymarket.types import (
    BookEvent,
    BookSnapshot,
    LastTradePriceEvent,
    LevelChange,
    MarketEvent,
    PriceChangeEvent,
    TickSizeChangeEvent,
)
from markets.polymarket.ws_common import Clock, FeedDead, KeepAlive, WsConnection, open_connection
from shared.errors import VenueError
from shared.messages.market_data import MarketPriceUpdated

log = logging.getLogger(__name__)

PriceHandler = Callable[[MarketPriceUpdated], Awaitable[None]]
TopHandler = Callable[[LocalBook], None]
StateHandler = Callable[[str, BookState], Awaitable[None]]
EventHandler = Callable[[MarketEvent], Awaitable[None]]
Connector = Callable[[str], Any]
SNAPSHOT_BATCH = 50
YIELD_EVERY_FRAMES = 32


@dataclass
class FeedStats:
    """Counters a test or a dashboard can read."""

    sessions: int = 0
    resnapshots: int = 0
    hash_mismatches: int = 0
    freezes: int = 0
    quiet_probes: int = 0
    bad_frames: int = 0  # frames with at least one malformed message
    bad_messages: int = 0  # malformed messages dropped
    frames: int = 0  # data frames handled (not PONG)
    messages: int = 0  # market events applied


class _Frozen(Exception):
    """The watchdog found the feed silent while the venue's book moved on."""


@dataclass
class _Link:
    """What a session's reader and its supervisor share."""

    keepalive: KeepAlive
    last_data: float


def _cause(group: BaseExceptionGroup) -> BaseException:
    """The exception that ended a session: the supervisor's verdict over the reader's closed socket."""
    leaves: list[BaseException] = []
    pending: list[BaseException] = [group]
    while pending:
        e = pending.pop(0)
        if isinstance(e, BaseExceptionGroup):
            pending.extend(e.exceptions)
        else:
            leaves.append(e)
    return next((e for e in leaves if isinstance(e, _Frozen | FeedDead)), leaves[0])


class MarketFeed:
    """Local books for ``asset_ids``, kept from the market channel.

    Parameters
    ----------
    settings
        URLs and timing (``ws_ping_interval_s``, ``ws_stale_after_s``, ...).
    reader
        REST reader used for snapshots and re-snapshots.
    asset_ids
        Tokens to follow.
    on_price, on_state, on_event
        Optional async callbacks: top of book of a ``FRESH`` book after each change; a book's state
        change; every parsed event (after it was applied).
    on_top
        Optional synchronous callback: the ``FRESH`` book that just changed (called before ``on_price``;
        must not block). For coalescing publishers, which build the top only when they publish.
    """

    def __init__(
        self,
        settings: PolymarketSettings,
        reader: ClobReader,
        asset_ids: Sequence[str],
        *,
        on_price: PriceHandler | None = None,
        on_state: StateHandler | None = None,
        on_event: EventHandler | None = None,
        on_top: TopHandler | None = None,
        connector: Connector = open_connection,
        clock: Clock = time.monotonic,
        backoff: Backoff | None = None,
    ) -> None:
        self._settings = settings
        self._reader = reader
        self.books: dict[str, LocalBook] = {a: LocalBook(a) for a in dict.fromkeys(asset_ids)}
        size = settings.ws_max_assets_per_connection
        ids = list(self.books)
        self.shards: list[list[str]] = [ids[i : i + size] for i in range(0, len(ids), size)]
        self._on_price, self._on_state, self._on_event = on_price, on_state, on_event
        self._on_top = on_top
        self._connector = connector
        self._clock = clock
        self._backoff = backoff or Backoff(base_s=settings.ws_reconnect_base_s, cap_s=settings.ws_reconnect_cap_s)
        self._tick_s = min(1.0, settings.ws_ping_interval_s / 4, settings.ws_stale_after_s / 4)
        self.stats = FeedStats()

    async def run(self) -> None:
        """Follow every shard until cancelled (one connection per shard)."""
        async with asyncio.TaskGroup() as tg:
            for shard in self.shards:
                tg.create_task(self._run_shard(shard))

    def is_fresh(self, asset_id: str) -> bool:
        """True when the book of ``asset_id`` may be priced from."""
        return self.books[asset_id].state is BookState.FRESH

    # -- session loop ------------------------------------------------------------------------------------

    async def _run_shard(self, shard: list[str]) -> None:
        attempt = 0
        while True:
            started = self._clock()
            try:
                await self._session(shard)
            except (_Frozen, FeedDead, OSError, WebSocketException, TimeoutError, VenueError) as e:
                log.warning("polymarket market feed session ended: %s", e, extra={"venue": "polymarket"})
            await self._mark(shard, BookState.STALE)
            attempt = 0 if self._clock() - started > self._backoff.cap_s else attempt + 1
            await asyncio.sleep(self._backoff.delay(attempt))

    async def _session(self, shard: list[str]) -> None:
        async with self._connector(self._settings.ws_market_url) as ws:
            self.stats.sessions += 1
            await self._snapshot(shard)
            await ws.send(json.dumps({"assets_ids": shard, "type": "market", "initial_dump": True, "level": 2}))
            keepalive = KeepAlive(self._settings.ws_ping_interval_s, self._settings.ws_pong_timeout_s, self._clock)
            link = _Link(keepalive, self._clock())
            # Frames are read without a timer each (one per frame costs more than parsing a small one); a
            # sibling task keeps time: PING/PONG and the freeze watchdog. Either ending ends the session.
            try:
                async with asyncio.TaskGroup() as tg:
                    tg.create_task(self._receive(ws, link))
                    tg.create_task(self._supervise(ws, shard, link))
            except BaseExceptionGroup as group:
                raise _cause(group) from None

    async def _receive(self, ws: WsConnection, link: _Link) -> None:
        clock, handle = self._clock, self._handle
        unyielded = 0
        while True:
            frame = await ws.recv()
            if isinstance(frame, bytes):
                frame = frame.decode()
            if frame == "PONG":
                link.keepalive.saw_pong()
            else:
                link.last_data = clock()
                await handle(frame)
            unyielded += 1
            if unyielded >= YIELD_EVERY_FRAMES:
                # recv() does not suspend while frames are buffered: let the publisher's I/O run meanwhile.
                unyielded = 0
                await asyncio.sleep(0)

    async def _supervise(self, ws: WsConnection, shard: list[str], link: _Link) -> None:
        while True:
            await asyncio.sleep(self._tick_s)
            await link.keepalive.tick(ws)
            if self._clock() - link.last_data > self._settings.ws_stale_after_s:
                await self._watchdog(ws, shard)
                link.last_data = self._clock()

    async def _watchdog(self, ws: WsConnection, shard: list[str]) -> None:
        snapshots = await self._fetch(shard)
        if all(self.books[s.asset_id].same_levels(s) for s in snapshots):
            self.stats.quiet_probes += 1
            return
        self.stats.freezes += 1
        await self._mark(shard, BookState.STALE)
        await ws.close()
        raise _Frozen(f"no data for {self._settings.ws_stale_after_s}s while the venue's books changed")

    # -- books -------------------------------------------------------------------------------------------

    async def _fetch(self, assets: Sequence[str]) -> list[BookSnapshot]:
        out: list[BookSnapshot] = []
        for i in range(0, len(assets), SNAPSHOT_BATCH):
            out.extend(await self._reader.books(assets[i : i + SNAPSHOT_BATCH]))
        return out

    async def _snapshot(self, assets: Sequence[str]) -> None:
        for snapshot in await self._fetch(assets):
            book = self.books.get(snapshot.asset_id)
            if book is not None:
                await self._load(book, snapshot)

    async def _resnapshot(self, book: LocalBook) -> None:
        self.stats.resnapshots += 1
        await self._load(book, await self._reader.book(book.asset_id))

    async def _load(self, book: LocalBook, snapshot: BookSnapshot) -> None:
        before = book.state
        book.load(snapshot)
        await self._after_change(book, before)

    async def _after_change(self, book: LocalBook, before: BookState) -> None:
        if book.state is not before and self._on_state is not None:
            await self._on_state(book.asset_id, book.state)
        if book.state is BookState.FRESH:
            if self._on_top is not None:
                self._on_top(book)
            if self._on_price is not None:
                await self._on_price(book.to_market_price())

    async def _mark(self, assets: Sequence[str], state: BookState) -> None:
        for asset in assets:
            book = self.books[asset]
            before = book.state
            book.mark(state)
            await self._after_change(book, before)

    # -- events ------------------------------------------------------------------------------------------

    async def _handle(self, frame: str) -> None:
        decoded = decode_market_frame(frame)
        stats = self.stats
        stats.frames += 1
        if decoded.errors:
            stats.bad_frames += 1
            stats.bad_messages += len(decoded.errors)
            log.warning(
                "polymarket market messages dropped: %s",
                decoded.errors[0],
                extra={"venue": "polymarket", "dropped": len(decoded.errors), "kept": len(decoded.events)},
            )
        for event in decoded.events:
            if type(event) is PriceChangeEvent:  # nearly every message: no extra coroutine on the way
                await self._apply_price_change(event)
            else:
                await self._apply(event)
            stats.messages += 1
            if self._on_event is not None:
                await self._on_event(event)

    async def _apply(self, event: MarketEvent) -> None:
        if isinstance(event, BookEvent):
            book = self.books.get(event.snapshot.asset_id)
            if book is not None:
                await self._apply_book(book, event)
        elif isinstance(event, PriceChangeEvent):
            await self._apply_price_change(event)
        elif isinstance(event, LastTradePriceEvent) and event.asset_id in self.books:
            self.books[event.asset_id].apply_last_trade(event)
        elif isinstance(event, TickSizeChangeEvent) and event.asset_id in self.books:
            book = self.books[event.asset_id]
            book.apply_tick_size(event)
            await self._after_change(book, book.state)

    async def _apply_book(self, book: LocalBook, event: BookEvent) -> None:
        before = book.state
        if not book.load(event.snapshot):
            self.stats.hash_mismatches += 1
            await self._resnapshot(book)
            return
        await self._after_change(book, before)

    async def _apply_price_change(self, event: PriceChangeEvent) -> None:
        by_asset: dict[str, list[LevelChange]] = {}
        for change in event.changes:
            same = by_asset.get(change.asset_id)
            if same is None:
                by_asset[change.asset_id] = [change]
            else:
                same.append(change)
        for asset, changes in by_asset.items():
            book = self.books.get(asset)
            if book is None or book.state is not BookState.FRESH:
                continue  # not ours, or awaiting its snapshot: takes no deltas
            if not book.apply_changes(changes, event.timestamp_text):
                self.stats.hash_mismatches += 1
                await self._resnapshot(book)
                continue
            if book.state is BookState.FRESH and self._on_price is None:
                if self._on_top is not None:  # still FRESH: no state callback due, nothing to await
                    self._on_top(book)
                continue
            await self._after_change(book, BookState.FRESH)
