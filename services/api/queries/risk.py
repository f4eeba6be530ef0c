"""Risk gauges, measured as the signal processor's risk gate measures them, against its published limits.

The signal processor writes its limits (setting name -> value) into ``risk_state('risk_limits')`` at
start-up; a gauge's limit is ``None`` until it has. Exposure is open cost basis plus the unfilled part of
approved buy intents whose order is not terminal; a game's exposure is every approved buy on it (games
not completed); daily loss follows :func:`shared.pnl.daily_pnl`.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

import asyncpg

from services.api.schemas import DenialCount, GaugeOut
from shared.orders.state import TERMINAL
from shared.pnl import daily_pnl

LIMITS_KEY = "risk_limits"
DENIALS_WINDOW_H = 24
_TERMINAL = sorted(str(s) for s in TERMINAL)
_OPEN_RISK = """
    WITH pending AS (
        SELECT i.game_id,
               CASE WHEN o.client_order_id IS NULL THEN i.notional
                    ELSE i.notional * GREATEST(o.quantity - o.filled_quantity, 0) / NULLIF(o.quantity, 0)
               END AS notional
        FROM order_intents i LEFT JOIN orders o ON o.client_order_id = i.client_order_id
        WHERE i.decision = 'approved' AND i.side = 'buy'
          AND (o.client_order_id IS NULL OR NOT (o.status = ANY($1::text[])))),
    open_risk AS (
        SELECT game_id, cost_basis AS exposure FROM positions WHERE paper = $2 AND status = 'open' AND quantity > 0
        UNION ALL SELECT game_id, notional FROM pending)
    SELECT COALESCE(g.sport, 'unknown') AS sport, COALESCE(SUM(r.exposure), 0) AS exposure
    FROM open_risk r LEFT JOIN games g ON g.game_id = r.game_id GROUP BY 1 ORDER BY 2 DESC, 1"""


async def limits(pool: asyncpg.Pool) -> dict[str, str]:
    """The limits the signal processor published, empty when it has not."""
    value = await pool.fetchval("SELECT value FROM risk_state WHERE key = $1", LIMITS_KEY)
    return {str(k): str(v) for k, v in value.items()} if isinstance(value, dict) else {}


def _cents(published: dict[str, str], name: str) -> Decimal | None:
    raw = published.get(name)
    return (Decimal(raw) / 100).quantize(Decimal("0.01")) if raw is not None else None


def _gauge(name: str, label: str, used: Any, limit: Decimal | None, unit: str) -> GaugeOut:
    return GaugeOut.model_validate({"name": name, "label": label, "used": used, "limit": limit, "unit": unit})


async def gauges(pool: asyncpg.Pool, published: dict[str, str], paper: bool, now: datetime) -> list[GaugeOut]:
    """Total and largest game / sport exposure, today's loss and the order rate, each against its limit."""
    by_sport = await pool.fetch(_OPEN_RISK, _TERMINAL, paper)
    total = sum((Decimal(r["exposure"]) for r in by_sport), Decimal(0))
    game = await pool.fetchrow(
        """SELECT i.game_id, SUM(i.notional) AS exposure FROM order_intents i
           LEFT JOIN games g ON g.game_id = i.game_id
           WHERE i.decision = 'approved' AND i.side = 'buy' AND NOT COALESCE(g.completed, FALSE)
           GROUP BY i.game_id ORDER BY 2 DESC, 1 LIMIT 1"""
    )
    loss = max(Decimal(0), -(await daily_pnl(pool, paper, now)))
    orders = await pool.fetchval(
        """SELECT count(*) FROM order_intents
           WHERE decision = 'approved' AND created_at > now() - interval '60 seconds'"""
    )
    rate = published.get("max_orders_per_minute")
    top_sport = by_sport[0] if by_sport else None
    return [
        _gauge("total_exposure", "Total open exposure", total, _cents(published, "max_total_exposure_cents"), "usd"),
        _gauge(
            "game_exposure",
            f"Largest game exposure ({game['game_id']})" if game else "Largest game exposure",
            game["exposure"] if game else 0,
            _cents(published, "max_game_exposure_cents"),
            "usd",
        ),
        _gauge(
            "sport_exposure",
            f"Largest sport exposure ({top_sport['sport']})" if top_sport else "Largest sport exposure",
            top_sport["exposure"] if top_sport else 0,
            _cents(published, "max_sport_exposure_cents"),
            "usd",
        ),
        _gauge("daily_loss", "Today's loss", loss, _cents(published, "max_daily_loss_cents"), "usd"),
        _gauge(
            "orders_per_minute",
            "Orders in the last minute",
            int(orders),
            Decimal(rate) if rate is not None else None,
            "count",
        ),
    ]


async def recent_denials(pool: asyncpg.Pool) -> list[DenialCount]:
    """Denied intents of the last 24 hours by reason code, most frequent first."""
    rows = await pool.fetch(
        """SELECT COALESCE(reason_code, 'unknown') AS reason_code, count(*) AS count FROM order_intents
           WHERE decision = 'denied' AND created_at > now() - make_interval(hours => $1)
           GROUP BY 1 ORDER BY 2 DESC, 1""",
        DENIALS_WINDOW_H,
    )
    return [DenialCount(reason_code=r["reason_code"], count=r["count"]) for r in rows]
