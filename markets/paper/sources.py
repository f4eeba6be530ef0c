"""Book sources for the paper engine: our Redis latest tops, or a venue's (or simulator's) REST book.

- :class:`RedisTopBook` reads the latest :class:`~shared.messages.MarketPriceUpdated` of
  ``venue:market:outcome`` (topic :data:`shared.bus.keys.MARKET_PRICE`): one level each side, timed by the
  message's ``ts_event``. A side without a size is treated as empty (no size, no fill).
- :class:`KalshiRestBook` reads ``GET /markets/{ticker}/orderbook`` (full depth; Kalshi sends bids only:
  YES asks are ``1 -`` NO bids and NO asks ``1 -`` YES bids) and the market's price grid; ``outcome_id``
  is ``yes`` or ``no``.
- :class:`PolymarketRestBook` reads ``GET /book`` (full depth; the wire order is worst to best, so levels
  are re-sorted best first); ``market_id`` is the condition id and must match the token's market.

Every snapshot is best first on both sides. REST snapshots are timed when they were read (the read is
the freshness; a quiet book is not a stale one). Unknown markets answer ``None``; other venue errors
(transport, 5xx after the client's retries) propagate to the engine, which refuses to trade on them.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from datetime import datetime
from decimal import Decimal

from markets.kalshi.models import BookLevel, MarketInfo
from markets.kalshi.rest import KalshiRestClient
from markets.paper.books import BookSnapshot
from markets.polymarket.clob import ClobReader
from markets.polymarket.types import Level
from shared.bus import keys
from shared.bus.pubsub import MarketDataBus
from shared.errors import Rejected
from shared.messages import MarketPriceUpdated, utc_now
from shared.prices import ONE, ZERO, Venue

Levels = tuple[tuple[Decimal, Decimal], ...]
DEFAULT_MIN_SIZE: dict[Venue, Decimal] = {"kalshi": Decimal(1), "polymarket": Decimal(5)}
"""Minimum order sizes assumed when the source cannot read the market's own (Redis tops carry none)."""


def best_first(levels: Iterable[tuple[Decimal, Decimal]], *, bids: bool) -> Levels:
    """Non-empty levels sorted best first (bids high to low, asks low to high)."""
    kept = [(price, size) for price, size in levels if size > 0]
    return tuple(sorted(kept, key=lambda level: level[0], reverse=bids))


class RedisTopBook:
    """The latest top of book published on the market-data bus.

    Parameters
    ----------
    bus
        The latest-value bus (Redis).
    venue
        Whose prices to read (the key prefix).
    min_size
        The market minimum to enforce (tops carry none); defaults to :data:`DEFAULT_MIN_SIZE`.
    """

    def __init__(self, bus: MarketDataBus, venue: Venue, *, min_size: Decimal | None = None) -> None:
        self._bus = bus
        self.venue: Venue = venue
        self._min_size = min_size if min_size is not None else DEFAULT_MIN_SIZE[venue]

    async def snapshot(self, market_id: str, outcome_id: str) -> BookSnapshot | None:
        """One level each side from the latest top; ``None`` when nothing was published for the key."""
        message = await self._bus.latest(keys.MARKET_PRICE, f"{self.venue}:{market_id}:{outcome_id}")
        if not isinstance(message, MarketPriceUpdated):
            return None
        bids = [(message.best_bid, message.bid_size)] if message.best_bid is not None and message.bid_size else []
        asks = [(message.best_ask, message.ask_size)] if message.best_ask is not None and message.ask_size else []
        return BookSnapshot(
            bids=best_first(bids, bids=True),
            asks=best_first(asks, bids=False),
            ts=message.ts_event,
            tick_size=message.tick_size,
            min_size=self._min_size,
        )


class KalshiRestBook:
    """Full-depth Kalshi books over REST (public endpoints; no credentials needed).

    Parameters
    ----------
    rest
        A Kalshi REST client (owned by the caller).
    market_ttl_s
        How long a market's grid and status are reused before being read again.
    clock
        Wall clock stamped on each snapshot.
    """

    def __init__(
        self, rest: KalshiRestClient, *, market_ttl_s: float = 30.0, clock: Callable[[], datetime] = utc_now
    ) -> None:
        self._rest = rest
        self._ttl = market_ttl_s
        self._clock = clock
        self._markets: dict[str, tuple[float, MarketInfo | None]] = {}

    async def _market(self, ticker: str) -> MarketInfo | None:
        cached = self._markets.get(ticker)
        if cached is not None and time.monotonic() - cached[0] < self._ttl:
            return cached[1]
        try:
            market: MarketInfo | None = await self._rest.get_market(ticker)
        except Rejected as e:
            if e.status != 404:
                raise
            market = None
        self._markets[ticker] = (time.monotonic(), market)
        return market

    async def snapshot(self, market_id: str, outcome_id: str) -> BookSnapshot | None:
        """The book of ``outcome_id`` (``yes``/``no``); ``None`` for an unknown or closed market.

        Tick is the market's finest ``price_ranges`` step; the minimum is 0.01 contract on a fractional
        market, else 1.
        """
        if outcome_id not in ("yes", "no"):
            return None
        market = await self._market(market_id)
        if market is None or not market.is_open:
            return None
        book = await self._rest.get_orderbook(market_id)
        own, other = (book.yes, book.no) if outcome_id == "yes" else (book.no, book.yes)
        return BookSnapshot(
            bids=best_first(_pairs(own), bids=True),
            asks=best_first(((ONE - level.price, level.size) for level in other), bids=False),
            ts=self._clock(),
            tick_size=market.tick_size,
            min_size=Decimal("0.01") if market.fractional_trading_enabled else Decimal(1),
        )


def _pairs(levels: Iterable[BookLevel | Level]) -> list[tuple[Decimal, Decimal]]:
    return [(level.price, level.size) for level in levels]


class PolymarketRestBook:
    """Full-depth Polymarket books over REST (``GET /book``, public).

    Parameters
    ----------
    clob
        A public CLOB reader (owned by the caller).
    default_min_size
        The minimum used when a book carries no ``min_order_size``.
    clock
        Wall clock stamped on each snapshot.
    """

    def __init__(
        self,
        clob: ClobReader,
        *,
        default_min_size: Decimal = DEFAULT_MIN_SIZE["polymarket"],
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self._clob = clob
        self._default_min_size = default_min_size
        self._clock = clock

    async def snapshot(self, market_id: str, outcome_id: str) -> BookSnapshot | None:
        """The book of token ``outcome_id``; ``None`` when the token is unknown or belongs to another market."""
        try:
            book = await self._clob.book(outcome_id)
        except Rejected as e:
            if e.status not in (400, 404):
                raise
            return None
        if book.market.lower() != market_id.lower():
            return None
        tick = Decimal(book.tick_size) if book.tick_size else await self._clob.tick_size(outcome_id)
        min_size = Decimal(book.min_order_size) if book.min_order_size else self._default_min_size
        return BookSnapshot(
            bids=best_first(_pairs(book.bids), bids=True),
            asks=best_first(_pairs(book.asks), bids=False),
            ts=self._clock(),
            tick_size=tick,
            min_size=max(min_size, ZERO),
        )
