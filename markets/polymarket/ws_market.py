"""The CLOB market channel: local books for many tokens, hash-checked, with freeze and gap recovery.

For each shard of at most ``ws_max_assets_per_connection`` tokens (the venue silently drops initial
snapshots beyond ~500 subscriptions per connection; we default to 200) one connection runs:

1. REST snapshot of the shard's books (``POST /books``): levels plus the metadata the hash covers.
2. Subscribe ``{"assets_ids": [...], "type": "market", "initial_dump": true, "level": 2}``.
3. Apply ``book`` (replace), ``price_change`` (new totals, "0" removes), ``last_trade_price`` and
   ``tick_size_change``; after each change the book hash is checked and a mismatch re-snapshots that
   book over REST. Frames may be a JSON object or an array of objects.
4. Send the text ``PING`` every 10 s; no ``PONG`` for ``ws_pong_timeout_s`` -> the connection is dead.
5. Watchdog: no data for ``ws_stale_after_s`` while ``PONG``s arrive -> probe REST. Same levels as ours:
   the market is just quiet. Different: the feed is frozen (py-clob-client #292) -> books ``STALE``,
   reconnect, re-snapshot.

Any end of a session marks the shard's books ``STALE`` and reconnects with exponential back-off and
full jitter. Prices are published only from ``FRESH`` books.

References
----------
https://docs.polymarket.com/market-data/websocket/market-channel ; venues.md §2.3, §2.7; reliability.md R14, R15.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections import defaultdict
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any

from websockets.exceptions import WebSocketException

from markets.polymarket import parsing
from markets.polymarket.book import BookState, LocalBook
from markets.polymarket.clob import ClobReader
from markets.polymarket.config import PolymarketSettings
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
from markets.polymarket.ws_common import Clock, FeedDead, KeepAlive, WsConnection, open_connection, recv_text
from shared.errors import VenueError
from shared.messages.market_data import MarketPriceUpdated

log = logging.getLogger(__name__)

PriceHandler = Callable[[MarketPriceUpdated], Awaitable[None]]
StateHandler = Callable[[str, BookState], Awaitable[None]]
EventHandler = Callable[[MarketEvent], Awaitable[None]]
Connector = Callable[[str], Any]
SNAPSHOT_BATCH = 50


@dataclass
class FeedStats:
    """Counters a test or a dashboard can read."""

    sessions: int = 0
    resnapshots: int = 0
    hash_mismatches: int = 0
    freezes: int = 0
    quiet_probes: int = 0
    bad_frames: int = 0


class _Frozen(Exception):
    """The watchdog found the feed silent while the venue's book moved on."""


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
            last_data = self._clock()
            while True:
                frame = await recv_text(ws, self._tick_s)
                if frame == "PONG":
                    keepalive.saw_pong()
                elif frame is not None:
                    last_data = self._clock()
                    await self._handle(frame)
                await keepalive.tick(ws)
                if self._clock() - last_data > self._settings.ws_stale_after_s:
                    await self._watchdog(ws, shard)
                    last_data = self._clock()

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
        if book.state is BookState.FRESH and self._on_price is not None:
            await self._on_price(book.to_market_price())

    async def _mark(self, assets: Sequence[str], state: BookState) -> None:
        for asset in assets:
            book = self.books[asset]
            before = book.state
            book.mark(state)
            await self._after_change(book, before)

    # -- events ------------------------------------------------------------------------------------------

    async def _handle(self, frame: str) -> None:
        try:
            events = parsing.market_frame(frame)
        except parsing.WireError as e:
            self.stats.bad_frames += 1
            log.warning("polymarket market frame skipped: %s", e, extra={"venue": "polymarket"})
            return
        for event in events:
            await self._apply(event)
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
        by_asset: dict[str, list[LevelChange]] = defaultdict(list)
        for change in event.changes:
            by_asset[change.asset_id].append(change)
        for asset, changes in by_asset.items():
            book = self.books.get(asset)
            if book is None:
                continue
            before = book.state
            if before is not BookState.FRESH:
                continue  # a book awaiting its snapshot takes no deltas
            if not book.apply_changes(changes, event.timestamp_text):
                self.stats.hash_mismatches += 1
                await self._resnapshot(book)
                continue
            await self._after_change(book, before)
