"""Games discovered and the venue markets matched (or refused) for them (read only)."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Query, Request

from services.api.schemas import GameOut, MatchOut

router = APIRouter()


@router.get("/games", response_model=list[GameOut])
async def list_games(
    request: Request,
    status: Literal["pre", "in", "post"] | None = None,
    league: str | None = Query(None, min_length=1, max_length=20),
    limit: int = Query(200, ge=1, le=1000),
    offset: int = Query(0, ge=0),
) -> list[GameOut]:
    """Games of the catalogue, soonest first, with the shard assigned to each."""
    rows = await request.app.state.pool.fetch(
        """SELECT g.*, a.shard_id FROM games g LEFT JOIN shard_assignments a ON a.game_id = g.game_id
           WHERE ($1::text IS NULL OR g.status = $1) AND ($2::text IS NULL OR g.league = $2)
           ORDER BY g.scheduled_start, g.game_id LIMIT $3 OFFSET $4""",
        status,
        league,
        limit,
        offset,
    )
    return [GameOut.model_validate(dict(r)) for r in rows]


@router.get("/matches", response_model=list[MatchOut])
async def list_matches(
    request: Request,
    game_id: str | None = Query(None, min_length=1),
    status: Literal["matched", "refused"] | None = None,
    venue: Literal["kalshi", "polymarket"] | None = None,
    limit: int = Query(200, ge=1, le=1000),
    offset: int = Query(0, ge=0),
) -> list[MatchOut]:
    """Match verdicts with their confidence and reasons."""
    rows = await request.app.state.pool.fetch(
        """SELECT * FROM market_matches
           WHERE ($1::text IS NULL OR game_id = $1) AND ($2::text IS NULL OR status = $2)
             AND ($3::text IS NULL OR venue = $3)
           ORDER BY game_id, venue, market_id LIMIT $4 OFFSET $5""",
        game_id,
        status,
        venue,
        limit,
        offset,
    )
    return [MatchOut.model_validate(dict(r)) for r in rows]
