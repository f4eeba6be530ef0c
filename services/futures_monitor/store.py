"""The monitor's tables: games to watch (from discovery's catalogue), line history, movements, hand-offs."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

import asyncpg

from services.futures_monitor.quotes import HomeQuote
from services.futures_monitor.sources import LineSource, WatchedGame, home_source
from shared.messages import InstrumentRef, LineMoved, PregameLine


async def watched_games(
    conn: asyncpg.Connection, *, now: datetime, lookahead: timedelta, min_confidence: float
) -> list[WatchedGame]:
    """Games starting within ``lookahead`` (or started) that are not over and not yet handed off, with the
    markets matched to them at ``min_confidence`` or better."""
    rows = await conn.fetch(
        """SELECT g.game_id, g.sport, g.scheduled_start, g.status, m.venue, m.market_id, m.instruments
           FROM games g JOIN market_matches m ON m.game_id = g.game_id
           LEFT JOIN pregame_lines p ON p.game_id = g.game_id
           WHERE m.status = 'matched' AND m.confidence >= $3 AND p.game_id IS NULL
             AND g.status <> 'post' AND g.ended_at IS NULL
             AND g.scheduled_start <= $1::timestamptz + $2::interval
           ORDER BY g.scheduled_start, g.game_id, m.venue, m.market_id""",
        now,
        lookahead,
        min_confidence,
    )
    games: dict[str, dict[str, Any]] = {}
    for r in rows:
        entry = games.setdefault(
            r["game_id"],
            {"game_id": r["game_id"], "sport": r["sport"], "start": r["scheduled_start"], "status": r["status"]},
        )
        instruments = [InstrumentRef.model_validate(i) for i in r["instruments"]]
        source = home_source(r["venue"], r["market_id"], instruments, r["sport"])
        if source is not None:
            entry.setdefault("sources", []).append(source)
    return [
        WatchedGame(g["game_id"], g["sport"], g["start"], g["status"], tuple(g.get("sources", ())))
        for g in games.values()
    ]


async def insert_points(conn: asyncpg.Connection, points: Sequence[tuple[str, HomeQuote]], ts: datetime) -> None:
    """Store each ``(game_id, quote)`` as one line-history point at ``ts`` (a repeat is ignored)."""
    await conn.executemany(
        """INSERT INTO line_history (game_id, venue, market_id, ts, home_bid, home_ask, home_mid)
           VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING""",
        [(g, q.venue, q.market_id, ts, q.bid, q.ask, q.mid) for g, q in points],
    )


async def insert_movement(conn: asyncpg.Connection, m: LineMoved) -> None:
    """Record one detected movement (a repeat is ignored)."""
    await conn.execute(
        """INSERT INTO line_movements (game_id, venue, market_id, ts, from_ts, from_price, to_price, change, window_s)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT DO NOTHING""",
        m.game_id,
        m.venue,
        m.market_id,
        m.ts_event,
        m.from_ts,
        m.from_price,
        m.to_price,
        m.change,
        m.window_s,
    )


async def last_points(
    conn: asyncpg.Connection, game_id: str, sources: Sequence[LineSource], before: datetime
) -> list[tuple[str, datetime, Decimal]]:
    """``(venue, ts, mid)`` of the newest point at or before ``before`` of each of the game's markets."""
    rows = await conn.fetch(
        """SELECT DISTINCT ON (venue, market_id) venue, market_id, ts, home_mid FROM line_history
           WHERE game_id = $1 AND ts <= $2 ORDER BY venue, market_id, ts DESC""",
        game_id,
        before,
    )
    wanted = {s.key for s in sources}
    return [(r["venue"], r["ts"], r["home_mid"]) for r in rows if f"{r['venue']}:{r['market_id']}" in wanted]


async def record_handoff(conn: asyncpg.Connection, line: PregameLine) -> None:
    """Mark the game handed off with its line (once; a repeat keeps the first)."""
    await conn.execute(
        """INSERT INTO pregame_lines (game_id, home_prob, venues, line_ts, scheduled_start)
           VALUES ($1, $2, $3, $4, $5) ON CONFLICT (game_id) DO NOTHING""",
        line.game_id,
        Decimal(repr(line.home_prob)),
        list(line.venues),
        line.line_ts,
        line.scheduled_start,
    )
