"""Authenticated ``/portfolio`` routes of the Kalshi simulator: orders (V2 and legacy), fills, positions, balance.

Every request must be signed (401 otherwise). A repeated ``client_order_id`` never creates a second order:
V2 answers 201 with the existing order, legacy answers 409 ``order_already_exists`` (venues.md §1.5).
A V2 cancel must name the exchange shard of the order's market (``exchange_index``), else 404; a legacy
cancel without one looks on the default shard 0 (404 for an order on another shard); a create naming
another shard than its market's is 404 ``market_not_found``. Once a market is past close every create and
cancel on it is 400 ``MARKET_INACTIVE`` (venues.md §1.5), and the venue has cancelled what rested there
(``GET /portfolio/orders`` shows those orders ``canceled``). The balance is reported per shard in
``balance_breakdown``.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from markets.sim.kalshi import wire
from markets.sim.kalshi.accounts import Account
from markets.sim.kalshi.exchange import ExchangeError
from markets.sim.kalshi.query import authenticator, bad_request, in_window, limit_param
from markets.sim.kalshi.requests import CreateOrderLegacy, CreateOrderV2, legacy_spec, parse_body, v2_spec
from markets.sim.kalshi.state import SimState
from markets.sim.kalshi.stats import ARRIVAL_NS
from shared.prices import ONE, ZERO
from shared.tracing import TRACE


class PortfolioRoutes:
    """Handlers for the signed routes of one simulator."""

    def __init__(self, state: SimState) -> None:
        self.ex = state.exchange
        self._auth = authenticator(state, required=True)

    def router(self) -> APIRouter:
        """The routes, relative to ``/trade-api/v2``."""
        router = APIRouter(prefix="/portfolio")
        router.add_api_route("/events/orders", self.create_order_v2, methods=["POST"], status_code=201)
        router.add_api_route("/events/orders/{order_id}", self.cancel_order_v2, methods=["DELETE"])
        router.add_api_route("/orders", self.create_order_legacy, methods=["POST"], status_code=201)
        router.add_api_route("/orders/{order_id}", self.cancel_order_legacy, methods=["DELETE"])
        router.add_api_route("/orders", self.list_orders, methods=["GET"])
        router.add_api_route("/orders/{order_id}", self.get_order, methods=["GET"])
        router.add_api_route("/fills", self.list_fills, methods=["GET"])
        router.add_api_route("/positions", self.list_positions, methods=["GET"])
        router.add_api_route("/balance", self.get_balance, methods=["GET"])
        return router

    async def _key(self, request: Request) -> str:
        key = await self._auth(request)
        assert key is not None
        return key

    async def _account(self, request: Request) -> Account:
        return self.ex.account(await self._key(request))

    @staticmethod
    async def _json(request: Request) -> Any:
        try:
            return await request.json()
        except ValueError:
            raise bad_request("body is not JSON") from None

    # -- orders ----------------------------------------------------------------------------------

    async def create_order_v2(self, request: Request) -> dict[str, Any]:
        """``POST /portfolio/events/orders`` (201); a repeated ``client_order_id`` returns the existing order."""
        key = await self._key(request)
        spec = v2_spec(parse_body(CreateOrderV2, await self._json(request)))
        _trace_arrival(request, spec.client_order_id)
        order, _duplicate = self.ex.create_order(key, spec)
        return wire.create_v2_json(order)

    async def cancel_order_v2(self, order_id: str, request: Request) -> dict[str, Any]:
        """``DELETE /portfolio/events/orders/{order_id}`` (query ``exchange_index``, ``market_ticker``,
        ``subaccount``); 404 when not resting, or when ``exchange_index`` is missing or not the shard of the
        order's market (stricter than the venue, which routes a missing index to shard 0, so a client
        that drops it is caught on every market); 400 ``MARKET_INACTIVE`` when the order's market is closed."""
        key = await self._key(request)
        q = request.query_params
        try:
            shard = int(q["exchange_index"])
        except (KeyError, ValueError):
            raise ExchangeError(404, "not_found", "not found") from None
        order, reduced = self.ex.cancel_order(key, order_id, exchange_index=shard, market_ticker=q.get("market_ticker"))
        body = {"order_id": order.order_id, "client_order_id": order.client_order_id}
        return body | {"reduced_by": wire.fp(reduced), "ts_ms": wire.ms(order.updated)}

    async def create_order_legacy(self, request: Request) -> Any:
        """``POST /portfolio/orders`` (201); a repeated ``client_order_id`` is 409 ``order_already_exists``."""
        key = await self._key(request)
        spec = legacy_spec(parse_body(CreateOrderLegacy, await self._json(request)))
        _trace_arrival(request, spec.client_order_id)
        order, duplicate = self.ex.create_order(key, spec)
        if duplicate:
            body = wire.error_json("order_already_exists", "order already exists", order.order_id)
            return JSONResponse(body, status_code=409)
        return {"order": wire.order_json(order)}

    async def cancel_order_legacy(self, order_id: str, request: Request) -> dict[str, Any]:
        """``DELETE /portfolio/orders/{order_id}`` with ``reduced_by_fp`` (query ``exchange_index``, default
        the default shard 0, and ``market_ticker``); 404 when not resting on that shard, 400 ``MARKET_INACTIVE``
        when its market is closed."""
        key = await self._key(request)
        q = request.query_params
        try:
            shard = int(q.get("exchange_index", 0))
        except ValueError:
            raise ExchangeError(404, "not_found", "not found") from None
        order, reduced = self.ex.cancel_order(key, order_id, exchange_index=shard, market_ticker=q.get("market_ticker"))
        return {"order": wire.order_json(order), "reduced_by_fp": wire.fp(reduced)}

    async def list_orders(self, request: Request) -> dict[str, Any]:
        """``GET /portfolio/orders``, newest first (``ticker``, ``event_ticker``, ``status``, window, paged)."""
        account = await self._account(request)
        self.ex.expire_orders()
        q = request.query_params
        orders = [
            o for o in sorted(account.orders.values(), key=lambda o: o.created, reverse=True)
            if q.get("ticker") in (None, o.ticker)
            and q.get("event_ticker") in (None, self.ex.markets[o.ticker].event_ticker)
            and q.get("status") in (None, o.status)
            and in_window(o.created.timestamp(), request)
        ]  # fmt: skip
        chunk, cursor = wire.page(orders, limit_param(request, 100, 1000), q.get("cursor"))
        return {"orders": [wire.order_json(o) for o in chunk], "cursor": cursor}

    async def get_order(self, order_id: str, request: Request) -> dict[str, Any]:
        """``GET /portfolio/orders/{order_id}``; 404 when not this key's."""
        return {"order": wire.order_json(self.ex.get_order(await self._key(request), order_id))}

    # -- fills, positions, balance ---------------------------------------------------------------

    async def list_fills(self, request: Request) -> dict[str, Any]:
        """``GET /portfolio/fills``, newest first (``ticker``, ``order_id``, window, paged)."""
        account = await self._account(request)
        q = request.query_params
        fills = [
            f for f in reversed(account.fills)
            if q.get("ticker") in (None, f.ticker) and q.get("order_id") in (None, f.order_id)
            and in_window(f.created.timestamp(), request)
        ]  # fmt: skip
        chunk, cursor = wire.page(fills, limit_param(request, 100, 1000), q.get("cursor"))
        return {"fills": [wire.fill_json(f) for f in chunk], "cursor": cursor}

    async def list_positions(self, request: Request) -> dict[str, Any]:
        """``GET /portfolio/positions`` (``count_filter=position`` keeps open positions only)."""
        account = await self._account(request)
        q = request.query_params
        only_open = q.get("count_filter") == "position"
        rows = [
            (t, p) for t, p in sorted(account.positions.items())
            if q.get("ticker") in (None, t)
            and q.get("event_ticker") in (None, self.ex.markets[t].event_ticker)
            and (p.position != 0 if only_open else (p.position != 0 or p.total_traded > 0))
        ]  # fmt: skip
        chunk, cursor = wire.page(rows, limit_param(request, 100, 1000), q.get("cursor"))
        return {
            "market_positions": [wire.position_json(t, p, self.ex.markets[t].exchange_index) for t, p in chunk],
            "event_positions": self._event_positions([t for t, _ in chunk], account),
            "cursor": cursor,
        }

    def _event_positions(self, tickers: list[str], account: Account) -> list[dict[str, Any]]:
        totals: dict[str, list[Decimal]] = {}
        for ticker in tickers:
            pos = account.positions[ticker]
            row = totals.setdefault(self.ex.markets[ticker].event_ticker, [ZERO, ZERO, ZERO])
            row[0] += pos.cost
            row[1] += pos.realized_pnl
            row[2] += pos.fees_paid
        return [
            {
                "event_ticker": event,
                "total_cost_dollars": wire.dollars(cost),
                "event_exposure_dollars": wire.dollars(cost),
                "realized_pnl_dollars": wire.dollars(pnl),
                "fees_paid_dollars": wire.dollars(fees),
            }
            for event, (cost, pnl, fees) in sorted(totals.items())
        ]

    async def get_balance(self, request: Request) -> dict[str, Any]:
        """``GET /portfolio/balance``: integer cents plus ``balance_dollars``."""
        account = await self._account(request)
        return wire.balance_json(account, self._portfolio_value(account), self.ex.now())

    def _portfolio_value(self, account: Account) -> Decimal:
        """Open positions marked at each market's last price (YES) or its complement (NO)."""
        value = ZERO
        for ticker, pos in account.positions.items():
            mark = self.ex.markets[ticker].last_price
            value += pos.position * mark if pos.position > 0 else -pos.position * (ONE - mark)
        return value


def _trace_arrival(request: Request, client_order_id: str | None) -> None:
    """Stamp when an order request reached the simulator (the last stage of the tick-to-order benchmark)."""
    if TRACE.enabled and client_order_id:
        TRACE.stamp("venue.received", client_order_id, t_ns=request.scope.get(ARRIVAL_NS))
