"""The trading state as the API shows it."""

from __future__ import annotations

import asyncpg

from services.api.schemas import TradingStateOut
from shared.trading_state import TradingState, read_trading_state


def state_out(state: TradingState) -> TradingStateOut:
    """``state`` as :class:`TradingStateOut` (``since`` = when it last changed)."""
    return TradingStateOut(
        state=state.state, halted=state.halted, reason=state.reason, source=state.source, since=state.changed_at
    )


async def current(pool: asyncpg.Pool) -> TradingStateOut:
    """The current trading state (halted when missing or unreadable)."""
    return state_out(await read_trading_state(pool))
