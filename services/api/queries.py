"""Read queries behind the API routes."""

from __future__ import annotations

from decimal import Decimal

import asyncpg

from services.api.schemas import FillOut, OrderOut, PositionOut


async def positions(pool: asyncpg.Pool, *, open_only: bool = False) -> list[PositionOut]:
    """Every position (or only open ones), newest first."""
    rows = await pool.fetch(
        "SELECT * FROM positions WHERE ($1::boolean IS FALSE OR status = 'open') ORDER BY updated_at DESC",
        open_only,
    )
    out = []
    for r in rows:
        unrealized = r["unrealized_pnl"]
        quantity = r["quantity"]
        out.append(
            PositionOut(
                venue=r["venue"],
                market_id=r["market_id"],
                outcome_id=r["outcome_id"],
                game_id=r["game_id"],
                paper=r["paper"],
                quantity=quantity,
                avg_price=(r["cost_basis"] / quantity).quantize(Decimal("0.000001")) if quantity else None,
                cost_basis=r["cost_basis"],
                fees_paid=r["fees_paid"],
                realized_pnl=r["realized_pnl"],
                mark_price=r["mark_price"],
                unrealized_pnl=unrealized,
                net_pnl=r["realized_pnl"] + (unrealized or Decimal(0)) - r["fees_paid"],
                status=r["status"],
                updated_at=r["updated_at"],
            )
        )
    return out


async def fills(pool: asyncpg.Pool, limit: int) -> list[FillOut]:
    """The latest fills."""
    rows = await pool.fetch("SELECT * FROM fills ORDER BY ts DESC, fill_id DESC LIMIT $1", limit)
    return [FillOut.model_validate(dict(r)) for r in rows]


async def orders(pool: asyncpg.Pool, limit: int) -> list[OrderOut]:
    """The latest orders."""
    rows = await pool.fetch("SELECT * FROM orders ORDER BY created_at DESC LIMIT $1", limit)
    return [OrderOut.model_validate(dict(r)) for r in rows]
