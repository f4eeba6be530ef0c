"""Match verdicts of venue markets."""

from __future__ import annotations

import asyncpg

from services.api.queries.paging import page
from services.api.schemas import MatchOut, Page


async def list_matches(
    pool: asyncpg.Pool, *, game_id: str | None, status: str | None, venue: str | None, limit: int, offset: int
) -> Page[MatchOut]:
    """Verdicts by game, venue and market."""
    rows = await pool.fetch(
        """SELECT * FROM market_matches
           WHERE ($1::text IS NULL OR game_id = $1) AND ($2::text IS NULL OR status = $2)
             AND ($3::text IS NULL OR venue = $3)
           ORDER BY game_id, venue, market_id LIMIT $4 OFFSET $5""",
        game_id,
        status,
        venue,
        limit + 1,
        offset,
    )
    return page([MatchOut.model_validate(dict(r)) for r in rows], limit, offset)
