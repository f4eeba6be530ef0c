"""Public CLOB REST reads (no auth): books, prices, midpoints, spreads, tick sizes, neg-risk, time.

All methods are idempotent reads, retried on :class:`~shared.errors.Retryable` (429, 425, 5xx,
transport errors) with exponential back-off and full jitter; other errors propagate at once.

References
----------
https://docs.polymarket.com/api-reference/market-data/get-order-book ; venues.md §2.3.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any, Literal

import httpx

from markets.polymarket import parsing
from markets.polymarket.retry import Backoff, Sleep, retry_reads
from markets.polymarket.transport import call
from markets.polymarket.types import BookSnapshot


class ClobReader:
    """Async reads of the public CLOB endpoints.

    Parameters
    ----------
    http
        An ``httpx.AsyncClient`` (owned by the caller; closed by the caller).
    base_url
        The CLOB host, e.g. ``https://clob.polymarket.com``.
    backoff
        Retry policy for reads.
    """

    def __init__(
        self, http: httpx.AsyncClient, base_url: str, backoff: Backoff | None = None, sleep: Sleep | None = None
    ) -> None:
        self._http = http
        self._base = base_url.rstrip("/")
        self._backoff = backoff or Backoff()
        self._sleep = sleep

    async def _read(self, method: str, path: str, params: Mapping[str, str] | None, body: Any) -> Any:
        async def once() -> Any:
            return await call(self._http, method, f"{self._base}{path}", params=params, json_body=body)

        if self._sleep is None:
            return await retry_reads(once, self._backoff)
        return await retry_reads(once, self._backoff, sleep=self._sleep)

    async def _get(self, path: str, params: Mapping[str, str] | None = None) -> Any:
        return await self._read("GET", path, params, None)

    async def _post_read(self, path: str, body: Any) -> Any:
        return await self._read("POST", path, None, body)

    async def book(self, token_id: str) -> BookSnapshot:
        """The full book of ``token_id`` (levels worst to best; top of book is the LAST element)."""
        return parsing.book(await self._get("/book", {"token_id": token_id}))

    async def books(self, token_ids: Sequence[str]) -> list[BookSnapshot]:
        """Books of several tokens in one request (``POST /books``)."""
        return parsing.books(await self._post_read("/books", [{"token_id": t} for t in token_ids]))

    async def price(self, token_id: str, side: Literal["BUY", "SELL"]) -> Decimal:
        """The venue's best price on ``side`` of the book, as ``GET /price`` reports it."""
        return parsing.price(await self._get("/price", {"token_id": token_id, "side": side}))

    async def midpoint(self, token_id: str) -> Decimal:
        """Mid of best bid and ask (the venue answers ``mid``; docs say ``mid_price``; both accepted)."""
        return parsing.midpoint(await self._get("/midpoint", {"token_id": token_id}))

    async def spread(self, token_id: str) -> Decimal:
        """Best ask minus best bid."""
        return parsing.spread(await self._get("/spread", {"token_id": token_id}))

    async def tick_size(self, token_id: str) -> Decimal:
        """Minimum price increment of ``token_id``."""
        return parsing.tick_size(await self._get("/tick-size", {"token_id": token_id}))

    async def neg_risk(self, token_id: str) -> bool:
        """Whether the token's market is negative-risk (orders are signed for the neg-risk exchange)."""
        return parsing.neg_risk(await self._get("/neg-risk", {"token_id": token_id}))

    async def last_trade_price(self, token_id: str) -> Decimal:
        """Price of the last trade of ``token_id``."""
        return parsing.last_trade_price(await self._get("/last-trade-price", {"token_id": token_id}))

    async def version(self) -> int:
        """The order version the exchange expects (2 since 2026-04-28)."""
        return parsing.version(await self._get("/version"))

    async def server_time(self) -> int:
        """Venue time in Unix seconds (compare with the local clock before signing: L1/L2 are time-bound)."""
        return parsing.server_time(await self._get("/time"))
