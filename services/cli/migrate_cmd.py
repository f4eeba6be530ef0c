"""``arbees migrate``: apply pending database migrations (safe to run any number of times).

Parser: :mod:`services.cli.parsers.migrate`.
"""

from __future__ import annotations

import argparse

from shared.config import ArbeesSettings, load_settings
from shared.db.migrate import migrate
from shared.runtime.infra import open_pool, resolve_database_url


async def run(args: argparse.Namespace) -> int:
    settings = load_settings(ArbeesSettings)
    dsn, embedded = await resolve_database_url(settings)
    pool = await open_pool(dsn)
    try:
        async with pool.acquire() as conn:
            applied = await migrate(conn)
    finally:
        await pool.close()
    where = "embedded database" if embedded else "DATABASE_URL"
    if applied:
        for m in applied:
            print(f"applied {m.version:04d}_{m.name}")
    print(f"schema up to date on {where}")
    return 0
