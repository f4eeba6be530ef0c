"""The archive job (23:00): time series older than the retention leave the hot tables, and nothing is lost.

With the TimescaleDB extension the hypertables get a compression policy and their chunks older than the
retention are compressed now (the rows stay queryable; nothing is dropped). On plain PostgreSQL each table's
old rows are exported to Parquet files under ``ANALYTICS_ARCHIVE_DIR`` (one file per UTC day, at most
``MAX_ROWS_PER_FILE`` rows) and deleted from the hot table only after the file was fsynced and read back with
the same keys. The rows are locked (``FOR UPDATE``) while their file is written, deleted by their keys, and
the file is entered into ``archive_files`` in the same transaction as the delete: hot rows + rows listed in
``archive_files`` is every row ever written. A file left without an index row by a crash is removed by the
next run (its rows are still in the hot table and get archived again).
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import asyncpg

from services.analytics.parquet import Column, arrow_type, verify, write_durably

log = logging.getLogger(__name__)

TABLES: dict[str, str] = {
    "game_states": "game_id",
    "market_prices": "venue, market_id, outcome_id",
    "win_probabilities": "game_id, model",
    "pnl_snapshots": "paper",
}
"""Archived tables and the TimescaleDB ``compress_segmentby`` of each."""
MAX_ROWS_PER_FILE = 200_000


@dataclass(slots=True)
class TableArchive:
    """What one run did to one table."""

    rows: int = 0
    files: list[str] = field(default_factory=list)
    chunks_compressed: int = 0


@dataclass(slots=True)
class ArchiveResult:
    """The outcome of one archive run."""

    mode: str
    cutoff: datetime
    tables: dict[str, TableArchive] = field(default_factory=dict)
    orphans_removed: int = 0

    def summary(self) -> str:
        """A few lines for the console."""
        lines = [f"archive ({self.mode}): rows older than {self.cutoff.isoformat()}"]
        for name, t in self.tables.items():
            if self.mode == "timescaledb":
                lines.append(f"  {name}: {t.chunks_compressed} chunk(s) compressed")
            else:
                lines.append(f"  {name}: {t.rows} row(s) archived in {len(t.files)} file(s)")
        if self.orphans_removed:
            lines.append(f"  {self.orphans_removed} unindexed file(s) from an interrupted run removed")
        return "\n".join(lines)


async def has_timescaledb(conn: asyncpg.Connection) -> bool:
    """Whether the TimescaleDB extension is installed in this database (migration 0002 creates it)."""
    return bool(await conn.fetchval("SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'timescaledb')"))


async def run_archive(
    pool: asyncpg.Pool, archive_dir: Path, retention: timedelta, now: datetime | None = None
) -> ArchiveResult:
    """Archive every time-series row older than ``now - retention`` (idempotent: a second run finds none)."""
    cutoff = (now or datetime.now(UTC)) - retention
    async with pool.acquire() as conn:
        timescale = await has_timescaledb(conn)
    if timescale:
        return await _compress_all(pool, retention, cutoff)
    result = ArchiveResult("parquet", cutoff)
    result.orphans_removed = await _remove_orphans(pool, archive_dir)
    for table in TABLES:
        result.tables[table] = await _archive_table(pool, archive_dir, table, cutoff)
    return result


# -- TimescaleDB --------------------------------------------------------------------------------------------


async def _compress_all(pool: asyncpg.Pool, retention: timedelta, cutoff: datetime) -> ArchiveResult:
    result = ArchiveResult("timescaledb", cutoff)
    async with pool.acquire() as conn:
        hypertables = {
            r["hypertable_name"]
            for r in await conn.fetch("SELECT hypertable_name FROM timescaledb_information.hypertables")
        }
        for table, segment_by in TABLES.items():
            t = result.tables.setdefault(table, TableArchive())
            if table not in hypertables:
                log.warning("not a hypertable: left as it is", extra={"table": table})
                continue
            await conn.execute(
                f"ALTER TABLE {table} SET (timescaledb.compress, timescaledb.compress_segmentby = '{segment_by}')"
            )
            await conn.execute("SELECT add_compression_policy($1::regclass, $2::interval, if_not_exists => TRUE)",
                               table, retention)  # fmt: skip
            compressed = await conn.fetch(
                "SELECT compress_chunk(c, if_not_compressed => TRUE) "
                "FROM show_chunks($1::regclass, older_than => $2) c",
                table,
                cutoff,
            )
            t.chunks_compressed = len(compressed)
    return result


# -- Parquet --------------------------------------------------------------------------------------------


async def _columns(conn: asyncpg.Connection, table: str) -> list[Column]:
    rows = await conn.fetch(
        """SELECT column_name, data_type, numeric_precision, numeric_scale FROM information_schema.columns
           WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position""",
        table,
    )
    return [
        Column(r["column_name"], r["data_type"], arrow_type(r["data_type"], r["numeric_precision"], r["numeric_scale"]))
        for r in rows
    ]


async def _key_columns(conn: asyncpg.Connection, table: str) -> list[tuple[str, str]]:
    rows = await conn.fetch(
        """SELECT a.attname, format_type(a.atttypid, a.atttypmod) AS type
           FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
           WHERE i.indrelid = $1::regclass AND i.indisprimary
           ORDER BY array_position(i.indkey, a.attnum)""",
        table,
    )
    return [(r["attname"], r["type"]) for r in rows]


def _select_list(columns: list[Column]) -> str:
    return ", ".join(f"{c.name}::text AS {c.name}" if c.pg_type in ("jsonb", "json", "uuid") else c.name
                     for c in columns)  # fmt: skip


async def _archive_table(pool: asyncpg.Pool, archive_dir: Path, table: str, cutoff: datetime) -> TableArchive:
    out = TableArchive()
    while True:
        written = await _archive_batch(pool, archive_dir, table, cutoff)
        if written is None:
            return out
        out.rows += written[1]
        out.files.append(str(written[0]))


async def _archive_batch(
    pool: asyncpg.Pool, archive_dir: Path, table: str, cutoff: datetime
) -> tuple[Path, int] | None:
    async with pool.acquire() as conn, conn.transaction():
        first = await conn.fetchval(f"SELECT min(ts) FROM {table} WHERE ts < $1", cutoff)  # noqa: S608 - fixed names
        if first is None:
            return None
        day_end = datetime(first.year, first.month, first.day, tzinfo=UTC) + timedelta(days=1)
        columns = await _columns(conn, table)
        keys = await _key_columns(conn, table)
        rows = await conn.fetch(
            f"SELECT {_select_list(columns)} FROM {table} WHERE ts >= $1 AND ts < $2 "  # noqa: S608 - fixed names
            f"ORDER BY {', '.join(k for k, _ in keys)} LIMIT {MAX_ROWS_PER_FILE} FOR UPDATE",
            first,
            min(day_end, cutoff),
        )
        file_id = uuid.uuid4()
        path = archive_dir / table / f"{first:%Y-%m-%d}" / f"{table}-{first:%Y%m%dT%H%M%S%f}-{file_id.hex[:8]}.parquet"
        tuples = [tuple(r[c.name] for c in columns) for r in rows]
        key_values = [tuple(r[k] for k, _ in keys) for r in rows]
        try:
            written = await asyncio.to_thread(write_durably, path, columns, tuples)
            await asyncio.to_thread(verify, written, [k for k, _ in keys], key_values)
            deleted = await _delete_keys(conn, table, keys, key_values)
            if deleted != len(rows):
                raise RuntimeError(f"{table}: {deleted} row(s) deleted for {len(rows)} archived")
            timestamps = [r["ts"] for r in rows]
            await conn.execute(
                """INSERT INTO archive_files (file_id, table_name, path, ts_from, ts_to, row_count, bytes, sha256)
                   VALUES ($1, $2, $3, $4, $5, $6, $7, $8)""",
                file_id, table, str(path), min(timestamps), max(timestamps), len(rows), written.bytes, written.sha256,
            )  # fmt: skip
        except BaseException:
            path.unlink(missing_ok=True)
            raise
    log.info("archived", extra={"table": table, "rows": len(rows), "path": str(path)})
    return path, len(rows)


async def _delete_keys(
    conn: asyncpg.Connection, table: str, keys: list[tuple[str, str]], values: list[tuple[Any, ...]]
) -> int:
    names = ", ".join(k for k, _ in keys)
    arrays = ", ".join(f"${i + 1}::{t}[]" for i, (_, t) in enumerate(keys))
    status = await conn.execute(
        f"DELETE FROM {table} WHERE ({names}) IN (SELECT * FROM unnest({arrays}))",  # noqa: S608 - fixed names
        *[[v[i] for v in values] for i in range(len(keys))],
    )
    return int(status.split()[-1])


async def _remove_orphans(pool: asyncpg.Pool, archive_dir: Path) -> int:
    """Delete files under the archive dir that no ``archive_files`` row lists (a run that did not commit)."""
    async with pool.acquire() as conn:
        indexed = {Path(r["path"]) for r in await conn.fetch("SELECT path FROM archive_files")}
    return await asyncio.to_thread(_unlink_unindexed, archive_dir, indexed)


def _unlink_unindexed(archive_dir: Path, indexed: set[Path]) -> int:
    removed = 0
    for table in TABLES:
        for path in sorted((archive_dir / table).glob("*/*.parquet*")):
            if path not in indexed:
                log.warning("removing an archive file no index row lists", extra={"path": str(path)})
                path.unlink()
                removed += 1
    return removed


async def archived_counts(conn: asyncpg.Connection) -> dict[str, int]:
    """Rows archived to files, per table (from the index)."""
    rows = await conn.fetch("SELECT table_name, sum(row_count)::bigint AS n FROM archive_files GROUP BY table_name")
    return {r["table_name"]: int(r["n"]) for r in rows}
