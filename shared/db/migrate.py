"""Ordered SQL migrations, recorded in ``schema_migrations`` and applied idempotently.

Files in :mod:`shared.db.migrations` are named ``NNNN_name.sql`` and applied in number order, each in its
own transaction, under an advisory lock so two processes starting together do not race. A migration
already applied is skipped; one whose file changed since it was applied stops the run (edit by adding
a new migration, never by rewriting an old one).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from importlib import resources

import asyncpg

_LOCK_KEY = 0x4172_6265_6573  # "Arbees"
_NAME = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")


class MigrationError(RuntimeError):
    """Migrations cannot be applied safely (a changed file, a gap, a failing statement)."""


@dataclass(frozen=True, slots=True)
class Migration:
    """One SQL file."""

    version: int
    name: str
    sql: str

    @property
    def checksum(self) -> str:
        """SHA-256 of the file's text."""
        return hashlib.sha256(self.sql.encode()).hexdigest()


def available_migrations() -> list[Migration]:
    """All migration files shipped with the package, in version order."""
    found = []
    for entry in resources.files("shared.db.migrations").iterdir():
        match = _NAME.match(entry.name)
        if match:
            found.append(Migration(int(match.group(1)), match.group(2), entry.read_text()))
    found.sort(key=lambda m: m.version)
    versions = [m.version for m in found]
    if versions != list(range(1, len(found) + 1)):
        raise MigrationError(f"migration numbers must run 1..N without gaps, found {versions}")
    return found


async def applied_versions(conn: asyncpg.Connection) -> dict[int, str]:
    """Version -> checksum of every applied migration (empty when none)."""
    exists = await conn.fetchval("SELECT to_regclass('schema_migrations') IS NOT NULL")
    if not exists:
        return {}
    rows = await conn.fetch("SELECT version, checksum FROM schema_migrations")
    return {int(r["version"]): str(r["checksum"]) for r in rows}


async def migrate(conn: asyncpg.Connection) -> list[Migration]:
    """Apply every pending migration; return the ones applied now (empty when up to date)."""
    await conn.execute("SELECT pg_advisory_lock($1)", _LOCK_KEY)
    try:
        await conn.execute(
            """CREATE TABLE IF NOT EXISTS schema_migrations (
                   version INTEGER PRIMARY KEY,
                   name TEXT NOT NULL,
                   checksum TEXT NOT NULL,
                   applied_at TIMESTAMPTZ NOT NULL DEFAULT now())"""
        )
        done = await applied_versions(conn)
        applied: list[Migration] = []
        for migration in available_migrations():
            if migration.version in done:
                if done[migration.version] != migration.checksum:
                    raise MigrationError(
                        f"migration {migration.version:04d}_{migration.name} changed after it was applied"
                    )
                continue
            async with conn.transaction():
                await conn.execute(migration.sql)
                await conn.execute(
                    "INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)",
                    migration.version,
                    migration.name,
                    migration.checksum,
                )
            applied.append(migration)
        return applied
    finally:
        await conn.execute("SELECT pg_advisory_unlock($1)", _LOCK_KEY)


async def pending_migrations(conn: asyncpg.Connection) -> list[Migration]:
    """Migrations not applied yet."""
    done = await applied_versions(conn)
    return [m for m in available_migrations() if m.version not in done]
