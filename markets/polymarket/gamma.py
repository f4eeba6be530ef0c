"""Gamma API client: sports events and markets, with offset and keyset (cursor) paging.

Gamma is public (no auth) and read-only; every call is retried on :class:`~shared.errors.Retryable`.
Since 2026-04-09 ``closed`` defaults to ``false`` on ``/markets``; pass ``closed=True`` to see settled ones.
Keyset endpoints (``/markets/keyset``, ``/events/keyset``) take ``after_cursor`` and refuse ``offset``.

References
----------
https://docs.polymarket.com/api-reference/markets/list-markets ; .../events/list-events ;
venues.md §2.2 (fields, sports, ``gameStartTime`` format).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping, Sequence
from typing import Any

import httpx

from markets.polymarket import parsing
from markets.polymarket.retry import Backoff, retry_reads
from markets.polymarket.transport import call
from markets.polymarket.types import GammaEvent, GammaMarket, Sport, Team

Filters = Mapping[str, str | int | bool | Sequence[str]]


def _params(filters: Filters | None, **extra: str | int | bool | None) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for key, value in {**(filters or {}), **{k: v for k, v in extra.items() if v is not None}}.items():
        values = value if isinstance(value, list | tuple) else [value]
        for v in values:
            out.append((key, str(v).lower() if isinstance(v, bool) else str(v)))
    return out


class GammaClient:
    """Async Gamma reads.

    Parameters
    ----------
    http
        An ``httpx.AsyncClient`` owned by the caller.
    base_url
        ``https://gamma-api.polymarket.com`` (the simulator serves it under ``/gamma``).
    backoff
        Retry policy for reads.
    """

    def __init__(self, http: httpx.AsyncClient, base_url: str, backoff: Backoff | None = None) -> None:
        self._http = http
        self._base = base_url.rstrip("/")
        self._backoff = backoff or Backoff()

    async def _get(self, path: str, params: list[tuple[str, str]] | None = None) -> Any:
        async def once() -> Any:
            return await call(self._http, "GET", f"{self._base}{path}", params=params)

        return await retry_reads(once, self._backoff)

    # -- markets ---------------------------------------------------------------------------------------

    async def markets(self, filters: Filters | None = None, *, limit: int = 100, offset: int = 0) -> list[GammaMarket]:
        """One page of ``GET /markets`` (filters as documented: ``slug``, ``clob_token_ids``, ``tag_id``,
        ``sports_market_types``, ``game_id``, ``closed``, ``active``, ...)."""
        return parsing.gamma_markets(await self._get("/markets", _params(filters, limit=limit, offset=offset)))

    async def iter_markets(self, filters: Filters | None = None, *, page_size: int = 100) -> AsyncIterator[GammaMarket]:
        """Every market matching ``filters``, paging by offset until a short page."""
        offset = 0
        while True:
            page = await self.markets(filters, limit=page_size, offset=offset)
            for market in page:
                yield market
            if len(page) < page_size:
                return
            offset += page_size

    async def markets_keyset(
        self, filters: Filters | None = None, *, limit: int = 100, after_cursor: str | None = None
    ) -> tuple[list[GammaMarket], str | None]:
        """One page of ``GET /markets/keyset`` (``limit`` <= 100); returns (markets, next cursor or ``None``)."""
        raw = await self._get("/markets/keyset", _params(filters, limit=limit, after_cursor=after_cursor))
        return parsing.gamma_markets_page(raw)

    async def iter_markets_keyset(
        self, filters: Filters | None = None, *, page_size: int = 100
    ) -> AsyncIterator[GammaMarket]:
        """Every market matching ``filters``, following ``next_cursor`` to the end."""
        cursor: str | None = None
        while True:
            page, cursor = await self.markets_keyset(filters, limit=page_size, after_cursor=cursor)
            for market in page:
                yield market
            if cursor is None or not page:
                return

    async def market(self, market_id: str) -> GammaMarket:
        """``GET /markets/{id}`` (an integer id; anything else is a 422 -> ``Rejected``)."""
        return parsing.gamma_market(await self._get(f"/markets/{market_id}"))

    async def market_by_slug(self, slug: str) -> GammaMarket:
        """``GET /markets/slug/{slug}``."""
        return parsing.gamma_market(await self._get(f"/markets/slug/{slug}"))

    # -- events ----------------------------------------------------------------------------------------

    async def events(self, filters: Filters | None = None, *, limit: int = 100, offset: int = 0) -> list[GammaEvent]:
        """One page of ``GET /events`` (``tag_id``, ``slug``, ``active``, ``closed``, ...)."""
        return parsing.gamma_events(await self._get("/events", _params(filters, limit=limit, offset=offset)))

    async def iter_events(self, filters: Filters | None = None, *, page_size: int = 100) -> AsyncIterator[GammaEvent]:
        """Every event matching ``filters``, paging by offset."""
        offset = 0
        while True:
            page = await self.events(filters, limit=page_size, offset=offset)
            for event in page:
                yield event
            if len(page) < page_size:
                return
            offset += page_size

    async def events_keyset(
        self, filters: Filters | None = None, *, limit: int = 100, after_cursor: str | None = None
    ) -> tuple[list[GammaEvent], str | None]:
        """One page of ``GET /events/keyset``; returns (events, next cursor or ``None``)."""
        raw = await self._get("/events/keyset", _params(filters, limit=limit, after_cursor=after_cursor))
        return parsing.gamma_events_page(raw)

    async def event(self, event_id: str) -> GammaEvent:
        """``GET /events/{id}``."""
        return parsing.gamma_event(await self._get(f"/events/{event_id}"))

    async def event_by_slug(self, slug: str) -> GammaEvent:
        """``GET /events/slug/{slug}`` (sports: ``nba-lal-bos-2026-11-23``)."""
        return parsing.gamma_event(await self._get(f"/events/slug/{slug}"))

    async def sports_events(
        self, tag_id: str, *, active: bool = True, closed: bool = False, page_size: int = 100
    ) -> list[GammaEvent]:
        """Open events of one sport (its tag id from :meth:`sports`), following every page."""
        filters: dict[str, str | int | bool | Sequence[str]] = {"tag_id": tag_id, "active": active, "closed": closed}
        return [e async for e in self.iter_events(filters, page_size=page_size)]

    # -- reference data --------------------------------------------------------------------------------

    async def sports(self) -> list[Sport]:
        """``GET /sports``: each sport with its tag ids and series."""
        return parsing.sports(await self._get("/sports"))

    async def teams(self, filters: Filters | None = None, *, limit: int = 100, offset: int = 0) -> list[Team]:
        """``GET /teams`` (``league``, ``name``, ``abbreviation`` filters)."""
        return parsing.teams(await self._get("/teams", _params(filters, limit=limit, offset=offset)))
