"""Games, their live state, win probabilities, oriented venue prices, history and match verdicts."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel

from shared.prices import Money, Price

Result = Literal["home", "away", "draw"]
SignalKind = Literal["model_edge", "arbitrage", "exit"]


class GameStateOut(BaseModel):
    """One observation of a game (score, period, clock)."""

    ts: datetime
    status: str
    period: int
    clock_seconds: float | None
    home_score: int
    away_score: int


class ProbabilityOut(BaseModel):
    """One win-probability estimate (floats in 0..1)."""

    ts: datetime
    model: str
    home: float
    away: float
    draw: float


class PriceOut(BaseModel):
    """The top of book of the contract that pays if ``result`` happens (dollars 0..1).

    A negated instrument (pays if ``result`` does *not* happen) is flipped: bid = 1 - its ask,
    ask = 1 - its bid; ``outcome_id`` still names the venue's outcome the quote came from.
    """

    ts: datetime
    venue: Literal["kalshi", "polymarket"]
    market_id: str
    outcome_id: str
    result: Result
    best_bid: Price | None
    best_ask: Price | None
    mid: Price | None


class GameSummary(BaseModel):
    """A game of the catalogue with its shard, latest state, latest probability and latest prices."""

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
    state: GameStateOut | None
    probability: ProbabilityOut | None
    prices: list[PriceOut]


class SignalMark(BaseModel):
    """A signal on a game's timeline: its first leg, and the risk gate's verdict over all legs."""

    ts: datetime
    signal_id: str
    kind: SignalKind
    strategy: str
    venue: str | None
    market_id: str | None
    outcome_id: str | None
    result: Result | None
    side: str | None
    limit_price: Price | None
    edge_per_contract: Money
    model_probability: float | None
    decision: Literal["approved", "denied", "mixed"] | None
    reason_code: str | None


class GameHistory(BaseModel):
    """Everything stored about one game over time, for its chart (downsampled to ``max_points`` per series)."""

    game_id: str
    states: list[GameStateOut]
    probabilities: list[ProbabilityOut]
    prices: list[PriceOut]
    signals: list[SignalMark]


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
