"""Today's P&L of the fleet: what the daily-loss limit (risk gate) and the drawdown halt both measure.

Today's P&L is the total now (realized on every position, unrealized on the open ones at their marks)
less the total at the start of the trading day (US-Eastern midnight), taken from the last P&L snapshot
before it; with no snapshot the day started from zero.
"""

from __future__ import annotations

from datetime import datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

import asyncpg

EASTERN = ZoneInfo("America/New_York")


def day_start(now: datetime) -> datetime:
    """US-Eastern midnight of ``now``'s trading day."""
    return datetime.combine(now.astimezone(EASTERN).date(), time(0), EASTERN)


async def daily_pnl(conn: asyncpg.Connection | asyncpg.Pool, paper: bool, now: datetime) -> Decimal:
    """Realized plus unrealized P&L of ``paper`` (or live) positions since the trading day began (dollars)."""
    total = await conn.fetchval(
        """SELECT COALESCE(SUM(realized_pnl), 0)
                  + COALESCE(SUM(COALESCE(unrealized_pnl, 0)) FILTER (WHERE status = 'open'), 0)
           FROM positions WHERE paper = $1""",
        paper,
    )
    baseline = await conn.fetchval(
        """SELECT realized_pnl + unrealized_pnl FROM pnl_snapshots
           WHERE paper = $1 AND ts < $2 ORDER BY ts DESC LIMIT 1""",
        paper,
        day_start(now),
    )
    return Decimal(total) - Decimal(baseline or 0)
