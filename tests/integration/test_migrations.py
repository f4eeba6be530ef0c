"""Migrations: idempotent on an empty database, and the schema works on plain PostgreSQL."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from decimal import Decimal

import asyncpg
import pytest

from shared.db import migrate as migrate_module
from shared.db.migrate import MigrationError, available_migrations, migrate

pytestmark = pytest.mark.integration

TABLES = {
    "game_states",
    "market_prices",
    "win_probabilities",
    "signals",
    "order_intents",
    "orders",
    "fills",
    "positions",
    "settlements",
    "pnl_snapshots",
    "risk_state",
    "model_runs",
    "inbox",
    "outbox",
}


async def test_migrations_apply_twice_without_error(empty_database_url: str) -> None:
    conn = await asyncpg.connect(empty_database_url)
    try:
        first = await migrate(conn)
        second = await migrate(conn)
        assert [m.version for m in first] == [m.version for m in available_migrations()]
        assert second == []
        tables = {r["tablename"] for r in await conn.fetch("SELECT tablename FROM pg_tables WHERE schemaname='public'")}
        assert TABLES <= tables
        assert await conn.fetchval("SELECT count(*) FROM schema_migrations") == len(first)
    finally:
        await conn.close()


async def test_schema_works_without_timescaledb(database_url: str) -> None:
    conn = await asyncpg.connect(database_url)
    try:
        assert await conn.fetchval("SELECT count(*) FROM pg_extension WHERE extname = 'timescaledb'") == 0
        now = datetime.now(UTC)
        await conn.execute(
            "INSERT INTO market_prices (venue, market_id, outcome_id, ts, best_bid, best_ask) VALUES "
            "('kalshi', 'm', 'yes', $1, 0.55, 0.57)",
            now,
        )
        assert await conn.fetchval("SELECT best_bid FROM market_prices") == Decimal("0.550000")
        insert_fill = (
            "INSERT INTO fills (venue, venue_trade_id, client_order_id, game_id, market_id, outcome_id, side, price,"
            " quantity, fee, liquidity, paper, ts) VALUES ('kalshi', 't1', $1, 'g', 'm', 'yes', 'buy', 0.62, 31,"
            " 0.52, 'taker', true, now())"
        )
        await conn.execute(insert_fill, "c1")
        with pytest.raises(asyncpg.UniqueViolationError):
            await conn.execute(insert_fill, "c1")
        # The same venue trade filling another of our orders (multi-maker) is a different fill.
        await conn.execute(insert_fill, "c2")
        assert await conn.fetchval("SELECT sum(quantity) FROM fills") == Decimal("62.000000")
        state = await conn.fetchval("SELECT value FROM risk_state WHERE key = 'trading_state'")
        assert '"active"' in state
        await conn.execute("INSERT INTO inbox (consumer, message_id) VALUES ('g', $1)", uuid.uuid4())
    finally:
        await conn.close()


async def test_an_edited_applied_migration_stops_the_run(
    empty_database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    conn = await asyncpg.connect(empty_database_url)
    try:
        await migrate(conn)
        real = available_migrations()
        edited = [migrate_module.Migration(m.version, m.name, m.sql + "\n-- edited") for m in real]
        monkeypatch.setattr(migrate_module, "available_migrations", lambda: edited)
        with pytest.raises(MigrationError, match="changed after it was applied"):
            await migrate_module.migrate(conn)
    finally:
        await conn.close()
