"""The SQL of the report: every row it needs for one trading day, read in one go."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import asyncpg

from services.analytics.report.window import Window

Row = dict[str, Any]

_FILLS_OF_DAY_POSITIONS = """
    SELECT f.fill_id, f.venue, f.market_id, f.outcome_id, f.paper, f.game_id, f.side, f.price, f.quantity, f.fee,
           f.liquidity, f.ts, f.client_order_id, i.strategy, i.signal_id, i.leg_index, i.limit_price AS intent_price
    FROM fills f LEFT JOIN order_intents i ON i.client_order_id = f.client_order_id
    WHERE (f.venue, f.market_id, f.outcome_id, f.paper) IN (
        SELECT venue, market_id, outcome_id, paper FROM fills WHERE ts >= $1 AND ts < $2
        UNION SELECT venue, market_id, outcome_id, paper FROM settlements WHERE settled_at >= $1 AND settled_at < $2
        UNION SELECT venue, market_id, outcome_id, paper FROM positions WHERE updated_at >= $1 AND updated_at < $2)
      AND f.ts < $2
    ORDER BY f.ts, f.fill_id"""

_SETTLEMENTS = """
    SELECT venue, market_id, outcome_id, paper, payout, quantity, proceeds, pnl, settled_at
    FROM settlements WHERE settled_at < $2 AND (venue, market_id, outcome_id, paper) IN (
        SELECT venue, market_id, outcome_id, paper FROM fills WHERE ts >= $1 AND ts < $2
        UNION SELECT venue, market_id, outcome_id, paper FROM settlements WHERE settled_at >= $1 AND settled_at < $2
        UNION SELECT venue, market_id, outcome_id, paper FROM positions WHERE updated_at >= $1 AND updated_at < $2)"""

_POSITIONS = """
    SELECT p.venue, p.market_id, p.outcome_id, p.paper, p.game_id, p.status, p.quantity, p.realized_pnl,
           p.fees_paid, p.updated_at
    FROM positions p WHERE p.updated_at >= $1 AND p.updated_at < $2"""

_ORDERS = """
    SELECT o.client_order_id, o.intent_id, o.venue, o.game_id, o.market_id, o.outcome_id, o.side, o.limit_price,
           o.quantity, o.filled_quantity, o.avg_fill_price, o.status, o.reason, o.paper, o.created_at,
           i.strategy, i.signal_id, i.leg_index, i.reason_code, i.created_at AS intent_at,
           s.kind, s.ts AS signal_ts, s.edge_per_contract, s.model_probability, s.payload AS signal_payload
    FROM orders o
    LEFT JOIN order_intents i ON i.intent_id = o.intent_id
    LEFT JOIN signals s ON s.signal_id = i.signal_id
    WHERE o.created_at >= $1 AND o.created_at < $2
    ORDER BY o.created_at, o.client_order_id"""

_DAY_FILLS = """
    SELECT f.fill_id, f.client_order_id, f.venue, f.market_id, f.outcome_id, f.game_id,
           f.side, f.price, f.quantity, f.fee, f.liquidity, f.ts, f.paper
    FROM fills f WHERE f.ts >= $1 AND f.ts < $2 ORDER BY f.ts, f.fill_id"""

_SIGNALS = """
    SELECT signal_id, ts, strategy, kind, game_id, edge_per_contract, model_probability, payload
    FROM signals WHERE ts >= $1 AND ts < $2 ORDER BY ts"""

_INTENTS = """
    SELECT intent_id, signal_id, leg_index, strategy, venue, decision, reason_code, reason, quantity, created_at
    FROM order_intents WHERE created_at >= $1 AND created_at < $2 ORDER BY created_at"""

_GAMES = """
    SELECT game_id, league, sport, home_team, away_team, home_name, away_name, name, ended_at, status, completed
    FROM games WHERE game_id = ANY($1::text[]) OR (completed AND ended_at >= $2 AND ended_at < $3)"""

_FINALS = """
    SELECT DISTINCT ON (game_id) game_id, home_score, away_score
    FROM game_states WHERE game_id = ANY($1::text[]) AND status = 'post' ORDER BY game_id, ts DESC"""

_PROBABILITIES = """
    SELECT game_id, ts, model, home, away, draw FROM win_probabilities
    WHERE game_id = ANY($1::text[]) ORDER BY game_id, ts"""

_MATCHES = """
    SELECT venue, market_id, game_id, instruments FROM market_matches
    WHERE status = 'matched' AND game_id = ANY($1::text[])"""

_PRICES = """
    SELECT venue, market_id, outcome_id, ts, best_bid, best_ask FROM market_prices
    WHERE (venue, market_id) IN (SELECT venue, market_id FROM market_matches
                                 WHERE status = 'matched' AND game_id = ANY($1::text[]))
    ORDER BY ts"""

_TICKS = """
    SELECT ts, game_id FROM game_states WHERE game_id = ANY($1::text[]) AND ts >= $2 AND ts < $3
    UNION ALL
    SELECT p.ts, m.game_id FROM market_prices p
    JOIN market_matches m ON m.venue = p.venue AND m.market_id = p.market_id AND m.status = 'matched'
    WHERE m.game_id = ANY($1::text[]) AND p.ts >= $2 AND p.ts < $3
    ORDER BY 1"""

_STATE_LOG = """
    SELECT state, reason, source, changed_at FROM trading_state_log
    WHERE changed_at >= $1 AND changed_at < $2 ORDER BY changed_at, id"""

_HEDGES = """
    SELECT signal_id, reason_code, count(*) AS n FROM order_intents
    WHERE reason_code IN ('hedge', 'unwind') AND created_at >= $1 AND created_at < $2 GROUP BY signal_id, reason_code"""


@dataclass(frozen=True, slots=True)
class DayRows:
    """Everything the report reads for one day."""

    position_fills: list[Row]
    settlements: list[Row]
    positions: list[Row]
    orders: list[Row]
    fills: list[Row]
    signals: list[Row]
    intents: list[Row]
    games: list[Row]
    finals: list[Row]
    probabilities: list[Row]
    matches: list[Row]
    prices: list[Row]
    ticks: list[Row]
    state_log: list[Row]
    hedges: list[Row]


async def _rows(conn: asyncpg.Connection, sql: str, *args: Any) -> list[Row]:
    return [dict(r) for r in await conn.fetch(sql, *args)]


async def load_day(pool: asyncpg.Pool, window: Window) -> DayRows:
    """Read the day's rows (one connection, one repeatable-read snapshot so the numbers agree)."""
    span = (window.start, window.end)
    async with pool.acquire() as conn, conn.transaction(isolation="repeatable_read", readonly=True):
        position_fills = await _rows(conn, _FILLS_OF_DAY_POSITIONS, *span)
        orders = await _rows(conn, _ORDERS, *span)
        signals = await _rows(conn, _SIGNALS, *span)
        traded = sorted({r["game_id"] for r in position_fills + orders + signals})
        games = await _rows(conn, _GAMES, traded, window.season_start, window.end)
        game_ids = sorted({g["game_id"] for g in games} | set(traded))
        return DayRows(
            position_fills=position_fills,
            settlements=await _rows(conn, _SETTLEMENTS, *span),
            positions=await _rows(conn, _POSITIONS, *span),
            orders=orders,
            fills=await _rows(conn, _DAY_FILLS, *span),
            signals=signals,
            intents=await _rows(conn, _INTENTS, *span),
            games=games,
            finals=await _rows(conn, _FINALS, game_ids),
            probabilities=await _rows(conn, _PROBABILITIES, game_ids),
            matches=await _rows(conn, _MATCHES, game_ids),
            prices=await _rows(conn, _PRICES, game_ids),
            ticks=await _rows(conn, _TICKS, traded, window.start - (window.end - window.start), window.end),
            state_log=await _rows(conn, _STATE_LOG, *span),
            hedges=await _rows(conn, _HEDGES, *span),
        )
