"""Queries of what is already at risk (R21), read into the risk book's snapshot (``risk_book``).

Open exposure is the cost basis of open positions plus the unfilled part of every approved buy intent
whose order is not terminal (an intent without an order yet counts whole). Today's P&L follows the
drawdown trigger's definition (:func:`shared.pnl.daily_pnl`).
"""

from __future__ import annotations

import asyncpg

from shared.orders.state import TERMINAL

TERMINAL_STATUSES = sorted(str(s) for s in TERMINAL)
RATE_WINDOW_S = 60

# Unfilled approved intents: (game_id, venue, market_id, outcome_id, side, quantity, notional) still open.
PENDING = """
    SELECT i.game_id, i.venue, i.market_id, i.outcome_id, i.side,
           CASE WHEN o.client_order_id IS NULL THEN i.quantity
                ELSE GREATEST(o.quantity - o.filled_quantity, 0) END AS quantity,
           CASE WHEN o.client_order_id IS NULL THEN i.notional
                ELSE i.notional * GREATEST(o.quantity - o.filled_quantity, 0) / NULLIF(o.quantity, 0) END AS notional
    FROM order_intents i LEFT JOIN orders o ON o.client_order_id = i.client_order_id
    WHERE i.decision = 'approved' AND (o.client_order_id IS NULL OR NOT (o.status = ANY($1::text[])))
"""


async def sport_of(conn: asyncpg.Connection, game_id: str) -> str:
    """The game's sport from the catalogue, ``unknown`` when it is not there."""
    sport = await conn.fetchval("SELECT sport FROM games WHERE game_id = $1", game_id)
    return str(sport) if sport is not None else "unknown"
