"""Market rules for pre-send checks: tick, minimum size, neg-risk, fees and whether a market takes orders.

Per token, the CLOB book (``GET /book``) is the authority for the condition id, tick size, minimum order
size and neg-risk flag; Gamma (``GET /markets?clob_token_ids=``) says whether the market is active, not
closed and accepting orders, and gives its fee schedule. Both are read concurrently on first use and
cached for ``ttl_s`` (the tick changes near 0 and 1, so the cache is short and dropped whenever the
venue refuses an order for its tick). An unknown token is :class:`UnknownMarket`.

References
----------
venues.md §2.2-2.3 ; https://docs.polymarket.com/api-reference/market-data/get-order-book
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from markets.polymarket.clob import ClobReader
from markets.polymarket.gamma import GammaClient
from markets.polymarket.types import GammaMarket
from shared.errors import Rejected, VenueError
from shared.fees import PolymarketFeeSchedule
from shared.prices import PriceError, to_decimal


class UnknownMarket(VenueError):
    """The venue has no order book for this token."""


@dataclass(frozen=True, slots=True)
class MarketInfo:
    """What the pre-send checks need to know about one token's market."""

    token_id: str
    condition_id: str
    tick: Decimal
    min_size: Decimal
    neg_risk: bool
    fee: PolymarketFeeSchedule | None
    tradable: bool
    why_not: str
    fetched_at: float

    def is_fresh(self, now: float, ttl_s: float) -> bool:
        """Younger than ``ttl_s``."""
        return now - self.fetched_at < ttl_s


def _eligibility(token_id: str, listed: list[GammaMarket]) -> tuple[bool, str, PolymarketFeeSchedule | None]:
    market = next((m for m in listed if token_id in m.token_ids), None)
    if market is None:
        return False, "market is not open on Gamma (closed or not listed)", None
    if market.closed or not market.active:
        return False, f"market {market.slug or market.id} is closed", market.fee_schedule
    if not market.accepting_orders:
        return False, f"market {market.slug or market.id} is not accepting orders", market.fee_schedule
    return True, "", market.fee_schedule


class MarketDirectory:
    """Cached :class:`MarketInfo` per token.

    Parameters
    ----------
    reader
        Public CLOB reads.
    gamma
        Gamma reads.
    ttl_s
        How long an entry is trusted.
    """

    def __init__(
        self,
        reader: ClobReader,
        gamma: GammaClient,
        *,
        ttl_s: float = 30.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._reader = reader
        self._gamma = gamma
        self._ttl_s = ttl_s
        self._clock = clock
        self._cache: dict[str, MarketInfo] = {}
        self._locks: dict[str, asyncio.Lock] = {}

    def cached(self, token_id: str) -> MarketInfo | None:
        """The cached entry, fresh or not (used for fee lookups; never refreshes)."""
        return self._cache.get(token_id)

    def fee_schedule(self, token_id: str) -> PolymarketFeeSchedule | None:
        """The cached fee schedule of ``token_id``, if any."""
        info = self._cache.get(token_id)
        return info.fee if info is not None else None

    def invalidate(self, token_id: str) -> None:
        """Drop a token's entry (after the venue refused an order for its tick or eligibility)."""
        self._cache.pop(token_id, None)

    async def get(self, token_id: str) -> MarketInfo:
        """The market of ``token_id`` (cached).

        Raises
        ------
        UnknownMarket
            The venue has no book for the token.
        shared.errors.VenueError
            The venue could not be read (after the reads' retries).
        """
        info = self._cache.get(token_id)
        if info is not None and info.is_fresh(self._clock(), self._ttl_s):
            return info
        lock = self._locks.setdefault(token_id, asyncio.Lock())
        async with lock:
            info = self._cache.get(token_id)
            if info is None or not info.is_fresh(self._clock(), self._ttl_s):
                info = await self._fetch(token_id)
                self._cache[token_id] = info
            return info

    async def _fetch(self, token_id: str) -> MarketInfo:
        if not token_id.isdigit():
            raise UnknownMarket(f"{token_id!r} is not a Polymarket token id", venue="polymarket")
        try:
            book, listed = await asyncio.gather(
                self._reader.book(token_id), self._gamma.markets({"clob_token_ids": [token_id]})
            )
        except Rejected as e:
            raise UnknownMarket(f"unknown token {token_id}: {e}", venue="polymarket", status=e.status) from e
        try:
            tick = to_decimal(book.tick_size or "")
            min_size = to_decimal(book.min_order_size or "0")
        except PriceError as e:
            raise VenueError(f"book of {token_id} has no usable tick/min size: {e}", venue="polymarket") from e
        tradable, why_not, fee = _eligibility(token_id, listed)
        return MarketInfo(
            token_id=token_id,
            condition_id=book.market,
            tick=tick,
            min_size=min_size,
            neg_risk=bool(book.neg_risk),
            fee=fee,
            tradable=tradable,
            why_not=why_not,
            fetched_at=self._clock(),
        )
