"""``KalshiRestClient``: the Trade API v2 over HTTPS, signed, rate-limited and retried per call kind.

Reads (exchange status, series, events, markets, order book, trades, orders, fills, positions, balance)
retry 429, 5xx and transport failures with exponential back-off and full jitter (Kalshi sends no
``Retry-After``). Order creates and cancels retry only what provably did not act (429, a connection
that never opened) and otherwise raise :class:`~shared.errors.Ambiguous` — a create that timed out
after sending is *never* retried here: the execution engine resolves it by ``client_order_id``.

References
----------
venues.md §1.4–1.6; https://docs.kalshi.com/api-reference (create-order-v2, cancel-order-v2, get-orders ...).
"""

from __future__ import annotations

import asyncio
import json
import random
from collections.abc import AsyncIterator, Awaitable, Callable
from decimal import Decimal
from typing import Any, Literal, TypeVar
from urllib.parse import urlsplit

import httpx
from pydantic import BaseModel, ValidationError

from markets.kalshi import parsing as p
from markets.kalshi import schemas as w
from markets.kalshi.auth import KalshiSigner
from markets.kalshi.config import KalshiSettings
from markets.kalshi.errors import DUPLICATE_CLIENT_ORDER_ID, VENUE, error_from_response, error_from_transport
from markets.kalshi.models import (
    BookSide,
    CancelAck,
    EventInfo,
    ExchangeState,
    KalshiBalance,
    KalshiFill,
    KalshiOrder,
    KalshiPosition,
    MarketInfo,
    OrderAck,
    OrderBookSnapshot,
    Page,
    PublicTrade,
    SeriesInfo,
)
from markets.kalshi.ratelimit import CANCEL_COST, LEGACY_MUTATION_COST, READ_COST, WRITE_COST, KalshiRateLimiter
from markets.kalshi.retry import Backoff, CallKind
from shared.errors import Ambiguous, Retryable, VenueError
from shared.prices import ONE, ZERO, PriceError
from shared.tracing import TRACE

M = TypeVar("M", bound=BaseModel)
TimeInForce = Literal["good_till_canceled", "immediate_or_cancel", "fill_or_kill"]
SelfTradePrevention = Literal["taker_at_cross", "maker"]
_PRICE_DP = Decimal("0.0001")
_COUNT_DP = Decimal("0.01")
ORDER_ENTRY_PATH = "/portfolio/events/orders"
"""V2 order entry (``POST``), under the API root."""


def format_price(price: Decimal) -> str:
    """A YES-leg limit as a ``FixedPointDollars`` string (4 dp); refuses floats, 0, 1 and finer precision."""
    if not isinstance(price, Decimal):
        raise PriceError(f"price must be a Decimal, not {type(price).__name__}")
    if not ZERO < price < ONE:
        raise PriceError(f"limit price must be inside (0, 1): {price}")
    if price != price.quantize(_PRICE_DP):
        raise PriceError(f"price {price} has more than 4 decimal places")
    return format(price.quantize(_PRICE_DP), "f")


def format_count(count: Decimal) -> str:
    """A contract count as a ``FixedPointCount`` string (2 dp, minimum 0.01)."""
    if not isinstance(count, Decimal):
        raise PriceError(f"count must be a Decimal, not {type(count).__name__}")
    if count <= 0 or count != count.quantize(_COUNT_DP):
        raise PriceError(f"count must be positive in 0.01 steps: {count}")
    return format(count.quantize(_COUNT_DP), "f")


def _params(**values: Any) -> dict[str, str | int]:
    out: dict[str, str | int] = {}
    for key, value in values.items():
        if value is None:
            continue
        if isinstance(value, bool):
            out[key] = "true" if value else "false"
        elif isinstance(value, list | tuple | set | frozenset):
            out[key] = ",".join(sorted(str(v) for v in value))
        else:
            out[key] = value
    return out


P = TypeVar("P")


async def paginate(
    list_page: Callable[..., Awaitable[Page[P]]], *, max_pages: int | None = None, **filters: Any
) -> AsyncIterator[P]:
    """Every item of a cursor-paged listing (``list_page(cursor=..., **filters)``), following cursors to the
    end or for at most ``max_pages`` pages."""
    cursor: str | None = None
    pages = 0
    while max_pages is None or pages < max_pages:
        page = await list_page(cursor=cursor, **filters)
        pages += 1
        for item in page.items:
            yield item
        if page.cursor is None:
            return
        cursor = page.cursor


