"""The control scope (R18): halt and resume trading, read the trading state (control token only)."""

from __future__ import annotations

import logging

from fastapi import APIRouter, Request

from services.api.queries.trading_state import state_out
from services.api.schemas import StateChangeIn, TradingStateOut
from shared.bus.pubsub import MarketDataBus
from shared.trading_state import State, TradingState, announce, read_trading_state, set_trading_state

router = APIRouter(prefix="/control")
log = logging.getLogger(__name__)


@router.get("/state", response_model=TradingStateOut)
async def get_state(request: Request) -> TradingStateOut:
    """The trading state, why, by whom and since when."""
    return state_out(await read_trading_state(request.app.state.pool))


@router.post("/halt", response_model=TradingStateOut)
async def post_halt(request: Request, body: StateChangeIn) -> TradingStateOut:
    """Halt trading (persisted, announced on the bus); idempotent for the same reason."""
    return state_out(await _change(request, "halted", body.reason))


@router.post("/resume", response_model=TradingStateOut)
async def post_resume(request: Request, body: StateChangeIn) -> TradingStateOut:
    """Allow trading again."""
    return state_out(await _change(request, "active", body.reason))


async def _change(request: Request, state: State, reason: str) -> TradingState:
    client = request.client.host if request.client else "unknown"
    async with request.app.state.pool.acquire() as conn:
        changed = await set_trading_state(conn, state, reason, f"api:{client}")
    try:
        await announce(MarketDataBus(request.app.state.redis), changed)
    except Exception:  # noqa: BLE001 - persisted already: services still see it at their next read
        log.exception("trading state saved but not announced on the bus", extra={"state": state})
    return changed
