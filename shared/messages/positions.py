"""Positions, P&L and settlement."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from shared.messages.base import Message
from shared.prices import Money, Price, Quantity, Venue


class PositionUpdated(Message):
    """A position changed (fill, mark or settlement). Money in dollars; ``quantity`` may be 0 (closed)."""

    type: Literal["position_updated"] = "position_updated"
    schema_version: Literal[1] = 1
    venue: Venue
    market_id: str
    outcome_id: str
    game_id: str
    quantity: Quantity
    avg_price: Price | None
    cost_basis: Money
    fees_paid: Money
    realized_pnl: Money
    mark_price: Price | None = None
    unrealized_pnl: Money | None = None
    status: Literal["open", "closed", "settled"]
    paper: bool


class MarketSettled(Message):
    """A market resolved: ``payouts`` maps each outcome id to its payout per contract (1 wins, 0 loses)."""

    type: Literal["market_settled"] = "market_settled"
    schema_version: Literal[1] = 1
    venue: Venue
    market_id: str = Field(min_length=1)
    payouts: dict[str, Price] = Field(min_length=1)
    source: str = "venue"
