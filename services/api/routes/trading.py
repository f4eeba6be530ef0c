"""Signals, orders, fills and positions (read only)."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Request

from services.api.queries import signals, trading
from services.api.routes.params import Id, Limit, Offset, VenueParam
from services.api.schemas import FillOut, OrderOut, Page, PositionOut, SignalOut

router = APIRouter()


@router.get("/signals", response_model=Page[SignalOut])
async def list_signals(
    request: Request,
    game_id: Id = None,
    kind: Literal["model_edge", "arbitrage", "exit"] | None = None,
    decision: Literal["approved", "denied"] | None = None,
    strategy: Id = None,
    venue: VenueParam = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> Page[SignalOut]:
    """Signals newest first, each with its legs (intent, verdict, order progress); ``venue``: a leg there."""
    return await signals.list_signals(
        request.app.state.pool,
        game_id=game_id,
        kind=kind,
        decision=decision,
        strategy=strategy,
        limit=limit,
        offset=offset,
        venue=venue,
    )


@router.get("/positions", response_model=Page[PositionOut])
async def list_positions(
    request: Request,
    status: Literal["open", "closed", "settled"] | None = None,
    game_id: Id = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> Page[PositionOut]:
    """Positions with P&L and, once settled, their settlement."""
    return await trading.list_positions(
        request.app.state.pool, status=status, game_id=game_id, limit=limit, offset=offset
    )


@router.get("/orders", response_model=Page[OrderOut])
async def list_orders(
    request: Request,
    game_id: Id = None,
    venue: VenueParam = None,
    status: Id = None,
    signal_id: Id = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> Page[OrderOut]:
    """Orders newest first."""
    return await trading.list_orders(
        request.app.state.pool,
        game_id=game_id,
        venue=venue,
        status=status,
        signal_id=signal_id,
        limit=limit,
        offset=offset,
    )


@router.get("/fills", response_model=Page[FillOut])
async def list_fills(
    request: Request,
    game_id: Id = None,
    venue: VenueParam = None,
    client_order_id: Id = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> Page[FillOut]:
    """Fills newest first."""
    return await trading.list_fills(
        request.app.state.pool,
        game_id=game_id,
        venue=venue,
        client_order_id=client_order_id,
        limit=limit,
        offset=offset,
    )
