"""P&L handlers that halt trading when they raise: an exception in P&L code means HALT (R18).

The message is not lost: the exception still propagates, so the consumer retries it (and dead-letters
it after its limit); trading stays halted until an operator resumes.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

import asyncpg

from services.position_tracker.drawdown import halt_on_error
from shared.bus.pubsub import MarketDataBus
from shared.db.uow import UnitOfWork
from shared.messages import Message

log = logging.getLogger(__name__)
Handler = Callable[[Message, UnitOfWork], Awaitable[None]]


def halting_on_error(handler: Handler, pool: asyncpg.Pool, bus: MarketDataBus, what: str) -> Handler:
    """``handler``, halting trading before re-raising anything it raises."""

    async def guarded(message: Message, uow: UnitOfWork) -> None:
        try:
            await handler(message, uow)
        except Exception as e:
            log.error(
                "P&L handler raised: halting trading",
                extra={"handler": what, "message_id": str(message.message_id), "error": type(e).__name__},
            )
            await halt_on_error(pool, bus, f"{what} raised {type(e).__name__} on message {message.message_id}")
            raise

    return guarded
