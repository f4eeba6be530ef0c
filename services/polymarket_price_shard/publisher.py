"""The price shard's publisher: the newest top per token, in one Redis pipeline per batch.

Market data is newest-value-wins, so tops are coalesced: the feed says which book changed
(:meth:`TopPublisher.book_changed`, synchronous and cheap) and the publisher, one task with at most one
pipeline in flight, builds each pending token's top when its batch goes out and sends the batch with
:meth:`shared.bus.pubsub.MarketDataBus.publish_many` (same keys, same payloads, one ``PUBLISH`` per top).
Whatever changes while a batch is in flight is the next batch, so the batch grows with the rate and a
quiet feed publishes each change at once (one event-loop turn later). Explicit values — the empty top
of a stale book, a refresh stamped now — go through the same queue (:meth:`TopPublisher.put`), so a
newer value is never overtaken by an older one.

Most book changes are below the top. A book's top equal to the one last published for its token (same
levels, tick and market) is sent again only ``same_top_every_s`` after it, so deep changes do not cost
a publish each while the latest value stays current; the service's refresh re-stamps quiet tops anyway.
Each top is built (and validated) only when it goes out.

Redis being away does not lose the newest values: a failed batch is put back under anything newer and
retried after ``retry_s``. Nothing carrying money goes this way.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

import redis.exceptions
from pydantic import ValidationError

from markets.polymarket.book import BookState, LocalBook
from markets.polymarket.clob import ClobReader
from markets.polymarket.config import PolymarketSettings
from markets.polymarket.ws_common import Clock
from markets.polymarket.ws_market import MarketFeed
from shared.aio import wait_event
from shared.bus import keys
from shared.bus.pubsub import MarketDataBus
from shared.bus.redis_conn import REDIS_UNAVAILABLE
from shared.messages import MarketPriceUpdated

log = logging.getLogger(__name__)

Pending = LocalBook | MarketPriceUpdated
_RETRIED: tuple[type[Exception], ...] = (*REDIS_UNAVAILABLE, redis.exceptions.RedisError)


class TopPublisher:
    """Coalesces tops per token and publishes them in batches (one MULTI/EXEC pipeline each).

    Parameters
    ----------
    bus
        Where tops go (topic ``market_price``, key ``polymarket:<condition>:<token>``).
    retry_s
        Pause before a batch that failed because Redis was away is tried again.
    same_top_every_s
        A book's top equal to its token's last published one is sent again only after this long.
    publish_share, max_wait_s
        Batch spacing: after a batch that took ``t`` seconds the next starts no sooner than
        ``t / publish_share`` after it (a quick batch on a quiet feed: at once), and waits at most
        ``max_wait_s`` beyond ``t``. The busier the loop, the longer a batch takes and gathers.
    """

    def __init__(
        self,
        bus: MarketDataBus,
        *,
        retry_s: float = 0.2,
        same_top_every_s: float = 1.0,
        publish_share: float = 0.25,
        max_wait_s: float = 0.02,
        clock: Clock = time.monotonic,
    ) -> None:
        self._bus = bus
        self._retry_s = retry_s
        self._same_top_every_s = same_top_every_s
        self._clock = clock
        self._spacing = 1 / publish_share
        self._max_wait_s = max_wait_s
        self._next_batch = 0.0
        self._last: dict[str, tuple[Any, float]] = {}  # token -> (top's signature, when it was sent)
        self._pending: dict[str, Pending] = {}
        self._wake = asyncio.Event()
        self._idle = asyncio.Event()
        self._idle.set()
        self.published = 0  # tops sent
        self.batches = 0  # pipelines sent
        self.coalesced = 0  # values replaced by a newer one before they went out
        self.failures = 0  # batches that failed (and were retried)
        self.invalid = 0  # tops the message schema refused (not published)
        self.unchanged = 0  # book tops not sent because they equal the last one sent, sent recently

    @property
    def pending(self) -> int:
        """Tokens waiting for the next batch."""
        return len(self._pending)

    def book_changed(self, book: LocalBook) -> None:
        """The feed's ``on_top``: publish ``book``'s top as it is when the next batch goes out."""
        self._offer(book.asset_id, book)

    def put(self, token: str, message: MarketPriceUpdated) -> None:
        """Publish exactly ``message`` as ``token``'s next value, unless something newer replaces it first."""
        self._offer(token, message)

    def _offer(self, token: str, value: Pending) -> None:
        if token in self._pending:
            self.coalesced += 1
        self._pending[token] = value
        self._idle.clear()
        self._wake.set()

    async def flushed(self) -> None:
        """Return once everything offered so far has been published (or dropped as not publishable)."""
        await self._idle.wait()

    async def run(self, stopping: asyncio.Event, poll_s: float = 0.5) -> None:
        """Publish batches until ``stopping``; what is pending then is sent once more, best effort."""
        while not stopping.is_set():
            if not await wait_event(self._wake, poll_s):
                continue
            wait_s = self._next_batch - self._clock()
            if wait_s > 0:  # the last batch was slow (a busy feed): let this one gather a little longer
                await asyncio.sleep(wait_s)
            self._wake.clear()
            started = self._clock()
            await self._send_pending()
            took = self._clock() - started
            self._next_batch = started + min(took * self._spacing, took + self._max_wait_s)
        if self._pending:
            await self._send_pending()

    async def _send_pending(self) -> None:
        batch, self._pending = self._pending, {}
        try:
            await self._publish(batch)
        except _RETRIED as e:
            self.failures += 1
            log.warning("polymarket tops not published; retrying", extra={"tops": len(batch), "error": repr(e)})
            for token, value in batch.items():
                self._pending.setdefault(token, value)  # a value offered meanwhile is newer
            self._wake.set()
            await asyncio.sleep(self._retry_s)
            return
        if not self._pending:
            self._idle.set()

    async def _publish(self, batch: dict[str, Pending]) -> None:
        now = self._clock()
        items: list[tuple[str, MarketPriceUpdated]] = []
        sent: dict[str, tuple[Any, float]] = {}
        for token, value in batch.items():
            if isinstance(value, MarketPriceUpdated):
                items.append((value.key, value))
                sent[token] = (None, now)  # the next book top goes out whatever it is
                continue
            signature = value.top_signature()
            last = self._last.get(token)
            if last is not None and last[0] == signature and now - last[1] < self._same_top_every_s:
                self.unchanged += 1
                continue
            top = self._top(value)
            if top is not None:
                items.append((top.key, top))
                sent[token] = (signature, now)
        await self._bus.publish_many(keys.MARKET_PRICE, items)
        self._last.update(sent)
        self.published += len(items)
        self.batches += 1

    def _top(self, book: LocalBook) -> MarketPriceUpdated | None:
        if book.state is not BookState.FRESH:
            return None  # not priceable any more; a stale book's empty top was put after it
        try:
            return book.to_market_price()
        except ValidationError as e:  # a level the message schema refuses (e.g. a price above 1)
            self.invalid += 1
            log.warning("polymarket top refused", extra={"token": book.asset_id, "error": repr(e)})
            return None


def build_feed(
    venue: PolymarketSettings, reader: ClobReader, tokens: dict[str, str], publisher: TopPublisher
) -> MarketFeed:
    """The market feed for ``tokens`` (token -> condition id), its tops going through ``publisher``.

    A book that turns ``STALE`` is published empty: nothing may be priced or filled from it.
    """

    async def on_state(asset_id: str, state: BookState) -> None:
        if state is BookState.STALE:
            empty = MarketPriceUpdated(venue="polymarket", market_id=tokens[asset_id], outcome_id=asset_id)
            publisher.put(asset_id, empty)
            log.warning("polymarket book stale: published empty", extra={"token": asset_id})

    return MarketFeed(venue, reader, list(tokens), on_state=on_state, on_top=publisher.book_changed)
