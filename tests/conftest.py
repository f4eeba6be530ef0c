"""Shared fixtures: the real PostgreSQL and Redis on this machine, isolated per test.

Each test that needs a database gets a fresh one cloned from a template migrated once per session; each
test that needs Redis gets a flushed logical database (one per pytest-xdist worker: ``ARBEES_TEST_REDIS_DB``
plus the worker's number). URLs come from ``ARBEES_TEST_PG_ADMIN_URL`` and
``ARBEES_TEST_REDIS_URL`` (defaults: the local servers with trust auth).
"""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import AsyncIterator, Iterator
from typing import Any

import asyncpg
import pytest
import redis.asyncio as aioredis

from shared.config import ArbeesSettings, load_settings
from shared.db.migrate import migrate
from shared.db.pool import create_pool
from shared.runtime.infra import Infra, open_infra

PG_ADMIN_URL = os.environ.get("ARBEES_TEST_PG_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
REDIS_BASE_URL = os.environ.get("ARBEES_TEST_REDIS_URL", "redis://127.0.0.1:6379")
# Each pytest-xdist worker (gw0, gw1, ...) flushes its own logical database: the base one, then the next.
_WORKER = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or 0)
REDIS_TEST_DB = int(os.environ.get("ARBEES_TEST_REDIS_DB", "13")) + _WORKER


def _db_url(name: str) -> str:
    base = PG_ADMIN_URL.rsplit("/", 1)[0]
    return f"{base}/{name}"


async def _admin(sql: str) -> None:
    conn = await asyncpg.connect(PG_ADMIN_URL)
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


@pytest.fixture(scope="session")
def pg_template() -> Iterator[str]:
    """A database migrated once, cloned by every test that needs one."""
    name = f"arbees_tpl_{os.getpid()}"

    async def create() -> None:
        await _admin(f'DROP DATABASE IF EXISTS "{name}"')
        await _admin(f'CREATE DATABASE "{name}"')
        conn = await asyncpg.connect(_db_url(name))
        try:
            await migrate(conn)
        finally:
            await conn.close()

    asyncio.run(create())
    yield name
    asyncio.run(_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture
async def empty_database_url() -> AsyncIterator[str]:
    """A brand-new empty database."""
    name = f"arbees_t_{uuid.uuid4().hex[:12]}"
    await _admin(f'CREATE DATABASE "{name}"')
    yield _db_url(name)
    await _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
async def database_url(pg_template: str) -> AsyncIterator[str]:
    """A fresh migrated database for this test."""
    name = f"arbees_t_{uuid.uuid4().hex[:12]}"
    await _admin(f'CREATE DATABASE "{name}" TEMPLATE "{pg_template}"')
    yield _db_url(name)
    await _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
async def db_pool(database_url: str) -> AsyncIterator[asyncpg.Pool]:
    """A pool on the test's database, closed after the test (before the database is dropped)."""
    pool = await create_pool(database_url)
    yield pool
    await pool.close()


@pytest.fixture
async def redis_url() -> AsyncIterator[str]:
    """A flushed Redis logical database for this test."""
    url = f"{REDIS_BASE_URL}/{REDIS_TEST_DB}"
    client = aioredis.from_url(url)
    await client.flushdb()
    await client.aclose()
    yield url
    client = aioredis.from_url(url)
    await client.flushdb()
    await client.aclose()


@pytest.fixture
async def redis(redis_url: str) -> AsyncIterator[Any]:
    """A client on the test's Redis database."""
    client = aioredis.from_url(redis_url)
    yield client
    await client.aclose()


@pytest.fixture
def settings(redis_url: str, database_url: str, tmp_path: Any) -> ArbeesSettings:
    """Settings pointing at the test's Redis and database, with quick timings."""
    return load_settings(
        ArbeesSettings,
        redis_url=redis_url,
        database_url=database_url,
        data_dir=tmp_path,
        health_port=0,
        heartbeat_interval_s=0.5,
        stream_block_ms=100,
        stream_claim_idle_ms=500,
    )


@pytest.fixture
async def infra(settings: ArbeesSettings) -> AsyncIterator[Infra]:
    """Opened infrastructure (Redis, pool, store, relay) on the test's servers."""
    async with open_infra(settings, single_process=False) as opened:
        yield opened


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """Remove Arbees settings from the environment so a test sets exactly what it means."""
    for key in list(os.environ):
        if key.startswith(("ARBEES_", "GAME_SHARD_", "SIGNAL_", "EXEC_", "POSITIONS_", "API_")) or key in (
            "REDIS_URL",
            "DATABASE_URL",
            "PAPER_TRADING",
            "LIVE_TRADING_CONFIRMED",
            "LOG_LEVEL",
        ):
            monkeypatch.delenv(key, raising=False)
    return monkeypatch
