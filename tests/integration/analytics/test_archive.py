"""The archive job on a replay-filled database: hot tables shrink, no row is lost, a rerun archives nothing."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import asyncpg
import pytest

from services.analytics.archive import TABLES, archived_counts, run_archive
from services.analytics.parquet import row_count
from shared.db.pool import create_pool

pytestmark = [pytest.mark.integration, pytest.mark.xdist_group("replays")]  # the replay fixture: one worker


async def _counts(conn: asyncpg.Connection) -> dict[str, int]:
    return {t: int(await conn.fetchval(f"SELECT count(*) FROM {t}")) for t in TABLES}  # noqa: S608


async def test_archive_moves_old_rows_out_and_loses_none(replayed_database_url: str, tmp_path: Path) -> None:
    pool = await create_pool(replayed_database_url)
    try:
        async with pool.acquire() as conn:
            before = await _counts(conn)
            # An artificially short retention: everything before the middle of the replay is "old".
            middle = await conn.fetchval(
                "SELECT ts FROM game_states ORDER BY ts OFFSET (SELECT count(*) / 2 FROM game_states) LIMIT 1"
            )
        assert before["game_states"] >= 4 and before["win_probabilities"] > 0, before

        first = await run_archive(pool, tmp_path, timedelta(0), now=middle)
        async with pool.acquire() as conn:
            hot, archived = await _counts(conn), await archived_counts(conn)
            files = await conn.fetch("SELECT path, row_count FROM archive_files")
        for t in TABLES:
            assert hot[t] + archived.get(t, 0) == before[t], (t, hot, archived, before)
        assert hot["game_states"] < before["game_states"]
        assert first.tables["game_states"].rows == archived["game_states"] > 0
        for f in files:
            assert row_count(Path(f["path"])) == f["row_count"]

        second = await run_archive(pool, tmp_path, timedelta(0), now=middle)
        async with pool.acquire() as conn:
            assert await _counts(conn) == hot
            assert await archived_counts(conn) == archived
            assert await conn.fetchval("SELECT count(*) FROM archive_files") == len(files)
        assert all(t.rows == 0 and not t.files for t in second.tables.values())
    finally:
        await pool.close()


async def test_an_unindexed_file_is_removed_and_its_rows_archived_again(
    replayed_database_url: str, tmp_path: Path
) -> None:
    pool = await create_pool(replayed_database_url)
    try:
        async with pool.acquire() as conn:
            before = await _counts(conn)
            last = await conn.fetchval("SELECT max(ts) FROM game_states")
        stray = tmp_path / "game_states" / "2000-01-01" / "game_states-interrupted.parquet"
        stray.parent.mkdir(parents=True)
        stray.write_bytes(b"not committed")
        result = await run_archive(pool, tmp_path, timedelta(0), now=last + timedelta(seconds=1))
        assert result.orphans_removed == 1 and not stray.exists()
        async with pool.acquire() as conn:
            hot, archived = await _counts(conn), await archived_counts(conn)
        assert hot["game_states"] == 0
        for t in TABLES:
            assert hot[t] + archived.get(t, 0) == before[t]
    finally:
        await pool.close()
