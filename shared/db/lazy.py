"""Rows of record whose loss in a database crash leaves only a gap in a history, written without waiting for the disk.

PostgreSQL's asynchronous commit (``SET LOCAL synchronous_commit TO OFF``) returns before the write-ahead
log reaches the disk: a crash of the database server may lose the last fraction of a second of such
transactions, never corrupt anything, and never reorder them against others. It is for sampled prices
and the shard's copy of its signals (the risk gate stores each signal it decides in its own, durable,
transaction), not for anything that carries money. It takes the fsync of these batches out of the queue
that the money path's commits wait in.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import asyncpg


async def record_lazily(pool: asyncpg.Pool, statement: str, rows: Iterable[Sequence[Any]]) -> None:
    """``executemany(statement, rows)`` in one transaction committed asynchronously."""
    async with pool.acquire() as conn, conn.transaction():
        await conn.execute("SET LOCAL synchronous_commit TO OFF")
        await conn.executemany(statement, rows)
