"""Fleet coordination: shard assignments (what a game shard watches) and service heartbeats."""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from shared.messages.base import Message, UtcDatetime
from shared.messages.market_data import Sport
from shared.prices import Money, Price, Venue


class FeeSpec(BaseModel):
    """How a venue charges fees on one market (see :mod:`shared.fees`)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    schedule: Literal["kalshi", "polymarket"]
    fee_type: str = "quadratic"
    rate: Money | None = None
    exponent: int = 1


class InstrumentRef(BaseModel):
    """A tradable outcome and which game result it pays on.

    It pays $1 if the game's ``pays_on`` result happens (or, with ``negated``, if it does not): a Kalshi
    "BOS wins" market has its ``yes`` outcome on ``home`` and its ``no`` outcome on ``home`` negated.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    venue: Venue
    market_id: str = Field(min_length=1)
    outcome_id: str = Field(min_length=1)
    pays_on: Literal["home", "away", "draw"]
    negated: bool = False
    tick_size: Price = Decimal("0.01")
    fees: FeeSpec

    @property
    def key(self) -> str:
        """``venue:market:outcome``, the same key as :attr:`MarketPriceUpdated.key`."""
        return f"{self.venue}:{self.market_id}:{self.outcome_id}"


class GameAssignment(BaseModel):
    """One game a shard must watch, with the instruments that trade on it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    game_id: str = Field(min_length=1)
    sport: Sport
    league: str
    home_team: str
    away_team: str
    instruments: tuple[InstrumentRef, ...] = ()


class AssignShard(Message):
    """Command from discovery: shard ``shard_id`` now watches exactly these games."""

    type: Literal["assign_shard"] = "assign_shard"
    schema_version: Literal[1] = 1
    shard_id: str = Field(min_length=1)
    games: tuple[GameAssignment, ...]


class Heartbeat(Message):
    """A service instance reports it is alive (kept in Redis with a time-to-live)."""

    type: Literal["heartbeat"] = "heartbeat"
    schema_version: Literal[1] = 1
    service: str
    instance_id: str
    status: Literal["ok", "degraded", "stopping"]
    started_at: UtcDatetime
    interval_s: float = Field(gt=0)
    details: dict[str, str | int | float | bool] = Field(default_factory=dict)


class TradingStateChanged(Message):
    """The fleet's trading state changed (halt or resume); the persisted row is the truth, this is the bell."""

    type: Literal["trading_state_changed"] = "trading_state_changed"
    schema_version: Literal[1] = 1
    state: Literal["active", "halted"]
    reason: str
    source: str
