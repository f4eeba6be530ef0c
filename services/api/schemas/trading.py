"""Positions, orders, fills and signals with their legs (money and prices as exact decimal strings)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel

from shared.prices import Money, Price, Quantity


class SettlementOut(BaseModel):
    """How a settled position was paid."""

    payout: Price
    proceeds: Money
    pnl: Money
    settled_at: datetime


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
    opened_at: datetime
    updated_at: datetime
    settlement: SettlementOut | None


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
    """One order and where it is in its life, with the intent and signal it came from."""

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
    intent_id: str | None
    signal_id: str | None


class SignalLegOut(BaseModel):
    """One leg of a signal: the risk gate's intent and, once sent, its order's progress."""

    leg_index: int
    intent_id: str
    client_order_id: str
    venue: str
    market_id: str
    outcome_id: str
    side: str
    limit_price: Price
    quantity: Quantity
    decision: str
    reason_code: str | None
    reason: str | None
    order_status: str | None
    filled_quantity: Quantity | None
    avg_fill_price: Price | None


class SignalOut(BaseModel):
    """A trading signal and its legs (empty until the risk gate has decided)."""

    signal_id: str
    ts: datetime
    strategy: str
    kind: str
    game_id: str
    edge_per_contract: Money
    model_probability: float | None
    legs: list[SignalLegOut]
