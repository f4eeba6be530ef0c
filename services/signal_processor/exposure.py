"""What is already at risk, read inside the risk decision's transaction (R21).

Open exposure is the cost basis of open positions plus the unfilled part of every approved buy intent
whose order is not terminal (an intent without an order yet counts whole). Today's P&L follows the
drawdown trigger's definition: realized on every position plus unrealized on the open ones, less the
last P&L snapshot before US-Eastern midnight (none: the day started from zero).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import asyncpg

from services.signal_processor.risk import Exposure
from shared.messages import SignalGenerated, SignalLeg
from shared.orders.state import TERMINAL
from shared.pnl import daily_pnl

_TERMINAL = sorted(str(s) for s in TERMINAL)
RATE_WINDOW_S = 60

# Unfilled approved intents: (game_id, venue, market_id, outcome_id, side, quantity, notional) still open.
_PENDING = """
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


async def game_exposure(conn: asyncpg.Connection, game_id: str) -> Decimal:
    """Notional of every approved buy on ``game_id`` (dollars; exits do not count)."""
    value = await conn.fetchval(
        """SELECT COALESCE(SUM(notional), 0) FROM order_intents
           WHERE game_id = $1 AND decision = 'approved' AND side = 'buy'""",
        game_id,
    )
    return Decimal(value)


async def open_exposure(conn: asyncpg.Connection, paper: bool, sport: str) -> tuple[Decimal, Decimal]:
    """(total, in ``sport``) open exposure in dollars."""
    row = await conn.fetchrow(
        f"""WITH open_risk AS (
                SELECT game_id, cost_basis AS exposure FROM positions
                WHERE paper = $2 AND status = 'open' AND quantity > 0
                UNION ALL
                SELECT game_id, notional FROM ({_PENDING}) p WHERE side = 'buy')
            SELECT COALESCE(SUM(r.exposure), 0) AS total,
                   COALESCE(SUM(r.exposure) FILTER (WHERE COALESCE(g.sport, 'unknown') = $3), 0) AS sport
            FROM open_risk r LEFT JOIN games g ON g.game_id = r.game_id""",  # noqa: S608 - constant SQL
        _TERMINAL,
        paper,
        sport,
    )
    return Decimal(row["total"]), Decimal(row["sport"])


async def market_position(conn: asyncpg.Connection, paper: bool, leg: SignalLeg) -> tuple[Decimal, Decimal]:
    """(held plus pending buys, held less pending sells) of the leg's outcome, in contracts."""
    held = await conn.fetchval(
        """SELECT COALESCE(SUM(quantity), 0) FROM positions
           WHERE paper = $1 AND venue = $2 AND market_id = $3 AND outcome_id = $4 AND status = 'open'""",
        paper,
        leg.venue,
        leg.market_id,
        leg.outcome_id,
    )
    row = await conn.fetchrow(
        f"""SELECT COALESCE(SUM(quantity) FILTER (WHERE side = 'buy'), 0) AS buys,
                   COALESCE(SUM(quantity) FILTER (WHERE side = 'sell'), 0) AS sells
            FROM ({_PENDING}) p WHERE venue = $2 AND market_id = $3 AND outcome_id = $4""",  # noqa: S608
        _TERMINAL,
        leg.venue,
        leg.market_id,
        leg.outcome_id,
    )
    held = Decimal(held)
    return held + Decimal(row["buys"]), held - Decimal(row["sells"])


async def recent_submits(conn: asyncpg.Connection) -> int:
    """Approved intents in the last rolling minute."""
    value = await conn.fetchval(
        """SELECT count(*) FROM order_intents
           WHERE decision = 'approved' AND created_at > now() - make_interval(secs => $1)""",
        RATE_WINDOW_S,
    )
    return int(value)


async def duplicate_of(conn: asyncpg.Connection, signal: SignalGenerated, leg: SignalLeg) -> str | None:
    """An approved intent of another signal with the same (strategy, market, signal time), if any."""
    value = await conn.fetchval(
        """SELECT i.intent_id FROM order_intents i JOIN signals s ON s.signal_id = i.signal_id
           WHERE i.game_id = $1 AND i.decision = 'approved' AND i.strategy = $2 AND i.venue = $3
             AND i.market_id = $4 AND i.outcome_id = $5 AND s.ts = $6 AND i.signal_id <> $7
           LIMIT 1""",
        signal.game_id,
        signal.strategy,
        leg.venue,
        leg.market_id,
        leg.outcome_id,
        signal.ts_event,
        signal.signal_id,
    )
    return str(value) if value is not None else None


async def exposure_for(
    conn: asyncpg.Connection, signal: SignalGenerated, leg: SignalLeg, *, paper: bool, sport: str, now: datetime
) -> Exposure:
    """Every figure :func:`services.signal_processor.risk.decide` needs for ``leg``."""
    total, in_sport = await open_exposure(conn, paper, sport)
    market, reducible = await market_position(conn, paper, leg)
    return Exposure(
        sport=in_sport,
        total=total,
        market_contracts=market,
        reducible=reducible,
        daily_pnl=await daily_pnl(conn, paper, now),
        recent_submits=await recent_submits(conn),
        duplicate_of=await duplicate_of(conn, signal, leg),
    )
