"""Positions, orders and fills (read only)."""

from __future__ import annotations

from fastapi import APIRouter, Query, Request

from services.api import queries
from services.api.schemas import FillOut, OrderOut, PositionOut

router = APIRouter()


@router.get("/positions", response_model=list[PositionOut])
async def list_positions(request: Request, open_only: bool = False) -> list[PositionOut]:
    """Positions with P&L."""
    return await queries.positions(request.app.state.pool, open_only=open_only)


@router.get("/orders", response_model=list[OrderOut])
async def list_orders(request: Request, limit: int = Query(100, ge=1, le=1000)) -> list[OrderOut]:
    """Latest orders."""
    return await queries.orders(request.app.state.pool, limit)


@router.get("/fills", response_model=list[FillOut])
async def list_fills(request: Request, limit: int = Query(100, ge=1, le=1000)) -> list[FillOut]:
    """Latest fills."""
    return await queries.fills(request.app.state.pool, limit)
