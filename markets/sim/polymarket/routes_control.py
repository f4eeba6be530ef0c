"""The ``/_sim`` control API of the Polymarket simulator (besides ``/_sim/health`` and ``/_sim/faults``).

- ``POST /_sim/markets`` — open a sports moneyline market (optionally with makers); ``GET`` lists them.
- ``POST /_sim/markets/{condition_id}/price`` — pin the makers' reference (``{"price": "0.62"}``).
- ``POST /_sim/markets/{condition_id}/settle`` — resolve (``{"winning_outcome": "Lakers"}`` or index).
- ``POST /_sim/markets/{condition_id}/tick-size``, ``/delay``, ``/makers`` — tick, matching delay, makers.
- ``POST /_sim/orders`` — rest or cross an unsigned order for a named sim account (tests, demos).
- ``GET|POST /_sim/accounts/{address}`` — balances and positions.
- ``GET|POST /_sim/geoblock`` — what ``/api/geoblock`` says; ``blocked`` also makes ``POST /order`` 403.
- ``GET|DELETE /_sim/requests`` — the client requests seen (method, path), to prove none was sent.
- ``GET|DELETE /_sim/stats`` — the simulator's own handling time per endpoint (median, p99), for benchmarks.
- ``POST /_sim/settlement`` — ``{"fail_next": n}``: the next ``n`` trades go ``RETRYING`` then ``FAILED``.
- ``GET|POST /_sim/clock`` — ``{"offset_s": 30}``: skew the venue clock (``/time`` and auth freshness).
"""

from __future__ import annotations

import itertools
import time
from datetime import datetime
from decimal import Decimal
from typing import Any, Literal

from fastapi import APIRouter, Response
from pydantic import BaseModel, Field

from markets.sim.common.makers import MakerParams
from markets.sim.polymarket.market import SimMarket, derive_hex
from markets.sim.polymarket.records import SimOrder
from markets.sim.polymarket.seeding import MarketSpec, add_makers, create_market
from markets.sim.polymarket.state import SimState
from markets.sim.polymarket.wire import error, respond, text
from shared.fees import PolymarketFeeSchedule

_sim_ids = itertools.count(1)


class MarketIn(BaseModel):
    """Body of ``POST /_sim/markets``."""

    away: str = "Lakers"
    home: str = "Celtics"
    league: str = "nba"
    away_abbr: str | None = None
    home_abbr: str | None = None
    start: datetime | None = None
    tick_size: Decimal = Decimal("0.01")
    min_order_size: Decimal = Decimal("5")
    neg_risk: bool = False
    fee_rate: Decimal = Decimal("0.05")  # the sports taker rate since 2026-07-10
    matching_delay_s: float = Field(default=0.0, ge=0)
    game_id: str | None = None
    makers: bool = True
    price: float = Field(default=0.5, gt=0, lt=1)
    half_spread: Decimal = Decimal("0.01")
    maker_size: Decimal = Decimal("100")
    levels: int = Field(default=3, ge=1, le=20)
    noise_sd: float = Field(default=0.0, ge=0)
    lag_s: float = Field(default=0.0, ge=0)
    refresh_s: float = Field(default=1.0, gt=0)


class PriceIn(BaseModel):
    """Body of ``POST /_sim/markets/{id}/price``."""

    price: float = Field(gt=0, lt=1)


class SettleIn(BaseModel):
    """Body of ``POST /_sim/markets/{id}/settle``."""

    winning_outcome: str | None = None
    winning_index: int | None = Field(default=None, ge=0, le=1)


class SimOrderIn(BaseModel):
    """Body of ``POST /_sim/orders``: an order for a sim account, no signature."""

    token_id: str
    side: Literal["BUY", "SELL"]
    price: Decimal
    size: Decimal
    account: str = "sim-trader"
    order_type: Literal["GTC", "FAK", "FOK"] = "GTC"


class AccountIn(BaseModel):
    """Body of ``POST /_sim/accounts/{address}``."""

    collateral: Decimal | None = None
    tokens: dict[str, Decimal] = Field(default_factory=dict)


class SettlementIn(BaseModel):
    """Body of ``POST /_sim/settlement``."""

    fail_next: int = Field(ge=0)


class ClockIn(BaseModel):
    """Body of ``POST /_sim/clock``."""

    offset_s: float


class GeoblockIn(BaseModel):
    """Body of ``POST /_sim/geoblock``."""

    blocked: bool
    country: str = "US"
    region: str = "NY"


def _summary(state: SimState, m: SimMarket) -> dict[str, Any]:
    return {
        "id": m.id,
        "condition_id": m.condition_id,
        "slug": m.slug,
        "event_slug": m.event.slug,
        "outcomes": list(m.outcomes),
        "token_ids": list(m.token_ids),
        "tick_size": text(m.tick_size),
        "neg_risk": m.neg_risk,
        "matching_delay_s": m.matching_delay_s,
        "closed": m.closed,
    }


