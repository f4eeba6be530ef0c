"""Embedded defaults for a laptop: PostgreSQL 16 from the ``pgserver`` wheel when no DATABASE_URL is set.

The data directory lives under the per-user data dir (``~/.local/share/arbees/pgdata`` unless
``ARBEES_DATA_DIR`` says otherwise) so the demo's history survives between runs; the server stops when
the last process using it exits.
"""

from __future__ import annotations

import asyncio
import logging
import warnings
from pathlib import Path

import asyncpg

log = logging.getLogger(__name__)
DATABASE_NAME = "arbees"


def _start_server(data_dir: Path) -> str:
    with warnings.catch_warnings():
        # pgserver asks platformdirs for a runtime dir, which warns when XDG_RUNTIME_DIR is unset.
        warnings.simplefilter("ignore")
        import pgserver

        data_dir.mkdir(parents=True, exist_ok=True)
        server = pgserver.get_server(data_dir / "pgdata", cleanup_mode="stop")  # type: ignore[attr-defined]
    return str(server.get_uri())


async def embedded_database_url(data_dir: Path, name: str = DATABASE_NAME) -> str:
    """Start (or join) the embedded server and return a DSN for database ``name`` (created when missing)."""
    log.info("starting embedded PostgreSQL", extra={"data_dir": str(data_dir)})
    admin_uri = await asyncio.to_thread(_start_server, data_dir)
    conn = await asyncpg.connect(admin_uri)
    try:
        exists = await conn.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name)
        if not exists:
            await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    base, _, query = admin_uri.partition("?")
    base = base.rsplit("/", 1)[0]
    return f"{base}/{name}" + (f"?{query}" if query else "")