class KalshiRestClient:
    """Async client for Kalshi's REST API (one API key).

    Parameters
    ----------
    settings
        Endpoint, budgets, timeouts and retry limits.
    signer
        Signs every request when given (public market data works without one; ``/portfolio`` needs it).
        Defaults to ``settings.signer()``.
    limiter
        Token buckets; defaults to the budgets in ``settings``.
    transport
        An httpx transport (tests inject one); defaults to the network.
    rng, sleep
        Jitter source and sleeper for back-off (injectable for deterministic tests).
    """

    def __init__(
        self,
        settings: KalshiSettings,
        *,
        signer: KalshiSigner | None = None,
        limiter: KalshiRateLimiter | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        rng: random.Random | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self._settings = settings
        self._signer = signer if signer is not None else settings.signer()
        self._limiter = limiter or KalshiRateLimiter.from_budgets(
            settings.read_tokens_per_s, settings.write_tokens_per_s, burst_s=settings.burst_s
        )
        self._base = settings.base_url
        self._base_path = urlsplit(settings.base_url).path
        timeout = httpx.Timeout(settings.request_timeout_s, connect=settings.connect_timeout_s)
        self._http = httpx.AsyncClient(timeout=timeout, transport=transport)
        self._backoff = Backoff(base_s=settings.backoff_base_s, cap_s=settings.backoff_cap_s)
        self._rng = rng or random.Random()  # noqa: S311 - jitter, not cryptography
        self._sleep = sleep
        self.retries = 0
        """Requests retried since construction (for metrics and tests)."""

    async def __aenter__(self) -> KalshiRestClient:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the HTTP connection pool (idempotent)."""
        await self._http.aclose()

    # -- transport -------------------------------------------------------------------------------

    async def _call(
        self,
        method: str,
        path: str,
        model: type[M],
        *,
        kind: CallKind = CallKind.READ,
        params: dict[str, str | int] | None = None,
        body: dict[str, Any] | None = None,
        cost: int = READ_COST,
    ) -> M:
        attempts = self._settings.max_read_attempts if kind is CallKind.READ else self._settings.max_write_attempts
        for attempt in range(attempts):
            outcome = await self._attempt(method, path, model, kind, params, body, cost)
            if not isinstance(outcome, VenueError):
                return outcome
            if not isinstance(outcome, Retryable) or attempt == attempts - 1:
                raise outcome
            self.retries += 1
            await self._sleep(self._backoff.delay(attempt, self._rng))
        raise AssertionError("unreachable")  # pragma: no cover

    async def _attempt(
        self,
        method: str,
        path: str,
        model: type[M],
        kind: CallKind,
        params: dict[str, str | int] | None,
        body: dict[str, Any] | None,
        cost: int,
    ) -> M | VenueError:
        if kind is CallKind.READ:
            await self._limiter.acquire_read(cost)
        else:
            await self._limiter.acquire_write(cost, cancel=kind is CallKind.CANCEL)
        headers = {"Accept": "application/json"}
        if self._signer is not None:
            headers.update(self._signer.headers(method, self._base_path + path))
        content = None
        if body is not None:
            headers["Content-Type"] = "application/json"
            content = json.dumps(body).encode()
        try:
            response = await self._http.request(
                method, self._base + path, params=params, content=content, headers=headers
            )
        except httpx.TransportError as e:
            return error_from_transport(e, mutating=kind.mutating)
        if response.status_code >= 400:
            return error_from_response(response.status_code, response.content, mutating=kind.mutating)
        try:
            return model.model_validate_json(response.content)
        except ValidationError as e:
            if kind.mutating:
                # The venue answered 2xx, so it acted; only the answer is unreadable.
                return Ambiguous(f"unreadable answer to a mutating call: {e}", venue=VENUE, code="parse")
            raise p.KalshiParseError(f"unreadable answer to GET {path}: {e}") from None

    async def _get(self, path: str, model: type[M], **params: Any) -> M:
        return await self._call("GET", path, model, params=_params(**params))

    # -- exchange, series, events, markets -------------------------------------------------------

    async def get_exchange_status(self) -> ExchangeState:
        """``GET /exchange/status`` (retried; idempotent)."""
        return p.parse_exchange_status(await self._get("/exchange/status", w.ExchangeStatus))

    async def get_series(self, series_ticker: str) -> SeriesInfo:
        """``GET /series/{series_ticker}``; :class:`~shared.errors.Rejected` (``not_found``) when unknown."""
        return p.parse_series((await self._get(f"/series/{series_ticker}", w.SeriesResponse)).series)

    async def list_series(self, *, category: str | None = None, tags: str | None = None) -> tuple[SeriesInfo, ...]:
        """``GET /series`` filtered by category/tags."""
        raw = await self._get("/series", w.SeriesList, category=category, tags=tags)
        return tuple(p.parse_series(s) for s in raw.series or ())

    async def list_events(
        self,
        *,
        limit: int = 200,
        cursor: str | None = None,
        status: str | None = None,
        series_ticker: str | None = None,
        with_nested_markets: bool = False,
    ) -> Page[EventInfo]:
        """One page of ``GET /events`` (``limit`` ≤ 200; follow ``cursor``)."""
        raw = await self._get(
            "/events", w.EventsPage, limit=limit, cursor=cursor, status=status,
            series_ticker=series_ticker, with_nested_markets=with_nested_markets or None,
        )  # fmt: skip
        return p.parse_events_page(raw)

    async def get_event(self, event_ticker: str, *, with_nested_markets: bool = True) -> EventInfo:
        """``GET /events/{event_ticker}`` with its markets."""
        raw = await self._get(f"/events/{event_ticker}", w.EventResponse, with_nested_markets=with_nested_markets)
        return p.parse_event(raw.event, raw.markets)

    async def list_markets(
        self,
        *,
        limit: int = 100,
        cursor: str | None = None,
        event_ticker: str | None = None,
        series_ticker: str | None = None,
        tickers: list[str] | None = None,
        status: str | None = None,
        min_close_ts: int | None = None,
        max_close_ts: int | None = None,
    ) -> Page[MarketInfo]:
        """One page of ``GET /markets`` (``status`` in the filter vocabulary: open, closed, settled ...)."""
        raw = await self._get(
            "/markets", w.MarketsPage, limit=limit, cursor=cursor, event_ticker=event_ticker,
            series_ticker=series_ticker, tickers=tickers, status=status, min_close_ts=min_close_ts,
            max_close_ts=max_close_ts,
        )  # fmt: skip
        return p.parse_markets_page(raw)

    async def iter_markets(self, **filters: Any) -> AsyncIterator[MarketInfo]:
        """Every market matching ``filters`` (see :meth:`list_markets`), following cursors to the end."""
        async for market in paginate(self.list_markets, **filters):
            yield market

    async def get_market(self, ticker: str) -> MarketInfo:
        """``GET /markets/{ticker}``; :class:`~shared.errors.Rejected` (``not_found``) when unknown."""
        return p.parse_market((await self._get(f"/markets/{ticker}", w.MarketResponse)).market)

    async def get_orderbook(self, ticker: str, *, depth: int = 0) -> OrderBookSnapshot:
        """``GET /markets/{ticker}/orderbook`` (``depth`` 0 = all levels)."""
        raw = await self._get(f"/markets/{ticker}/orderbook", w.OrderbookResponse, depth=depth or None)
        return p.parse_orderbook(ticker, raw)

    async def list_trades(
        self,
        *,
        ticker: str | None = None,
        limit: int = 100,
        cursor: str | None = None,
        min_ts: int | None = None,
        max_ts: int | None = None,
    ) -> Page[PublicTrade]:
        """One page of ``GET /markets/trades`` (newest first)."""
        raw = await self._get(
            "/markets/trades", w.TradesPage, ticker=ticker, limit=limit, cursor=cursor, min_ts=min_ts, max_ts=max_ts
        )
        return p.parse_trades_page(raw)

    # -- orders ----------------------------------------------------------------------------------

    async def create_order(
        self,
        *,
        ticker: str,
        side: BookSide,
        count: Decimal,
        price: Decimal,
        client_order_id: str,
        time_in_force: TimeInForce = "good_till_canceled",
        self_trade_prevention_type: SelfTradePrevention = "taker_at_cross",
        post_only: bool = False,
        reduce_only: bool = False,
        cancel_order_on_pause: bool = False,
        expiration_time: int | None = None,
        exchange_index: int | None = None,
    ) -> OrderAck:
        """Place a limit order with V2 ``POST /portfolio/events/orders``.

        ``side`` is the YES leg (``bid`` = buy YES, ``ask`` = sell YES ≡ buy NO at ``1 - price``);
        ``price`` is the YES-leg limit; ``expiration_time`` is Unix seconds (good-till-time).
        ``exchange_index`` is the shard of the market (``MarketInfo.exchange_index``); routing is the
        caller's job (docs.kalshi.com/getting_started/exchange_sharding), so the engine always names it.
        ``None`` omits it (the venue routes by ticker; ``-1`` requires that).

        Idempotency: ``client_order_id`` is the key — a repeat never creates a second order. A
        duplicate answer is resolved to the existing order (``OrderAck.duplicate``).

        Raises
        ------
        shared.errors.Rejected
            The venue refused the order (code ``invalid_order``, ``insufficient_balance`` ...).
        shared.errors.Ambiguous
            The request may have been applied (timeout after sending, 5xx, unreadable 2xx): query
            by ``client_order_id`` before doing anything else. Never retried here.
        shared.errors.Retryable
            Still rate-limited (429) after the configured attempts; nothing was placed.
        shared.errors.AuthOrClock
            Signature, key or clock refused (401).
        """
        body: dict[str, Any] = {
            "ticker": ticker,
            "client_order_id": client_order_id,
            "side": side,
            "count": format_count(count),
            "price": format_price(price),
            "time_in_force": time_in_force,
            "self_trade_prevention_type": self_trade_prevention_type,
            "post_only": post_only,
            "reduce_only": reduce_only,
            "cancel_order_on_pause": cancel_order_on_pause,
        }
        if expiration_time is not None:
            body["expiration_time"] = expiration_time
        if exchange_index is not None:
            body["exchange_index"] = exchange_index
        try:
            TRACE.stamp("kalshi.request", client_order_id)
            raw = await self._call(
                "POST", ORDER_ENTRY_PATH, w.CreateOrderV2Response,
                kind=CallKind.CREATE, body=body, cost=WRITE_COST,
            )  # fmt: skip
        except Ambiguous as e:
            if e.code != DUPLICATE_CLIENT_ORDER_ID:
                raise
            return await self._resolve_duplicate(ticker, client_order_id, e)
        return p.parse_order_ack(raw)

    async def create_order_legacy(
        self,
        *,
        ticker: str,
        side: BookSide,
        count: Decimal,
        price: Decimal,
        client_order_id: str,
        time_in_force: TimeInForce = "good_till_canceled",
        post_only: bool = False,
        reduce_only: bool = False,
        expiration_ts: int | None = None,
        exchange_index: int | None = None,
    ) -> KalshiOrder:
        """Fallback: legacy ``POST /portfolio/orders`` (deprecated June 2026; 100 write tokens).

        ``exchange_index`` as for :meth:`create_order`.

        A ``bid`` is sent as buy YES at ``price``; an ``ask`` as buy NO at ``1 - price``. Same failure
        semantics and idempotency as :meth:`create_order` (a 409 ``order_already_exists`` resolves to the
        existing order).
        """
        whole = count == count.to_integral_value()
        body: dict[str, Any] = {
            "ticker": ticker,
            "client_order_id": client_order_id,
            "action": "buy",
            "side": "yes" if side == "bid" else "no",
            "count_fp": format_count(count),
            "time_in_force": time_in_force,
            "post_only": post_only,
            "reduce_only": reduce_only,
        }
        if whole:
            body["count"] = int(count)
        leg_price = format_price(price) if side == "bid" else format_price(ONE - price)
        body["yes_price_dollars" if side == "bid" else "no_price_dollars"] = leg_price
        if expiration_ts is not None:
            body["expiration_ts"] = expiration_ts
        if exchange_index is not None:
            body["exchange_index"] = exchange_index
        try:
            raw = await self._call(
                "POST", "/portfolio/orders", w.OrderResponse, kind=CallKind.CREATE, body=body,
                cost=LEGACY_MUTATION_COST,
            )  # fmt: skip
        except Ambiguous as e:
            if e.code != DUPLICATE_CLIENT_ORDER_ID:
                raise
            existing = await self.find_order_by_client_order_id(ticker, client_order_id)
            if existing is None:
                raise
            return existing
        return p.parse_order(raw.order)

    async def _resolve_duplicate(self, ticker: str, client_order_id: str, error: Ambiguous) -> OrderAck:
        existing = await self.find_order_by_client_order_id(ticker, client_order_id)
        if existing is None:
            raise error
        return p.ack_from_order(existing, duplicate=True)

    async def cancel_order(
        self, order_id: str, *, exchange_index: int, market_ticker: str | None = None, subaccount: int = 0
    ) -> CancelAck:
        """Cancel what is left of an order with V2 ``DELETE /portfolio/events/orders/{order_id}``.

        ``exchange_index`` is the shard of the order's market (``MarketInfo.exchange_index`` or the order's
        own ``exchange_index``); sent as a query parameter with ``market_ticker`` and ``subaccount``. The
        venue looks the order up on that shard only: the wrong shard answers 404 although the order rests.

        Raises
        ------
        shared.errors.Rejected
            ``not_found``: unknown on that shard, or no longer resting (filled or already cancelled).
        shared.errors.Ambiguous
            Timed out or 5xx after sending: query the order.
        """
        params = _params(exchange_index=exchange_index, market_ticker=market_ticker, subaccount=subaccount)
        raw = await self._call(
            "DELETE", f"/portfolio/events/orders/{order_id}", w.CancelOrderV2Response,
            kind=CallKind.CANCEL, cost=CANCEL_COST, params=params,
        )  # fmt: skip
        return p.parse_cancel_v2(raw)

    async def cancel_order_legacy(
        self, order_id: str, *, exchange_index: int, market_ticker: str | None = None, subaccount: int = 0
    ) -> CancelAck:
        """Fallback: legacy ``DELETE /portfolio/orders/{order_id}`` (same semantics as :meth:`cancel_order`).

        It too must name the order's shard (``exchange_index``, a query parameter): without one the venue
        looks on the default shard 0 and answers 404 for an order resting on another.
        """
        params = _params(exchange_index=exchange_index, market_ticker=market_ticker, subaccount=subaccount)
        raw = await self._call(
            "DELETE", f"/portfolio/orders/{order_id}", w.CancelOrderLegacyResponse,
            kind=CallKind.CANCEL, cost=LEGACY_MUTATION_COST, params=params,
        )  # fmt: skip
        return p.parse_cancel_legacy(raw)

    async def get_order(self, order_id: str) -> KalshiOrder:
        """``GET /portfolio/orders/{order_id}``; :class:`~shared.errors.Rejected` ``not_found`` when unknown."""
        return p.parse_order((await self._get(f"/portfolio/orders/{order_id}", w.OrderResponse)).order)

    async def list_orders(
        self,
        *,
        ticker: str | None = None,
        event_ticker: str | None = None,
        status: str | None = None,
        limit: int = 200,
        cursor: str | None = None,
        min_ts: int | None = None,
        max_ts: int | None = None,
    ) -> Page[KalshiOrder]:
        """One page of ``GET /portfolio/orders`` (``status``: resting, canceled, executed)."""
        raw = await self._get(
            "/portfolio/orders", w.OrdersPage, ticker=ticker, event_ticker=event_ticker, status=status,
            limit=limit, cursor=cursor, min_ts=min_ts, max_ts=max_ts,
        )  # fmt: skip
        return p.parse_orders_page(raw)

    async def find_order_by_client_order_id(
        self, ticker: str, client_order_id: str, *, min_ts: int | None = None
    ) -> KalshiOrder | None:
        """Our order with ``client_order_id`` in ``ticker`` (pages through the market's orders created at or
        after ``min_ts``, Unix seconds, when given), or ``None``."""
        async for order in paginate(self.list_orders, ticker=ticker, limit=1000, min_ts=min_ts):
            if order.client_order_id == client_order_id:
                return order
        return None

    # -- portfolio -------------------------------------------------------------------------------

    async def list_fills(
        self,
        *,
        ticker: str | None = None,
        order_id: str | None = None,
        min_ts: int | None = None,
        max_ts: int | None = None,
        limit: int = 200,
        cursor: str | None = None,
    ) -> Page[KalshiFill]:
        """One page of ``GET /portfolio/fills`` (``min_ts``/``max_ts`` Unix seconds)."""
        raw = await self._get(
            "/portfolio/fills", w.FillsPage, ticker=ticker, order_id=order_id, min_ts=min_ts, max_ts=max_ts,
            limit=limit, cursor=cursor,
        )  # fmt: skip
        return p.parse_fills_page(raw)

    async def list_positions(
        self,
        *,
        ticker: str | None = None,
        event_ticker: str | None = None,
        count_filter: str | None = None,
        limit: int = 200,
        cursor: str | None = None,
    ) -> Page[KalshiPosition]:
        """One page of market positions from ``GET /portfolio/positions``."""
        raw = await self._get(
            "/portfolio/positions", w.PositionsPage, ticker=ticker, event_ticker=event_ticker,
            count_filter=count_filter, limit=limit, cursor=cursor,
        )  # fmt: skip
        return p.parse_positions_page(raw)

    async def get_balance(self) -> KalshiBalance:
        """``GET /portfolio/balance`` in dollars."""
        return p.parse_balance(await self._get("/portfolio/balance", w.Balance))
