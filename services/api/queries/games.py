"""Game summaries: the catalogue row with the shard, latest state, latest probability and latest prices."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

import asyncpg

from services.api.queries.instruments import key_arrays, matched_instruments, price_out
from services.api.queries.paging import page
from services.api.schemas import GameStateOut, GameSummary, Page, PriceOut, ProbabilityOut

_GAMES = """SELECT g.*, a.shard_id FROM games g LEFT JOIN shard_assignments a ON a.game_id = g.game_id"""


async def list_games(
    pool: asyncpg.Pool, *, status: str | None, league: str | None, limit: int, offset: int
) -> Page[GameSummary]:
    """Live games first, then by scheduled start, newest first."""
    rows = await pool.fetch(
        f"""{_GAMES}
            WHERE ($1::text IS NULL OR g.status = $1) AND ($2::text IS NULL OR g.league = $2)
            ORDER BY (g.status = 'in') DESC, g.scheduled_start DESC, g.game_id
            LIMIT $3 OFFSET $4""",  # noqa: S608 - constant SQL
        status,
        league,
        limit + 1,
        offset,
    )
    return page(await summaries(pool, rows), limit, offset)


async def game(pool: asyncpg.Pool, game_id: str) -> GameSummary | None:
    """One game's summary, ``None`` when the catalogue does not know it."""
    row = await pool.fetchrow(f"{_GAMES} WHERE g.game_id = $1", game_id)  # noqa: S608 - constant SQL
    return (await summaries(pool, [row]))[0] if row is not None else None


async def summaries(pool: asyncpg.Pool, rows: Sequence[Any]) -> list[GameSummary]:
    """Summaries of the games in ``rows`` (four queries whatever their number)."""
    ids = [r["game_id"] for r in rows]
    states = {
        r["game_id"]: GameStateOut.model_validate(dict(r))
        for r in await pool.fetch(
            """SELECT DISTINCT ON (game_id) game_id, ts, status, period, clock_seconds, home_score, away_score
               FROM game_states WHERE game_id = ANY($1::text[]) ORDER BY game_id, ts DESC""",
            ids,
        )
    }
    probabilities = {
        r["game_id"]: ProbabilityOut.model_validate(dict(r))
        for r in await pool.fetch(
            """SELECT DISTINCT ON (game_id) game_id, ts, model, home, away, draw
               FROM win_probabilities WHERE game_id = ANY($1::text[]) ORDER BY game_id, ts DESC""",
            ids,
        )
    }
    prices = await latest_prices(pool, ids)
    return [
        GameSummary.model_validate(
            {
                **dict(r),
                "state": states.get(r["game_id"]),
                "probability": probabilities.get(r["game_id"]),
                "prices": prices.get(r["game_id"], []),
            }
        )
        for r in rows
    ]


async def latest_prices(pool: asyncpg.Pool, game_ids: Sequence[str]) -> dict[str, list[PriceOut]]:
    """The latest stored quote of every matched instrument of ``game_ids``, oriented, per game."""
    instruments = await matched_instruments(pool, game_ids)
    if not instruments:
        return {}
    rows = await pool.fetch(
        """SELECT DISTINCT ON (p.venue, p.market_id, p.outcome_id) p.venue, p.market_id, p.outcome_id, p.ts,
                  p.best_bid, p.best_ask
           FROM market_prices p
           JOIN unnest($1::text[], $2::text[], $3::text[]) AS k(venue, market_id, outcome_id)
             ON k.venue = p.venue AND k.market_id = p.market_id AND k.outcome_id = p.outcome_id
           ORDER BY p.venue, p.market_id, p.outcome_id, p.ts DESC""",
        *key_arrays(instruments),
    )
    out: dict[str, list[PriceOut]] = defaultdict(list)
    for r in rows:
        key = (r["venue"], r["market_id"], r["outcome_id"])
        matched = instruments[key]
        out[matched.game_id].append(price_out(key, matched, r["ts"], r["best_bid"], r["best_ask"]))
    return out
