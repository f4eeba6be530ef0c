"""The catalogue in PostgreSQL: games, match verdicts and shard assignments (upserts, reads for assignment)."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from typing import Any

import asyncpg

from services.discovery_coordinator.catalogue import EspnGame, MarketMatch
from shared.messages import GameAssignment, InstrumentRef


async def upsert_games(conn: asyncpg.Connection, games: Iterable[EspnGame]) -> None:
    """Insert or refresh every game; ``ended_at`` is stamped the first time a game is seen over."""
    rows = [
        (
            g.game_id,
            g.league,
            g.sport,
            g.scheduled_start,
            g.status,
            g.completed,
            g.home.abbreviation,
            g.away.abbreviation,
            g.home.display_name or g.home.abbreviation,
            g.away.display_name or g.away.abbreviation,
            g.name,
            json.loads(json.dumps(dataclasses.asdict(g), default=str)),
        )
        for g in games
    ]
    if not rows:
        return
    await conn.executemany(
        """INSERT INTO games (game_id, league, sport, scheduled_start, status, completed, home_team, away_team,
               home_name, away_name, name, payload, ended_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, CASE WHEN $5 = 'post' THEN now() END)
           ON CONFLICT (game_id) DO UPDATE SET
               scheduled_start = EXCLUDED.scheduled_start, status = EXCLUDED.status,
               completed = EXCLUDED.completed, home_team = EXCLUDED.home_team, away_team = EXCLUDED.away_team,
               home_name = EXCLUDED.home_name, away_name = EXCLUDED.away_name, name = EXCLUDED.name,
               payload = EXCLUDED.payload, updated_at = now(),
               ended_at = COALESCE(games.ended_at, EXCLUDED.ended_at)""",
        rows,
    )


async def upsert_matches(conn: asyncpg.Connection, matches: Iterable[MarketMatch]) -> None:
    """Record the latest verdict on each venue market."""
    rows = [
        (
            m.venue,
            m.market_id,
            m.game_id,
            m.status,
            m.confidence,
            m.reason_code,
            list(m.reasons),
            m.event_id,
            m.title,
            m.home_outcome,
            [i.model_dump(mode="json") for i in m.instruments],
        )
        for m in matches
    ]
    if not rows:
        return
    await conn.executemany(
        """INSERT INTO market_matches (venue, market_id, game_id, status, confidence, reason_code, reasons,
               event_id, title, home_outcome, instruments)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
           ON CONFLICT (venue, market_id) DO UPDATE SET
               game_id = EXCLUDED.game_id, status = EXCLUDED.status, confidence = EXCLUDED.confidence,
               reason_code = EXCLUDED.reason_code, reasons = EXCLUDED.reasons, event_id = EXCLUDED.event_id,
               title = EXCLUDED.title, home_outcome = EXCLUDED.home_outcome, instruments = EXCLUDED.instruments,
               updated_at = now()""",
        rows,
    )


async def tradable_games(
    conn: asyncpg.Connection, *, now: datetime, lookahead: timedelta, post_grace: timedelta, min_confidence: float
) -> list[GameAssignment]:
    """Games a shard should watch now: starting within ``lookahead``, live, or over for less than
    ``post_grace``, with at least one matched market of sufficient confidence; instruments of every venue."""
    rows = await conn.fetch(
        """SELECT g.game_id, g.sport, g.league, g.home_team, g.away_team, m.venue, m.market_id, m.instruments
           FROM games g JOIN market_matches m ON m.game_id = g.game_id
           WHERE m.status = 'matched' AND m.confidence >= $4
             AND g.scheduled_start <= $1::timestamptz + $2::interval
             AND (g.ended_at IS NULL OR g.ended_at > $1::timestamptz - $3::interval)
           ORDER BY g.scheduled_start, g.game_id, m.venue, m.market_id""",
        now,
        lookahead,
        post_grace,
        min_confidence,
    )
    games: dict[str, dict[str, Any]] = {}
    for r in rows:
        entry = games.setdefault(
            r["game_id"],
            {
                "game_id": r["game_id"],
                "sport": r["sport"],
                "league": r["league"],
                "home_team": r["home_team"],
                "away_team": r["away_team"],
                "instruments": [],
            },
        )
        entry["instruments"].extend(InstrumentRef.model_validate(i) for i in r["instruments"])
    return [GameAssignment(**{**g, "instruments": tuple(g["instruments"])}) for g in games.values()]


async def load_assignments(conn: asyncpg.Connection) -> dict[str, str]:
    """``game_id -> shard_id`` as last decided."""
    return {r["game_id"]: r["shard_id"] for r in await conn.fetch("SELECT game_id, shard_id FROM shard_assignments")}


async def save_assignments(conn: asyncpg.Connection, assignment: Mapping[str, str], reasons: Mapping[str, str]) -> None:
    """Replace the assignment table with ``assignment`` (rows of games that keep their shard are kept)."""
    async with conn.transaction():
        await conn.execute("DELETE FROM shard_assignments WHERE NOT (game_id = ANY($1::text[]))", list(assignment))
        await conn.executemany(
            """INSERT INTO shard_assignments (game_id, shard_id, reason) VALUES ($1, $2, $3)
               ON CONFLICT (game_id) DO UPDATE SET shard_id = EXCLUDED.shard_id, reason = EXCLUDED.reason,
                   assigned_at = now()
               WHERE shard_assignments.shard_id <> EXCLUDED.shard_id""",
            [(game, shard, reasons.get(game, "")) for game, shard in assignment.items()],
        )
