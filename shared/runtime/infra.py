"""Opening the shared infrastructure a process needs: Redis, the database pool, the bus and the outbox."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import asyncpg

from shared.bus.outbox import OutboxRelay
from shared.bus.pubsub import MarketDataBus
from shared.bus.redis_conn import connect_redis
from shared.bus.streams import StreamProducer
from shared.config import ArbeesSettings, ConfigError
from shared.db.migrate import migrate, pending_migrations
from shared.db.pool import create_pool
from shared.db.uow import Store
from shared.embedded import embedded_database_url

log = logging.getLogger(__name__)


@dataclass(slots=True)
class Infra:
    """Connections shared by every service in a process."""

    settings: ArbeesSettings
    redis: Any
    pool: asyncpg.Pool
    store: Store
    relay: OutboxRelay
    market_data: MarketDataBus
    producer: StreamProducer
    embedded_redis: bool
    embedded_database: bool


async def resolve_database_url(settings: ArbeesSettings) -> tuple[str, bool]:
    """DATABASE_URL when set, else the embedded server's DSN; the flag says which."""
    if settings.database_url is not None:
        return settings.database_url.get_secret_value(), False
    return await embedded_database_url(settings.data_dir), True


async def open_pool(dsn: str, *, setting: str = "DATABASE_URL") -> asyncpg.Pool:
    """Connect, turning a connection failure into a start-up error that names the setting."""
    try:
        return await create_pool(dsn)
    except (OSError, asyncpg.PostgresError) as e:
        raise ConfigError(f"{setting}: cannot connect to PostgreSQL ({type(e).__name__}: {e})") from None


async def ensure_schema(pool: asyncpg.Pool, auto_migrate: bool) -> None:
    """Apply pending migrations, or refuse to start on an out-of-date schema when auto-migrate is off."""
    async with pool.acquire() as conn:
        if auto_migrate:
            applied = await migrate(conn)
            if applied:
                log.info("migrations applied", extra={"versions": [m.version for m in applied]})
            return
        pending = await pending_migrations(conn)
    if pending:
        raise ConfigError(
            f"ARBEES_AUTO_MIGRATE: off and {len(pending)} migration(s) pending; run `arbees migrate` first"
        )


@asynccontextmanager
async def open_infra(settings: ArbeesSettings, *, single_process: bool) -> AsyncIterator[Infra]:
    """Open Redis (or in-process fakeredis) and PostgreSQL (or the embedded server) for one process."""
    redis = connect_redis(settings.redis_url, single_process=single_process)
    try:
        await redis.ping()
    except Exception as e:  # noqa: BLE001 - report any connection failure as a start-up error
        await redis.aclose()
        raise ConfigError(f"REDIS_URL: cannot connect to Redis ({type(e).__name__}: {e})") from None
    dsn, embedded_db = await resolve_database_url(settings)
    pool = await open_pool(dsn)
    try:
        await ensure_schema(pool, settings.auto_migrate)
        relay = OutboxRelay(pool, redis)
        yield Infra(
            settings=settings,
            redis=redis,
            pool=pool,
            store=Store(pool, publisher=relay),
            relay=relay,
            market_data=MarketDataBus(redis),
            producer=StreamProducer(redis),
            embedded_redis=settings.redis_url is None,
            embedded_database=embedded_db,
        )
    finally:
        await pool.close()
        await redis.aclose()
