"""Public market-data routes of the Kalshi simulator: exchange status, series, events, markets, books, trades.

No credentials needed, but a request that carries ``KALSHI-ACCESS-*`` headers is verified (401 when wrong).
Listings page with ``limit`` + ``cursor`` (``""`` on the last page), newest trades first.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Request

from markets.sim.kalshi import wire
from markets.sim.kalshi.exchange import ExchangeError, SimMarket
from markets.sim.kalshi.query import (
    authenticator,
    in_window,
    int_param,
    limit_param,
    list_param,
    status_filter,
)
from markets.sim.kalshi.state import SimState


class MarketRoutes:
    """Handlers for the public routes of one simulator."""

    def __init__(self, state: SimState) -> None:
        self.ex = state.exchange
        self.auth = authenticator(state, required=False)

    def router(self) -> APIRouter:
        """The routes, relative to ``/trade-api/v2``."""
        router = APIRouter()
        routes: list[tuple[str, Callable[..., Any]]] = [
            ("/exchange/status", self.exchange_status),
            ("/series", self.list_series),
            ("/series/{series_ticker}", self.get_series),
            ("/events", self.list_events),
            ("/events/{event_ticker}", self.get_event),
            ("/markets", self.list_markets),
            ("/markets/trades", self.list_trades),
            ("/markets/orderbooks", self.get_orderbooks),
            ("/markets/{ticker}", self.get_market),
            ("/markets/{ticker}/orderbook", self.get_orderbook),
        ]
        for path, endpoint in routes:
            router.add_api_route(path, endpoint, methods=["GET"])
        return router

    def _markets_of(self, event_ticker: str) -> list[SimMarket]:
        return [m for m in self.ex.markets.values() if m.event_ticker == event_ticker]

    async def exchange_status(self, request: Request) -> dict[str, Any]:
        """``GET /exchange/status``."""
        await self.auth(request)
        active = self.ex.trading_active
        return {"exchange_active": True, "trading_active": active, "exchange_estimated_resume_time": None}

    async def list_series(self, request: Request) -> dict[str, Any]:
        """``GET /series`` (``category`` filter)."""
        await self.auth(request)
        category = request.query_params.get("category")
        return {"series": [wire.series_json(s) for s in self.ex.series.values() if category in (None, s.category)]}

    async def get_series(self, series_ticker: str, request: Request) -> dict[str, Any]:
        """``GET /series/{series_ticker}``; 404 ``not_found`` when unknown."""
        await self.auth(request)
        if series_ticker not in self.ex.series:
            raise ExchangeError(404, "not_found", "not found")
        return {"series": wire.series_json(self.ex.series[series_ticker])}

    async def list_events(self, request: Request) -> dict[str, Any]:
        """``GET /events`` (``series_ticker``, ``status``, ``with_nested_markets``, paged)."""
        await self.auth(request)
        series = request.query_params.get("series_ticker")
        nested = request.query_params.get("with_nested_markets") == "true"
        wanted = status_filter(request)
        events = [
            e for e in self.ex.events.values()
            if series in (None, e.series_ticker)
            and (wanted is None or any(m.status in wanted for m in self._markets_of(e.event_ticker)))
        ]  # fmt: skip
        chunk, cursor = wire.page(events, limit_param(request, 200, 200), request.query_params.get("cursor"))
        items = [wire.event_json(e, self._markets_of(e.event_ticker) if nested else None) for e in chunk]
        return {"events": items, "cursor": cursor}

    async def get_event(self, event_ticker: str, request: Request) -> dict[str, Any]:
        """``GET /events/{event_ticker}`` with ``markets`` (and ``event.markets`` when nested)."""
        await self.auth(request)
        event = self.ex.events.get(event_ticker)
        if event is None:
            raise ExchangeError(404, "not_found", "not found")
        markets = self._markets_of(event_ticker)
        nested = request.query_params.get("with_nested_markets") == "true"
        body = wire.event_json(event, markets if nested else None)
        return {"event": body, "markets": [wire.market_json(m) for m in markets]}

    async def list_markets(self, request: Request) -> dict[str, Any]:
        """``GET /markets`` (filters ``status``, ``event_ticker``, ``series_ticker``, ``tickers``, close window)."""
        await self.auth(request)
        markets = self._filter_markets(request)
        chunk, cursor = wire.page(markets, limit_param(request, 100, 1000), request.query_params.get("cursor"))
        return {"markets": [wire.market_json(m) for m in chunk], "cursor": cursor}

    def _filter_markets(self, request: Request) -> list[SimMarket]:
        q = request.query_params
        wanted = status_filter(request)
        tickers = list_param(request, "tickers")
        return [
            m for m in self.ex.markets.values()
            if (wanted is None or m.status in wanted)
            and q.get("event_ticker") in (None, m.event_ticker)
            and q.get("series_ticker") in (None, self.ex.events[m.event_ticker].series_ticker)
            and (tickers is None or m.ticker in tickers)
            and in_window(m.close_time.timestamp(), request, "min_close_ts", "max_close_ts")
        ]  # fmt: skip

    async def list_trades(self, request: Request) -> dict[str, Any]:
        """``GET /markets/trades``, newest first (``ticker``, ``min_ts``/``max_ts``, paged)."""
        await self.auth(request)
        ticker = request.query_params.get("ticker")
        trades = [
            t
            for t in reversed(self.ex.trades)
            if ticker in (None, t.ticker) and in_window(t.created.timestamp(), request)
        ]
        chunk, cursor = wire.page(trades, limit_param(request, 100, 1000), request.query_params.get("cursor"))
        return {"trades": [wire.trade_json(t) for t in chunk], "cursor": cursor}

    async def get_orderbooks(self, request: Request) -> dict[str, Any]:
        """``GET /markets/orderbooks?tickers=A,B``."""
        await self.auth(request)
        tickers = sorted(list_param(request, "tickers") or ())
        return {"orderbooks": [{"ticker": t, **wire.orderbook_fp(self.ex.market(t))} for t in tickers]}

    async def get_market(self, ticker: str, request: Request) -> dict[str, Any]:
        """``GET /markets/{ticker}``; 404 ``not_found`` when unknown."""
        await self.auth(request)
        return {"market": wire.market_json(self.ex.market(ticker))}

    async def get_orderbook(self, ticker: str, request: Request) -> dict[str, Any]:
        """``GET /markets/{ticker}/orderbook`` (``depth`` 0 = all), bids ascending, best last."""
        await self.auth(request)
        depth = int_param(request, "depth", 0, lo=0, hi=100) or 0
        return wire.orderbook_fp(self.ex.market(ticker), depth)
