"""Signals: a priced opportunity (model edge or cross-venue arbitrage) with the legs to trade it."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from shared.messages.base import Message, UtcDatetime
from shared.prices import Money, Price, Quantity, Venue

Side = Literal["buy", "sell"]


class SignalLeg(BaseModel):
    """One order a signal wants: buy or sell ``outcome_id`` of ``market_id`` at up to ``limit_price``.

    ``reduce_only`` marks a sell that only reduces a held position (an exit): the risk gate lets it pass
    while trading is halted, capped at the position held.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    venue: Venue
    market_id: str = Field(min_length=1)
    outcome_id: str = Field(min_length=1)
    side: Side
    limit_price: Price
    available_quantity: Quantity | None = None
    fee_per_contract: Money
    tick_size: Price
    reduce_only: bool = False


class SignalGenerated(Message):
    """An edge was found: ``edge_per_contract`` is dollars per contract after fees (and half the spread)."""

    type: Literal["signal_generated"] = "signal_generated"
    schema_version: Literal[1] = 1
    signal_id: str = Field(min_length=1)
    strategy: str = Field(min_length=1)
    kind: Literal["model_edge", "arbitrage", "exit"]
    game_id: str = Field(min_length=1)
    legs: tuple[SignalLeg, ...] = Field(min_length=1)
    model_probability: float | None = Field(default=None, ge=0, le=1)
    market_probability: Price | None = None
    edge_per_contract: Money
    expires_at: UtcDatetime
