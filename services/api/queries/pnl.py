"""The P&L summary of the fleet's trading mode, computed from positions, fills, settlements and snapshots.

Cumulative figures sum every position (unrealized only on open ones). Today's figures are the cumulative
ones less the last P&L snapshot before the trading day began (US-Eastern midnight), as the daily-loss
limit measures them (none: the day started from zero). A position counts for the strategy of the
intent behind its first fill (``unknown`` without one).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal
from typing import Any

import asyncpg

from services.api.schemas import PnlBreakdown, PnlFigures, PnlPoint, PnlSummary
from shared.pnl import day_start

ZERO = Decimal(0)
SERIES_POINTS = 5000

_POSITIONS = """
    SELECT p.venue, COALESCE(g.sport, 'unknown') AS sport, COALESCE(st.strategy, 'unknown') AS strategy,
           p.realized_pnl, CASE WHEN p.status = 'open' THEN COALESCE(p.unrealized_pnl, 0) ELSE 0 END AS unrealized,
           p.fees_paid
    FROM positions p
    LEFT JOIN games g ON g.game_id = p.game_id
    LEFT JOIN LATERAL (
        SELECT i.strategy FROM fills f JOIN order_intents i ON i.client_order_id = f.client_order_id
        WHERE f.venue = p.venue AND f.market_id = p.market_id AND f.outcome_id = p.outcome_id AND f.paper = p.paper
        ORDER BY f.ts, f.fill_id LIMIT 1) st ON TRUE
    WHERE p.paper = $1"""


def figures(realized: Decimal, unrealized: Decimal, fees: Decimal) -> dict[str, Decimal]:
    """The four figures, ``net`` = realized + unrealized - fees."""
    return {"realized": realized, "unrealized": unrealized, "fees": fees, "net": realized + unrealized - fees}


def _sum(rows: Iterable[Any]) -> dict[str, Decimal]:
    realized = unrealized = fees = ZERO
    for r in rows:
        realized += r["realized_pnl"]
        unrealized += r["unrealized"]
        fees += r["fees_paid"]
    return figures(realized, unrealized, fees)


def _by(rows: list[Any], column: str) -> list[PnlBreakdown]:
    groups: dict[str, list[Any]] = defaultdict(list)
    for r in rows:
        groups[r[column]].append(r)
    return [PnlBreakdown.model_validate({"key": key, **_sum(group)}) for key, group in sorted(groups.items())]


async def pnl_summary(pool: asyncpg.Pool, paper: bool, now: datetime) -> PnlSummary:
    """Today, cumulative, by sport / strategy / venue, and the cumulative series ending ``now``."""
    rows = list(await pool.fetch(_POSITIONS, paper))
    cumulative = _sum(rows)
    baseline = await pool.fetchrow(
        """SELECT realized_pnl, unrealized_pnl, fees_paid FROM pnl_snapshots
           WHERE paper = $1 AND ts < $2 ORDER BY ts DESC LIMIT 1""",
        paper,
        day_start(now),
    )
    today = (
        figures(
            cumulative["realized"] - baseline["realized_pnl"],
            cumulative["unrealized"] - baseline["unrealized_pnl"],
            cumulative["fees"] - baseline["fees_paid"],
        )
        if baseline is not None
        else cumulative
    )
    series = await _series(pool, paper)
    series.append(PnlPoint.model_validate({"ts": now, **cumulative}))
    return PnlSummary(
        as_of=now,
        today=PnlFigures.model_validate(today),
        cumulative=PnlFigures.model_validate(cumulative),
        by_sport=_by(rows, "sport"),
        by_strategy=_by(rows, "strategy"),
        by_venue=_by(rows, "venue"),
        series=series,
    )


async def _series(pool: asyncpg.Pool, paper: bool) -> list[PnlPoint]:
    """P&L snapshots over time; without any, realized from settlements and fees from fills as they happened."""
    snapshots = await pool.fetch(
        """SELECT * FROM (SELECT ts, realized_pnl, unrealized_pnl, fees_paid FROM pnl_snapshots
                          WHERE paper = $1 ORDER BY ts DESC LIMIT $2) s ORDER BY ts""",
        paper,
        SERIES_POINTS,
    )
    if snapshots:
        return [
            PnlPoint.model_validate({"ts": r["ts"], **figures(r["realized_pnl"], r["unrealized_pnl"], r["fees_paid"])})
            for r in snapshots
        ]
    events = await pool.fetch(
        """SELECT * FROM (
               SELECT ts, 0::numeric AS pnl, fee FROM fills WHERE paper = $1
               UNION ALL
               SELECT settled_at, pnl, 0::numeric FROM settlements WHERE paper = $1
               ORDER BY ts DESC LIMIT $2) e ORDER BY ts""",
        paper,
        SERIES_POINTS,
    )
    points, realized, fees = [], ZERO, ZERO
    for r in events:
        realized += r["pnl"]
        fees += r["fee"]
        points.append(PnlPoint.model_validate({"ts": r["ts"], **figures(realized, ZERO, fees)}))
    return points
