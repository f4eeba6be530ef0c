"""Positions (with settlements), orders (with their intent and signal) and fills."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import asyncpg

from services.api.queries.paging import page
from services.api.schemas import FillOut, OrderOut, Page, PositionOut

_POSITIONS = """SELECT p.*, s.payout, s.proceeds, s.pnl, s.settled_at FROM positions p
                LEFT JOIN settlements s ON s.venue = p.venue AND s.market_id = p.market_id
                 AND s.outcome_id = p.outcome_id AND s.paper = p.paper"""
_ORDERS = """SELECT o.*, COALESCE(o.intent_id, i.intent_id) AS intent_id, i.signal_id FROM orders o
             LEFT JOIN order_intents i ON i.client_order_id = o.client_order_id"""


def position_out(r: Any) -> PositionOut:
    """A ``positions`` row (joined with its settlement) as :class:`PositionOut`."""
    quantity, unrealized = r["quantity"], r["unrealized_pnl"]
    settlement = (
        {"payout": r["payout"], "proceeds": r["proceeds"], "pnl": r["pnl"], "settled_at": r["settled_at"]}
        if r["settled_at"] is not None
        else None
    )
    return PositionOut.model_validate(
        {
            **{k: r[k] for k in ("venue", "market_id", "outcome_id", "game_id", "paper", "status")},
            **{k: r[k] for k in ("cost_basis", "fees_paid", "realized_pnl", "mark_price", "opened_at", "updated_at")},
            "quantity": quantity,
            "avg_price": (r["cost_basis"] / quantity).quantize(Decimal("0.000001")) if quantity else None,
            "unrealized_pnl": unrealized,
            "net_pnl": r["realized_pnl"] + (unrealized or Decimal(0)) - r["fees_paid"],
            "settlement": settlement,
        }
    )


async def list_positions(
    pool: asyncpg.Pool, *, status: str | None, game_id: str | None, limit: int, offset: int
) -> Page[PositionOut]:
    """Positions, most recently changed first."""
    rows = await pool.fetch(
        f"""{_POSITIONS} WHERE ($1::text IS NULL OR p.status = $1) AND ($2::text IS NULL OR p.game_id = $2)
            ORDER BY p.updated_at DESC, p.venue, p.market_id, p.outcome_id LIMIT $3 OFFSET $4""",  # noqa: S608
        status,
        game_id,
        limit + 1,
        offset,
    )
    return page([position_out(r) for r in rows], limit, offset)


async def position(pool: asyncpg.Pool, venue: str, market_id: str, outcome_id: str, paper: bool) -> PositionOut | None:
    """One position, ``None`` when not stored."""
    row = await pool.fetchrow(
        f"""{_POSITIONS} WHERE p.venue = $1 AND p.market_id = $2 AND p.outcome_id = $3 AND p.paper = $4""",  # noqa: S608
        venue,
        market_id,
        outcome_id,
        paper,
    )
    return position_out(row) if row is not None else None


async def list_orders(
    pool: asyncpg.Pool,
    *,
    game_id: str | None,
    venue: str | None,
    status: str | None,
    signal_id: str | None,
    limit: int,
    offset: int,
) -> Page[OrderOut]:
    """Orders, newest first."""
    rows = await pool.fetch(
        f"""{_ORDERS} WHERE ($1::text IS NULL OR o.game_id = $1) AND ($2::text IS NULL OR o.venue = $2)
              AND ($3::text IS NULL OR o.status = $3) AND ($4::text IS NULL OR i.signal_id = $4)
            ORDER BY o.created_at DESC, o.client_order_id DESC LIMIT $5 OFFSET $6""",  # noqa: S608
        game_id,
        venue,
        status,
        signal_id,
        limit + 1,
        offset,
    )
    return page([OrderOut.model_validate(dict(r)) for r in rows], limit, offset)


async def order(pool: asyncpg.Pool, client_order_id: str) -> OrderOut | None:
    """One order, ``None`` when not stored."""
    row = await pool.fetchrow(f"{_ORDERS} WHERE o.client_order_id = $1", client_order_id)  # noqa: S608
    return OrderOut.model_validate(dict(row)) if row is not None else None


async def order_of_intent(pool: asyncpg.Pool, intent_id: str) -> OrderOut | None:
    """The order sent for ``intent_id``, ``None`` when there is none."""
    row = await pool.fetchrow(f"{_ORDERS} WHERE i.intent_id = $1 OR o.intent_id = $1", intent_id)  # noqa: S608
    return OrderOut.model_validate(dict(row)) if row is not None else None


async def list_fills(
    pool: asyncpg.Pool,
    *,
    game_id: str | None,
    venue: str | None,
    client_order_id: str | None,
    limit: int,
    offset: int,
) -> Page[FillOut]:
    """Fills, newest first."""
    rows = await pool.fetch(
        """SELECT * FROM fills WHERE ($1::text IS NULL OR game_id = $1) AND ($2::text IS NULL OR venue = $2)
             AND ($3::text IS NULL OR client_order_id = $3)
           ORDER BY ts DESC, fill_id DESC LIMIT $4 OFFSET $5""",
        game_id,
        venue,
        client_order_id,
        limit + 1,
        offset,
    )
    return page([FillOut.model_validate(dict(r)) for r in rows], limit, offset)
