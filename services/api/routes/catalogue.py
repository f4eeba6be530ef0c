"""Games (summaries and history) and the venue markets matched (or refused) for them (read only)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, HTTPException, Path, Query, Request

from services.api.queries import games, history, matches
from services.api.routes.params import Id, Limit, Offset, VenueParam
from services.api.schemas import GameHistory, GameSummary, MatchOut, Page

router = APIRouter()
GameId = Annotated[str, Path(min_length=1, max_length=200)]


@router.get("/games", response_model=Page[GameSummary])
async def list_games(
    request: Request,
    status: Literal["pre", "in", "post"] | None = None,
    league: Annotated[str | None, Query(min_length=1, max_length=20)] = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> Page[GameSummary]:
    """Games of the catalogue, live first then newest scheduled start, with state, probability and prices."""
    return await games.list_games(request.app.state.pool, status=status, league=league, limit=limit, offset=offset)


@router.get("/games/{game_id}", response_model=GameSummary, responses={404: {"description": "unknown game"}})
async def get_game(request: Request, game_id: GameId) -> GameSummary:
    """One game's summary."""
    found = await games.game(request.app.state.pool, game_id)
    if found is None:
        raise HTTPException(status_code=404, detail=f"unknown game {game_id!r}")
    return found


@router.get("/games/{game_id}/history", response_model=GameHistory, responses={404: {"description": "unknown game"}})
async def get_game_history(
    request: Request,
    game_id: GameId,
    since: Annotated[datetime | None, Query(description="ISO-8601; only points at or after it")] = None,
    max_points: Annotated[int, Query(ge=1, le=5000, description="points per series at most")] = 1000,
) -> GameHistory:
    """States, probabilities, oriented prices and signals of one game over time."""
    pool = request.app.state.pool
    if await pool.fetchval("SELECT 1 FROM games WHERE game_id = $1", game_id) is None:
        raise HTTPException(status_code=404, detail=f"unknown game {game_id!r}")
    if since is not None and since.tzinfo is None:
        raise HTTPException(status_code=422, detail="since must carry a UTC offset (e.g. 2026-01-01T00:00:00Z)")
    return await history.game_history(pool, game_id, since, max_points)


@router.get("/matches", response_model=Page[MatchOut])
async def list_matches(
    request: Request,
    game_id: Id = None,
    status: Literal["matched", "refused"] | None = None,
    venue: VenueParam = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> Page[MatchOut]:
    """Match verdicts with their confidence and reasons."""
    return await matches.list_matches(
        request.app.state.pool, game_id=game_id, status=status, venue=venue, limit=limit, offset=offset
    )
