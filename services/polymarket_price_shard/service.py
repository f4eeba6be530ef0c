"""polymarket_price_shard service: follows the shard assignments, keeps one market feed for their tokens.

It is the only process that opens Polymarket's market WebSocket (in compose it runs behind the VPN
sidecar). Books are kept by :class:`markets.polymarket.ws_market.MarketFeed` (REST snapshot, hash checks,
freeze watchdog, re-snapshot); a fresh book's top is published to Redis as a latest value (``market_price``,
key ``polymarket:<condition>:<token>``) after it changes, the newest top per token once per batch
(:class:`~services.polymarket_price_shard.publisher.TopPublisher`: one pipeline in flight, what changes
meanwhile is the next batch), and every ``refresh_s`` the tops of fresh books are published again stamped
now, so a reader can tell a quiet market from a dead feed by the top's age. A book that turns stale is
published empty: nothing may be priced or filled from it.

When the set of assigned tokens changes the feed is rebuilt for the new set (after a short debounce).
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from typing import ClassVar

import httpx

from markets.polymarket.book import BookState
from markets.polymarket.clob import ClobReader
from markets.polymarket.config import PolymarketSettings
from markets.polymarket.ws_market import MarketFeed
from services.polymarket_price_shard.config import PriceShardSettings
from services.polymarket_price_shard.publisher import TopPublisher, build_feed
from services.polymarket_price_shard.tokens import tokens_of
from shared.aio import wait_event
from shared.bus import keys
from shared.bus.pubsub import MarketDataBus
from shared.config import load_settings
from shared.messages import AssignShard, utc_now
from shared.runtime.service import Service, ServiceContext

log = logging.getLogger(__name__)
CANCEL_WAIT_S = 5.0


class PolymarketPriceShardService(Service):
    """Polymarket books for every assigned token, published as tops."""

    name: ClassVar[str] = "polymarket_price_shard"
    settings_class: ClassVar[type[PriceShardSettings]] = PriceShardSettings

    def __init__(self, settings: PriceShardSettings) -> None:
        super().__init__(settings)
        self.config = settings
        self.venue = load_settings(PolymarketSettings)
        self.assignments: dict[str, AssignShard] = {}
        self.tokens: dict[str, str] = {}
        self.feed: MarketFeed | None = None
        self.publisher: TopPublisher | None = None
        self.rebuilds = 0
        self._changed = asyncio.Event()

    async def start(self, ctx: ServiceContext) -> None:
        bus = ctx.infra.market_data
        self.publisher = publisher = TopPublisher(bus)
        ctx.spawn(publisher.run(ctx.stopping), name="price_shard:publisher")
        subscribed = asyncio.Event()
        ctx.spawn(self._follow(ctx, bus, subscribed), name="price_shard:assignments")
        await subscribed.wait()
        for key, message in (await bus.latest_all(keys.SHARD_ASSIGNMENT)).items():
            if isinstance(message, AssignShard):
                self.assignments.setdefault(key, message)
        self._changed.set()
        ctx.spawn(self._run_feeds(ctx, publisher), name="price_shard:feed")
        ctx.spawn(self._refresh(ctx, publisher), name="price_shard:refresh")

    async def _follow(self, ctx: ServiceContext, bus: MarketDataBus, subscribed: asyncio.Event) -> None:
        async for _topic, message in bus.subscribe((keys.SHARD_ASSIGNMENT,), ctx.stopping, subscribed=subscribed):
            if isinstance(message, AssignShard):
                self.assignments[message.shard_id] = message
                self._changed.set()

    async def _run_feeds(self, ctx: ServiceContext, publisher: TopPublisher) -> None:
        async with httpx.AsyncClient(timeout=self.venue.http_timeout_s) as http:
            reader = ClobReader(http, self.venue.clob_url)
            task: asyncio.Task[None] | None = None
            try:
                while not ctx.stopping.is_set():
                    await wait_event(self._changed, 1.0)
                    if task is not None and task.done():
                        error = None if task.cancelled() else task.exception()
                        log.error("polymarket market feed ended; rebuilding", extra={"error": repr(error)})
                        task = None
                        self._changed.set()
                    if not self._changed.is_set():
                        continue
                    await wait_event(ctx.stopping, self.config.resubscribe_debounce_s)
                    self._changed.clear()
                    wanted = tokens_of(self.assignments.values())
                    if wanted == self.tokens and task is not None and not task.done():
                        continue
                    await _cancel(task)
                    self.tokens = wanted
                    task = None
                    if wanted:
                        self.feed = build_feed(self.venue, reader, wanted, publisher)
                        task = asyncio.create_task(self.feed.run(), name="price_shard:market-feed")
                        self.rebuilds += 1
                        log.info("following polymarket tokens", extra={"tokens": len(wanted)})
            finally:
                await _cancel(task)

    async def _refresh(self, ctx: ServiceContext, publisher: TopPublisher) -> None:
        while not ctx.stopping.is_set():
            await wait_event(ctx.stopping, self.config.refresh_s)
            feed = self.feed
            if feed is None:
                continue
            now = utc_now()
            for book in list(feed.books.values()):
                if book.state is not BookState.FRESH or book.asset_id not in self.tokens:
                    continue
                try:
                    top = book.to_market_price().model_copy(update={"ts_event": now, "message_id": uuid.uuid4()})
                    publisher.put(book.asset_id, top)
                except Exception:  # noqa: BLE001 - the next refresh tries again
                    log.exception("polymarket top refresh failed", extra={"token": book.asset_id})

    def health_details(self) -> dict[str, str | int | float | bool]:
        details = super().health_details()
        books = list(self.feed.books.values()) if self.feed else []
        publisher = self.publisher
        details.update(
            tokens=len(self.tokens),
            fresh_books=sum(1 for b in books if b.state is BookState.FRESH),
            published=publisher.published if publisher else 0,
            publish_batches=publisher.batches if publisher else 0,
            publish_failures=publisher.failures if publisher else 0,
            bad_messages=self.feed.stats.bad_messages if self.feed else 0,
            feed_rebuilds=self.rebuilds,
        )
        return details


async def _cancel(task: asyncio.Task[None] | None, wait_s: float = CANCEL_WAIT_S) -> None:
    """Cancel the feed task and wait for it at most ``wait_s``.

    ``asyncio.wait`` neither raises the task's own error nor swallows a cancellation of the caller (a drain
    must end), and a feed that ignores its cancellation is left behind with a warning instead of hanging.
    """
    if task is None:
        return
    task.cancel()
    done, _ = await asyncio.wait({task}, timeout=wait_s)
    if not done:
        log.warning("market feed did not stop within %.0fs of its cancellation; left behind", wait_s)
    elif not task.cancelled() and task.exception() is not None:
        log.warning("market feed ended with an error while stopping", exc_info=task.exception())
