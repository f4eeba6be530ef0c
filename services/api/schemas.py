"""Response models of the read API (money and prices as exact decimal strings)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel

from shared.prices import Money, Price, Quantity


class PositionOut(BaseModel):
    """A position with its P&L; ``net_pnl`` = realized + unrealized - fees."""

    venue: str
    market_id: str
    outcome_id: str
    game_id: str
    paper: bool
    quantity: Quantity
    avg_price: Price | None
    cost_basis: Money
    fees_paid: Money
    realized_pnl: Money
    mark_price: Price | None
    unrealized_pnl: Money | None
    net_pnl: Money
    status: str
    updated_at: datetime


class FillOut(BaseModel):
    """One fill."""

    venue: str
    venue_trade_id: str
    client_order_id: str
    game_id: str
    market_id: str
    outcome_id: str
    side: str
    price: Price
    quantity: Quantity
    fee: Money
    liquidity: str
    paper: bool
    ts: datetime


class OrderOut(BaseModel):
    """One order and where it is in its life."""

    client_order_id: str
    venue: str
    venue_order_id: str | None
    game_id: str
    market_id: str
    outcome_id: str
    side: str
    limit_price: Price
    quantity: Quantity
    filled_quantity: Quantity
    avg_fill_price: Price | None
    status: str
    reason: str | None
    paper: bool
    created_at: datetime
    updated_at: datetime


class HealthOut(BaseModel):
    """Liveness of the API and its dependencies."""

    status: str
    database: bool
    redis: bool
