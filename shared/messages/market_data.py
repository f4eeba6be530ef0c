"""Market data and game state: latest-value messages carried over pub/sub (a missed one is replaced)."""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from pydantic import Field

from shared.messages.base import Message, UtcDatetime
from shared.prices import Price, Quantity, Venue

Sport = Literal["nfl", "cfb", "nba", "wnba", "ncaab", "nhl", "mlb", "soccer"]
GameStatus = Literal["pre", "in", "post"]


class GameStateUpdated(Message):
    """The state of a game changed (score, clock, period, situation).

    ``clock_seconds`` is seconds left in the period (elapsed seconds for soccer, as ESPN reports it).
    Optional fields are present when the source has them.
    """

    type: Literal["game_state_updated"] = "game_state_updated"
    schema_version: Literal[1] = 1
    game_id: str = Field(min_length=1)
    sport: Sport
    league: str
    home_team: str
    away_team: str
    status: GameStatus
    completed: bool = False
    period: int = Field(ge=0)
    clock_seconds: float | None = Field(default=None, ge=0)
    home_score: int = Field(ge=0)
    away_score: int = Field(ge=0)
    scheduled_start: UtcDatetime | None = None
    home_spread: float | None = None
    home_moneyline: int | None = None
    away_moneyline: int | None = None
    draw_moneyline: int | None = None
    possession: Literal["home", "away"] | None = None
    down: int | None = Field(default=None, ge=1, le=4)
    distance: int | None = Field(default=None, ge=0)
    yards_to_goal: int | None = Field(default=None, ge=0, le=100)
    outs: int | None = Field(default=None, ge=0, le=3)
    bases: int | None = Field(default=None, ge=0, le=7)
    inning_half: Literal["top", "bottom"] | None = None
    home_timeouts: int | None = Field(default=None, ge=0)
    away_timeouts: int | None = Field(default=None, ge=0)
    home_red_cards: int | None = Field(default=None, ge=0)
    away_red_cards: int | None = Field(default=None, ge=0)
    source: str = "espn"


class MarketPriceUpdated(Message):
    """Top of book for one outcome of one market (Kalshi yes/no, or a Polymarket token).

    ``best_bid``/``best_ask`` are probability-scale prices; ``None`` when that side is empty.
    """

    type: Literal["market_price_updated"] = "market_price_updated"
    schema_version: Literal[1] = 1
    venue: Venue
    market_id: str = Field(min_length=1)
    outcome_id: str = Field(min_length=1)
    best_bid: Price | None = None
    best_ask: Price | None = None
    bid_size: Quantity | None = None
    ask_size: Quantity | None = None
    tick_size: Price = Decimal("0.01")

    @property
    def key(self) -> str:
        """Latest-value key: ``venue:market:outcome``."""
        return f"{self.venue}:{self.market_id}:{self.outcome_id}"


class WinProbabilityUpdated(Message):
    """Our model's probability of each result of a game, at one game state."""

    type: Literal["win_probability_updated"] = "win_probability_updated"
    schema_version: Literal[1] = 1
    game_id: str = Field(min_length=1)
    home: float = Field(ge=0, le=1)
    away: float = Field(ge=0, le=1)
    draw: float = Field(default=0.0, ge=0, le=1)
    model: str
    model_version: str
