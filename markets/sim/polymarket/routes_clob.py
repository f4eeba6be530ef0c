"""CLOB REST at ``/``: public market data, L1 key management, L2 trading and account reads.

Includes every endpoint py-clob-client-v2 calls while deriving a key and creating/posting an order
(``/version``, ``/time``, ``/tick-size``, ``/neg-risk``, ``/fee-rate``, ``/clob-markets/{id}``,
``/markets-by-token/{id}``, ``/auth/*``, ``/order``, ``/data/*``, ``/v1/heartbeats``).
"""

from __future__ import annotations

import base64
import json
import time
from decimal import Decimal
from typing import Any

from fastapi import APIRouter, Request, Response

from markets.sim.polymarket import orders as v2
from markets.sim.polymarket.auth import ApiKey, AuthError
from markets.sim.polymarket.exchange import MARKET_BUY_PRECISION_ERROR, HeartbeatRefused, OrderError
from markets.sim.polymarket.records import SimOrder
from markets.sim.polymarket.state import GEOBLOCK_ERROR, SimState
from markets.sim.polymarket.wire import error, respond, text

PAGE = 100
END_CURSOR = "LTE="


def _cursor_offset(cursor: str | None) -> int:
    if not cursor or cursor == "MA==":
        return 0
    try:
        return int(base64.b64decode(cursor).decode())
    except ValueError:
        return 0


def _page(rows: list[dict[str, Any]], cursor: str | None) -> dict[str, Any]:
    start = _cursor_offset(cursor)
    chunk = rows[start : start + PAGE]
    end = start + PAGE >= len(rows)
    nxt = END_CURSOR if end else base64.b64encode(str(start + PAGE).encode()).decode()
    return {"limit": PAGE, "count": len(chunk), "next_cursor": nxt, "data": chunk}


