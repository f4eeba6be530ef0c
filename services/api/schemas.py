"""Response models of the read API (money and prices as exact decimal strings)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field, field_validator

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


class GameOut(BaseModel):
    """A game of the catalogue (ESPN) and the shard watching it."""

    game_id: str
    league: str
    sport: str
    scheduled_start: datetime
    status: str
    completed: bool
    home_team: str
    away_team: str
    home_name: str
    away_name: str
    shard_id: str | None
    updated_at: datetime


class MatchOut(BaseModel):
    """The verdict on one venue market: matched to a game (oriented instruments) or refused with reasons."""

    venue: str
    market_id: str
    game_id: str
    status: str
    confidence: float
    reason_code: str | None
    reasons: list[str]
    event_id: str
    title: str
    home_outcome: str | None
    instruments: list[dict[str, object]]
    updated_at: datetime


class TradingStateOut(BaseModel):
    """The fleet's trading state (kill switch): ``halted`` also when missing or unreadable."""

    state: str
    halted: bool
    reason: str
    source: str
    since: datetime | None


class StateChangeIn(BaseModel):
    """Why trading is halted or resumed (stored with the change; blank is refused)."""

    model_config = ConfigDict(extra="forbid")

    reason: str = Field(min_length=1, max_length=500)

    @field_validator("reason")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("reason must not be blank")
        return value.strip()
