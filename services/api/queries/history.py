"""A game's history for its chart: states, probabilities, oriented prices (downsampled) and signal marks."""

from __future__ import annotations

from datetime import datetime

import asyncpg

from services.api.queries.instruments import key_arrays, matched_instruments, price_out
from services.api.queries.signals import signal_marks
from services.api.schemas import GameHistory, GameStateOut, PriceOut, ProbabilityOut

# Keeps at most $max rows per series, evenly spaced and always including the latest one.
_THIN = "(s.n - s.rn) % CEIL(s.n::numeric / $3)::bigint = 0"


async def game_history(pool: asyncpg.Pool, game_id: str, since: datetime | None, max_points: int) -> GameHistory:
    """Everything stored about ``game_id`` since ``since`` (all of it when ``None``)."""
    states = await pool.fetch(
        f"""SELECT * FROM (
                SELECT ts, status, period, clock_seconds, home_score, away_score,
                       row_number() OVER (ORDER BY ts) AS rn, count(*) OVER () AS n
                FROM game_states WHERE game_id = $1 AND ($2::timestamptz IS NULL OR ts >= $2)) s
            WHERE {_THIN} ORDER BY ts""",  # noqa: S608 - constant SQL
        game_id,
        since,
        max_points,
    )
    probabilities = await pool.fetch(
        f"""SELECT * FROM (
                SELECT ts, model, home, away, draw,
                       row_number() OVER (PARTITION BY model ORDER BY ts) AS rn,
                       count(*) OVER (PARTITION BY model) AS n
                FROM win_probabilities WHERE game_id = $1 AND ($2::timestamptz IS NULL OR ts >= $2)) s
            WHERE {_THIN} ORDER BY ts, model""",  # noqa: S608 - constant SQL
        game_id,
        since,
        max_points,
    )
    return GameHistory(
        game_id=game_id,
        states=[GameStateOut.model_validate(dict(r)) for r in states],
        probabilities=[ProbabilityOut.model_validate(dict(r)) for r in probabilities],
        prices=await _prices(pool, game_id, since, max_points),
        signals=await signal_marks(pool, game_id, since),
    )


async def _prices(pool: asyncpg.Pool, game_id: str, since: datetime | None, max_points: int) -> list[PriceOut]:
    instruments = await matched_instruments(pool, [game_id])
    if not instruments:
        return []
    venues, markets, outcomes = key_arrays(instruments)
    rows = await pool.fetch(
        f"""SELECT * FROM (
                SELECT p.venue, p.market_id, p.outcome_id, p.ts, p.best_bid, p.best_ask,
                       row_number() OVER w AS rn, count(*) OVER (PARTITION BY p.venue, p.market_id, p.outcome_id) AS n
                FROM market_prices p
                JOIN unnest($3::text[], $4::text[], $5::text[]) AS k(venue, market_id, outcome_id)
                  ON k.venue = p.venue AND k.market_id = p.market_id AND k.outcome_id = p.outcome_id
                WHERE $1::timestamptz IS NULL OR p.ts >= $1
                WINDOW w AS (PARTITION BY p.venue, p.market_id, p.outcome_id ORDER BY p.ts)) s
            WHERE {_THIN.replace("$3", "$2")} ORDER BY ts, venue, market_id, outcome_id""",  # noqa: S608
        since,
        max_points,
        venues,
        markets,
        outcomes,
    )
    return [
        price_out(key, instruments[key], r["ts"], r["best_bid"], r["best_ask"])
        for r in rows
        for key in [(r["venue"], r["market_id"], r["outcome_id"])]
    ]