def clob_router(state: SimState) -> APIRouter:  # noqa: C901 - one closure per endpoint
    """All CLOB routes of the simulator."""
    router = APIRouter()
    ex = state.exchange

    def token_or_error(token_id: str | None) -> Response | None:
        if not token_id or not token_id.isdigit():
            return error("Invalid token id", 400)
        if token_id not in ex.tokens:
            return error("No orderbook exists for the requested token id", 404)
        return None

    async def l2(request: Request) -> ApiKey:
        body = await request.body()
        return state.keys.verify_l2(request.method, request.url.path, body, request.headers)

    # -- public ------------------------------------------------------------------------------------

    @router.get("/")
    @router.get("/ok")
    async def ok() -> Response:
        return respond("OK")

    @router.get("/time")
    async def server_time() -> Response:
        return respond(int(state.clock()))

    @router.get("/version")
    async def version() -> Response:
        return respond({"version": 2})

    @router.get("/book")
    async def book(token_id: str | None = None) -> Response:
        return token_or_error(token_id) or respond(ex.book_json(str(token_id)))

    @router.post("/books")
    async def books(request: Request) -> Response:
        items = json.loads(await request.body() or b"[]")
        tokens = [str(i.get("token_id", "")) for i in items if isinstance(i, dict)]
        return respond([ex.book_json(t) for t in tokens if t in ex.tokens])

    @router.get("/price")
    async def price(token_id: str | None = None, side: str = "") -> Response:
        if (bad := token_or_error(token_id)) is not None:
            return bad
        if side.upper() not in ("BUY", "SELL"):
            return error("Invalid side", 400)
        bid, ask = ex.top(str(token_id))
        best = bid if side.upper() == "BUY" else ask
        return (
            error("No orderbook exists for the requested token id", 404)
            if best is None
            else respond({"price": text(best)})
        )

    @router.get("/midpoint")
    async def midpoint(token_id: str | None = None) -> Response:
        if (bad := token_or_error(token_id)) is not None:
            return bad
        bid, ask = ex.top(str(token_id))
        if bid is None or ask is None:
            return error("No orderbook exists for the requested token id", 404)
        return respond({"mid": text((bid + ask) / 2)})

    @router.get("/spread")
    async def spread(token_id: str | None = None) -> Response:
        if (bad := token_or_error(token_id)) is not None:
            return bad
        bid, ask = ex.top(str(token_id))
        return respond({"spread": text((ask or Decimal(1)) - (bid or Decimal(0)))})

    @router.get("/tick-size")
    async def tick_size(token_id: str | None = None) -> Response:
        return token_or_error(token_id) or respond({"minimum_tick_size": ex.token(str(token_id))[0].tick_size})

    @router.get("/neg-risk")
    async def neg_risk(token_id: str | None = None) -> Response:
        return token_or_error(token_id) or respond({"neg_risk": ex.token(str(token_id))[0].neg_risk})

    @router.get("/fee-rate")
    async def fee_rate(token_id: str | None = None) -> Response:
        return token_or_error(token_id) or respond({"base_fee": int(ex.token(str(token_id))[0].fee.rate * 10_000)})

    @router.get("/last-trade-price")
    async def last_trade_price(token_id: str | None = None) -> Response:
        return token_or_error(token_id) or respond({"price": ex.last_trade[str(token_id)], "side": ""})

    @router.get("/markets-by-token/{token_id}")
    async def market_by_token(token_id: str) -> Response:
        if (bad := token_or_error(token_id)) is not None:
            return bad
        return respond({"condition_id": ex.token(token_id)[0].condition_id})

    @router.get("/clob-markets/{condition_id}")
    async def clob_market_info(condition_id: str) -> Response:
        m = ex.markets.get(condition_id)
        if m is None:
            return error("market not found", 404)
        return respond(
            {
                "t": [{"t": t, "o": o} for t, o in zip(m.token_ids, m.outcomes, strict=True)],
                "mts": m.tick_size,
                "mos": m.min_order_size,
                "nr": m.neg_risk,
                "fd": {"r": m.fee.rate, "e": m.fee.exponent, "to": m.fee.taker_only},
            }
        )

    @router.get("/markets/{condition_id}")
    async def clob_market(condition_id: str) -> Response:
        m = ex.markets.get(condition_id)
        return error("market not found", 404) if m is None else respond(_clob_market(state, condition_id))

    @router.get("/markets")
    async def clob_markets(next_cursor: str | None = None) -> Response:
        return respond(_page([_clob_market(state, cid) for cid in ex.markets], next_cursor))

    # -- L1 ------------------------------------------------------------------------------------------

    @router.post("/auth/api-key")
    async def create_api_key(request: Request) -> Response:
        address, nonce = state.keys.verify_l1(request.headers)
        return respond(state.keys.create(address, nonce).public())

    @router.get("/auth/derive-api-key")
    async def derive_api_key(request: Request) -> Response:
        address, nonce = state.keys.verify_l1(request.headers)
        return respond(state.keys.derive(address, nonce).public())

    # -- L2: account ------------------------------------------------------------------------------------

    @router.get("/auth/api-keys")
    async def api_keys(request: Request) -> Response:
        key = await l2(request)
        return respond({"apiKeys": [key.api_key]})

    @router.get("/auth/ban-status/closed-only")
    async def closed_only(request: Request) -> Response:
        await l2(request)
        return respond({"closed_only": False})

    @router.get("/balance-allowance")
    @router.get("/balance-allowance/update")
    async def balance_allowance(request: Request, asset_type: str = "COLLATERAL", token_id: str = "") -> Response:
        key = await l2(request)
        if asset_type.upper() == "CONDITIONAL":
            amount = ex.ledger.position(key.address, token_id)
        else:
            amount = ex.ledger.collateral(key.address)
        units = str(int(amount * 1_000_000))
        return respond({"balance": units, "allowances": {v2.EXCHANGE_V2: units, v2.NEG_RISK_EXCHANGE_V2: units}})

    @router.post("/v1/heartbeats")
    @router.post("/heartbeats")
    async def heartbeat(request: Request) -> Response:
        key = await l2(request)
        body = json.loads(await request.body() or b"{}")
        sent = str(body.get("heartbeat_id") or "") if isinstance(body, dict) else ""
        try:
            return respond({"status": "ok", "heartbeat_id": ex.heartbeat(key.api_key, sent)})
        except HeartbeatRefused as e:  # the venue's answer to a stale id names the expected one
            return respond({"error_msg": "Invalid Heartbeat ID", "heartbeat_id": e.expected}, 400)

    # -- L2: orders ------------------------------------------------------------------------------------

    @router.post("/order")
    async def post_order(request: Request) -> Response:
        if state.geoblock.blocked:  # the venue checks the region before authentication
            return error(GEOBLOCK_ERROR, 403)
        key = await l2(request)
        return respond(_place(state, key, json.loads(await request.body() or b"{}")))

    @router.post("/orders")
    async def post_orders(request: Request) -> Response:
        if state.geoblock.blocked:
            return error(GEOBLOCK_ERROR, 403)
        key = await l2(request)
        items = json.loads(await request.body() or b"[]")
        if not isinstance(items, list) or len(items) > 15:
            return error("Invalid order payload: at most 15 orders per batch", 400)
        out = []
        for item in items:
            try:
                out.append(_place(state, key, item))
            except (OrderError, AuthError) as e:
                out.append(
                    {
                        "success": False,
                        "errorMsg": e.message,
                        "orderID": "",
                        "status": "",
                        "transactionsHashes": [],
                        "tradeIDs": [],
                    }
                )
        return respond(out)

    @router.delete("/order")
    async def cancel_order(request: Request) -> Response:
        key = await l2(request)
        body = json.loads(await request.body() or b"{}")
        return respond(ex.cancel(key.api_key, [str(body.get("orderID", ""))]))

    @router.delete("/orders")
    async def cancel_orders(request: Request) -> Response:
        key = await l2(request)
        ids = json.loads(await request.body() or b"[]")
        return respond(ex.cancel(key.api_key, [str(i) for i in ids][:1000]))

    @router.delete("/cancel-all")
    async def cancel_all(request: Request) -> Response:
        key = await l2(request)
        return respond(ex.cancel(key.api_key, [o.order_id for o in ex.open_orders_of(key.api_key)]))

    @router.delete("/cancel-market-orders")
    async def cancel_market_orders(request: Request) -> Response:
        key = await l2(request)
        body = json.loads(await request.body() or b"{}")
        orders = ex.open_orders_of(key.api_key, body.get("market") or None, body.get("asset_id") or None)
        return respond(ex.cancel(key.api_key, [o.order_id for o in orders]))

    @router.get("/data/orders")
    async def open_orders(
        request: Request, id: str | None = None, market: str | None = None, asset_id: str | None = None,
        next_cursor: str | None = None,
    ) -> Response:  # fmt: skip
        key = await l2(request)
        rows = [o.rest_json() for o in ex.open_orders_of(key.api_key, market, asset_id) if not id or o.order_id == id]
        return respond(_page(rows, next_cursor))

    @router.get("/data/order/{order_id}")
    async def get_order(request: Request, order_id: str) -> Response:
        key = await l2(request)
        order = ex.orders.get(order_id)
        if order is None or order.owner != key.api_key or not order.is_open:
            return Response(content=b"", media_type="application/json")  # the venue answers only live orders
        return respond(order.rest_json())

    @router.get("/data/trades")
    async def trades(
        request: Request, id: str | None = None, market: str | None = None, asset_id: str | None = None,
        after: int | None = None, before: int | None = None, next_cursor: str | None = None,
    ) -> Response:  # fmt: skip
        key = await l2(request)
        now = ex.now_ms()
        rows = [
            t.json_for(key.api_key, as_event=False, now_ms=now)
            for t in ex.trades.values()
            if t.involves(key.api_key)
            and (not id or t.trade_id == id)
            and (not market or t.taker.market.condition_id == market)
            and (not asset_id or asset_id in (t.taker.token_id, t.maker.token_id))
            and (after is None or t.match_time_s >= after)
            and (before is None or t.match_time_s <= before)
        ]
        return respond(_page(rows, next_cursor))

    return router


