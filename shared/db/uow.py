"""Unit of work: one transaction holding a handler's writes, its inbox row and its outgoing messages.

The inbox row (consumer, message_id) makes a redelivered message a no-op; the outbox rows are
published to Redis Streams only after the transaction commits (see :mod:`shared.bus.outbox`), so a
crash can neither lose an outgoing message nor publish one whose cause was rolled back.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

import asyncpg

from shared.messages import Message, encode


class UnitOfWork:
    """Writes made inside one open transaction on ``conn``."""

    def __init__(self, conn: asyncpg.Connection) -> None:
        self.conn = conn
        self.emitted: list[tuple[str, Message]] = []

    async def claim_inbox(self, consumer: str, message_id: uuid.UUID) -> bool:
        """Record that ``consumer`` handles ``message_id``; False if it already did (a duplicate)."""
        status = await self.conn.execute(
            "INSERT INTO inbox (consumer, message_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
            consumer,
            message_id,
        )
        return bool(status.endswith(" 1"))

    async def emit(self, stream: str, message: Message) -> None:
        """Queue ``message`` for ``stream``; it is published after commit, once (by ``message_id``)."""
        await self.conn.execute(
            "INSERT INTO outbox (stream, msg_type, message_id, payload) VALUES ($1, $2, $3, $4) "
            "ON CONFLICT (message_id) DO NOTHING",
            stream,
            message.type,
            message.message_id,
            encode(message),
        )
        self.emitted.append((stream, message))


class Store:
    """The database as the services use it: a pool and units of work."""

    def __init__(self, pool: asyncpg.Pool, on_emitted: Callable[[], None] | None = None) -> None:
        self.pool = pool
        self._on_emitted = on_emitted

    @asynccontextmanager
    async def unit_of_work(self) -> AsyncIterator[UnitOfWork]:
        """Open a transaction; commit when the block exits cleanly, roll back on an exception.

        After a commit that emitted messages, ``on_emitted`` is called (the outbox relay's wake-up).
        """
        async with self.pool.acquire() as conn:
            async with conn.transaction():
                uow = UnitOfWork(conn)
                yield uow
            if uow.emitted and self._on_emitted is not None:
                self._on_emitted()
