"""Unit of work: one transaction holding a handler's writes, its inbox row and its outgoing messages.

The inbox row (consumer, message_id) makes a redelivered message a no-op; the outbox rows are
published to Redis Streams only after the transaction commits (see :mod:`shared.bus.outbox`), so a
crash can neither lose an outgoing message nor publish one whose cause was rolled back. With a
``publisher`` the committed messages are published at once, right after the commit (the relay marks
their rows sent later, in batches, and publishes whatever that direct publish missed).

``on_commit`` / ``on_rollback`` callbacks let a handler keep in-memory state in step with what its
transaction made durable (the risk gate's own approvals).
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from typing import Protocol

import asyncpg

from shared.messages import Message, encode


class UnitOfWork:
    """Writes made inside one open transaction on ``conn``."""

    def __init__(self, conn: asyncpg.Connection) -> None:
        self.conn = conn
        self.emitted: list[tuple[str, Message]] = []
        self.payloads: list[bytes] = []
        self.after_commit: list[Callable[[], None]] = []
        self.after_rollback: list[Callable[[], None]] = []

    def on_commit(self, callback: Callable[[], None]) -> None:
        """Run ``callback`` once the transaction has committed."""
        self.after_commit.append(callback)

    def on_rollback(self, callback: Callable[[], None]) -> None:
        """Run ``callback`` if the transaction rolls back."""
        self.after_rollback.append(callback)

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
        payload = encode(message)
        await self.conn.execute(
            "INSERT INTO outbox (stream, msg_type, message_id, payload) VALUES ($1, $2, $3, $4) "
            "ON CONFLICT (message_id) DO NOTHING",
            stream,
            message.type,
            message.message_id,
            payload,
        )
        self.emitted.append((stream, message))
        self.payloads.append(payload)

    def emitted_by_caller(self, stream: str, message: Message, payload: bytes) -> None:
        """Note a message whose outbox row the caller wrote in its own statement (published after commit)."""
        self.emitted.append((stream, message))
        self.payloads.append(payload)


class CommittedPublisher(Protocol):
    """Publishes messages whose outbox rows have just committed (see :class:`shared.bus.outbox.OutboxRelay`)."""

    async def publish_committed(self, emitted: Sequence[tuple[str, Message]], payloads: Sequence[bytes]) -> None:
        """XADD them now; never raises (what fails is left to the relay)."""


class Store:
    """The database as the services use it: a pool and units of work."""

    def __init__(self, pool: asyncpg.Pool, *, publisher: CommittedPublisher | None = None) -> None:
        self.pool = pool
        self._publisher = publisher

    @asynccontextmanager
    async def unit_of_work(self) -> AsyncIterator[UnitOfWork]:
        """Open a transaction; commit when the block exits cleanly, roll back on an exception.

        After a commit, the ``on_commit`` callbacks run, then the ``publisher`` (when given) publishes the
        messages emitted (without one they wait for the relay's sweep); after a rollback, the
        ``on_rollback`` callbacks run.
        """
        async with self.pool.acquire() as conn:
            uow = UnitOfWork(conn)
            try:
                async with conn.transaction():
                    yield uow
            except BaseException:
                for callback in uow.after_rollback:
                    callback()
                raise
            for callback in uow.after_commit:
                callback()
            if uow.emitted and self._publisher is not None:
                await self._publisher.publish_committed(uow.emitted, uow.payloads)
