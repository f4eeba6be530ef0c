"""P&L summary, risk gauges, the trading state (read scope) and the fleet."""

from __future__ import annotations

from fastapi import APIRouter, Request

from services.api.queries import fleet, pnl, risk, trading_state
from services.api.schemas import FleetOut, PnlSummary, RiskOut, TradingStateOut
from shared.messages import utc_now

router = APIRouter()


@router.get("/pnl/summary", response_model=PnlSummary)
async def get_pnl_summary(request: Request) -> PnlSummary:
    """Today's and cumulative P&L, by sport, strategy and venue, and the cumulative series."""
    return await pnl.pnl_summary(request.app.state.pool, request.app.state.paper, utc_now())


@router.get("/risk", response_model=RiskOut)
async def get_risk(request: Request) -> RiskOut:
    """Trading state, exposure and rate gauges against the published limits, and recent denials."""
    pool = request.app.state.pool
    published = await risk.limits(pool)
    return RiskOut(
        trading=await trading_state.current(pool),
        gauges=await risk.gauges(pool, published, request.app.state.paper, utc_now()),
        limits=published,
        recent_denials=await risk.recent_denials(pool),
    )


@router.get("/trading-state", response_model=TradingStateOut)
async def get_trading_state(request: Request) -> TradingStateOut:
    """The trading state (halted when missing or unreadable)."""
    return await trading_state.current(request.app.state.pool)


@router.get("/fleet", response_model=FleetOut)
async def get_fleet(request: Request) -> FleetOut:
    """Service heartbeats, shard assignments and venue circuits."""
    return await fleet.fleet(request.app.state.pool, request.app.state.redis)
