"""The Kalshi simulator's REST API under ``/trade-api/v2`` (venues.md §1.4, current 2026 shapes).

Public market data (:mod:`~markets.sim.kalshi.market_routes`) and the signed portfolio
(:mod:`~markets.sim.kalshi.portfolio_routes`). Errors are ``{"error": {"code", "message", "details"}}``.
"""

from __future__ import annotations

from fastapi import APIRouter

from markets.sim.kalshi.market_routes import MarketRoutes
from markets.sim.kalshi.portfolio_routes import PortfolioRoutes
from markets.sim.kalshi.state import SimState


def rest_router(state: SimState) -> APIRouter:
    """Everything under ``/trade-api/v2``."""
    router = APIRouter(prefix="/trade-api/v2")
    router.include_router(MarketRoutes(state).router())
    router.include_router(PortfolioRoutes(state).router())
    return router