def sim_router(state: SimState) -> APIRouter:  # noqa: C901 - one closure per route
    """The simulator-specific control routes."""
    router = APIRouter(prefix="/_sim")
    ex = state.exchange

    def market(condition_id: str) -> SimMarket | None:
        return ex.markets.get(condition_id)

    @router.post("/markets")
    async def create(body: MarketIn) -> Response:
        spec = MarketSpec(
            away=body.away, home=body.home, league=body.league, away_abbr=body.away_abbr, home_abbr=body.home_abbr,
            start=body.start, tick_size=body.tick_size, min_order_size=body.min_order_size, neg_risk=body.neg_risk,
            fee=PolymarketFeeSchedule(rate=body.fee_rate), matching_delay_s=body.matching_delay_s, game_id=body.game_id,
        )  # fmt: skip
        m = create_market(state, spec)
        if body.makers:
            params = MakerParams(
                lag_s=body.lag_s, noise_sd=body.noise_sd, half_spread=body.half_spread, size=body.maker_size,
                levels=body.levels, refresh_s=body.refresh_s,
            )  # fmt: skip
            add_makers(state, m, lambda _t: body.price, params)
        return respond(_summary(state, m))

    @router.get("/markets")
    async def list_markets() -> Response:
        return respond([_summary(state, m) for m in ex.markets.values()])

    @router.post("/markets/{condition_id}/price")
    async def move_price(condition_id: str, body: PriceIn) -> Response:
        if condition_id not in state.makers.books:
            return error("no makers on this market", 404)
        state.makers.set_price(condition_id, body.price)
        return respond({"status": "ok"})

    @router.post("/markets/{condition_id}/settle")
    async def settle(condition_id: str, body: SettleIn) -> Response:
        m = market(condition_id)
        if m is None:
            return error("market not found", 404)
        index = body.winning_index
        if body.winning_outcome is not None:
            names = [o.casefold() for o in m.outcomes]
            if body.winning_outcome.casefold() not in names:
                return error(f"no outcome {body.winning_outcome!r}", 400)
            index = names.index(body.winning_outcome.casefold())
        if index is None:
            return error("give winning_outcome or winning_index", 400)
        ex.settle(m, index)
        return respond({"status": "settled", "winning_asset_id": m.token_ids[index]})

    @router.post("/markets/{condition_id}/tick-size")
    async def tick_size(condition_id: str, body: dict[str, str]) -> Response:
        m = market(condition_id)
        if m is None:
            return error("market not found", 404)
        ex.set_tick_size(m, Decimal(body["tick_size"]))
        return respond({"status": "ok"})

    @router.post("/markets/{condition_id}/delay")
    async def delay(condition_id: str, body: dict[str, float]) -> Response:
        m = market(condition_id)
        if m is None:
            return error("market not found", 404)
        m.matching_delay_s = float(body["matching_delay_s"])
        return respond({"status": "ok"})

    @router.post("/markets/{condition_id}/makers")
    async def makers(condition_id: str, body: dict[str, bool]) -> Response:
        if condition_id not in state.makers.books:
            return error("no makers on this market", 404)
        state.makers.set_enabled(condition_id, bool(body.get("enabled", True)))
        return respond({"status": "ok"})

    @router.post("/orders")
    async def place(body: SimOrderIn) -> Response:
        if body.token_id not in ex.tokens:
            return error("unknown token", 404)
        m, index = ex.token(body.token_id)
        order = SimOrder(
            order_id=derive_hex("sim-order", next(_sim_ids), time.time_ns()),
            owner=body.account,
            address=body.account,
            market=m,
            index=index,
            side=body.side,
            price=body.price,
            size=body.size,
            order_type=body.order_type,
            created_at_s=int(time.time()),
        )
        return respond(ex.submit(order))

    @router.get("/accounts/{address}")
    async def account(address: str) -> Response:
        return respond({"collateral": ex.ledger.collateral(address), "positions": ex.ledger.positions(address)})

    @router.post("/accounts/{address}")
    async def set_account(address: str, body: AccountIn) -> Response:
        ex.ledger.set_balance(address, body.collateral, body.tokens)
        return await account(address)

    @router.get("/geoblock")
    async def get_geoblock() -> Response:
        return respond(state.geoblock.answer())

    @router.post("/geoblock")
    async def set_geoblock(body: GeoblockIn) -> Response:
        state.geoblock.blocked, state.geoblock.country, state.geoblock.region = body.blocked, body.country, body.region
        return respond(state.geoblock.answer())

    @router.get("/requests")
    async def requests() -> Response:
        return respond([{"method": m, "path": p} for m, p in state.requests])

    @router.delete("/requests")
    async def clear_requests() -> Response:
        state.requests.clear()
        return respond({"status": "cleared"})

    @router.get("/stats")
    async def stats() -> Response:
        return respond(state.stats.summary())

    @router.delete("/stats")
    async def clear_stats() -> Response:
        state.stats.clear()
        return respond({"status": "cleared"})

    @router.post("/settlement")
    async def settlement(body: SettlementIn) -> Response:
        ex.fail_next_trades = body.fail_next
        return respond({"fail_next": ex.fail_next_trades})

    @router.get("/clock")
    async def get_clock() -> Response:
        return respond({"offset_s": state.clock.offset_s})

    @router.post("/clock")
    async def set_clock(body: ClockIn) -> Response:
        state.clock.offset_s = body.offset_s
        return respond({"offset_s": state.clock.offset_s})

    return router
