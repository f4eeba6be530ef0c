"""asyncpg connection pool with the codecs Arbees relies on (JSONB as Python objects).

A connection goes back to the pool without asyncpg's reset query (``RESET ALL; UNLISTEN *; CLOSE ALL;
pg_advisory_unlock_all()``), which is one more database round trip on every release, i.e. on every unit
of work of the hot path. Our code keeps no session state on pooled connections: it sets no session
variables, listens to nothing, opens no cursors outside a transaction, and releases the session advisory
locks it takes itself. An open transaction is still rolled back by asyncpg on release.
"""

from __future__ import annotations

import json
from typing import Any

import asyncpg


async def _init_connection(conn: asyncpg.Connection) -> None:
    await conn.set_type_codec("jsonb", encoder=json.dumps, decoder=json.loads, schema="pg_catalog")
    await conn.set_type_codec("json", encoder=json.dumps, decoder=json.loads, schema="pg_catalog")


async def _keep_session(conn: asyncpg.Connection) -> None:
    """Release without the reset query (see the module docstring)."""


async def create_pool(dsn: str, *, min_size: int = 1, max_size: int = 10, **kwargs: Any) -> asyncpg.Pool:
    """Open a pool to ``dsn``; every connection decodes JSON/JSONB to Python objects."""
    kwargs.setdefault("reset", _keep_session)
    pool = await asyncpg.create_pool(dsn, min_size=min_size, max_size=max_size, init=_init_connection, **kwargs)
    assert pool is not None
    return pool