def _place(state: SimState, key: ApiKey, body: Any) -> dict[str, Any]:
    if not isinstance(body, dict) or not isinstance(body.get("order"), dict):
        raise OrderError("Invalid order payload")
    if body.get("owner") != key.api_key:
        raise OrderError("the order owner has to be the owner of the API KEY")
    raw = body["order"]
    token = str(raw.get("tokenId", ""))
    if token not in state.exchange.tokens:
        raise OrderError(f"market not found for token {token}")
    market, index = state.exchange.token(token)
    order = v2.decode(raw, chain_id=state.config.chain_id, neg_risk=market.neg_risk)
    if order.signer.lower() != key.address.lower():
        raise OrderError("the order signer address has to be the address of the API KEY")
    order_type = str(body.get("orderType", "GTC")).upper()
    if order_type not in ("GTC", "GTD", "FOK", "FAK"):
        raise OrderError(f"invalid order type {order_type}")
    if order_type in ("FAK", "FOK") and order.side == "BUY":
        if order.maker_amount % 10_000 or order.taker_amount % 100:  # 6-decimal units: 2 and 4 decimals
            raise OrderError(MARKET_BUY_PRECISION_ERROR)
    post_only = bool(body.get("postOnly", False))
    if post_only and order_type not in ("GTC", "GTD"):
        raise OrderError("invalid post-only order: only GTC and GTD orders can be post-only")
    sim = SimOrder(
        order_id=order.order_hash,
        owner=key.api_key,
        address=order.maker,
        market=market,
        index=index,
        side=order.side,
        price=order.price,
        size=order.size,
        order_type=order_type,
        created_at_s=int(time.time()),
        expiration=order.expiration,
    )
    return state.exchange.submit(sim, post_only=post_only)


def _clob_market(state: SimState, condition_id: str) -> dict[str, Any]:
    m = state.exchange.markets[condition_id]
    tokens = []
    for i, (token, outcome) in enumerate(zip(m.token_ids, m.outcomes, strict=True)):
        bid, ask = state.exchange.top(token)
        mid = (bid + ask) / 2 if bid is not None and ask is not None else Decimal("0.5")
        tokens.append({"token_id": token, "outcome": outcome, "price": mid, "winner": m.winner_index == i})
    return {
        "condition_id": m.condition_id,
        "question_id": m.question_id,
        "question": m.question,
        "market_slug": m.slug,
        "tokens": tokens,
        "minimum_tick_size": m.tick_size,
        "minimum_order_size": m.min_order_size,
        "neg_risk": m.neg_risk,
        "active": True,
        "closed": m.closed,
        "accepting_orders": m.accepting_orders and not m.closed,
        "enable_order_book": True,
        "game_start_time": m.game_start_time.isoformat() if m.game_start_time else None,
        "seconds_delay": int(m.matching_delay_s),
        "taker_base_fee": int(m.fee.rate * 10_000),
        "maker_base_fee": 0,
    }
