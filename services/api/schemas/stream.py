"""Payloads of the SSE stream that are not a route's response model (listed in the OpenAPI components)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel

from services.api.schemas.games import GameStateOut, Result
from shared.prices import Price


class HelloEvent(BaseModel):
    """The first event of a stream."""

    server_time: datetime


class GameStateEvent(GameStateOut):
    """``game_state``: a game's new state."""

    game_id: str


class ProbabilityEvent(BaseModel):
    """``probability``: a new win-probability estimate."""

    game_id: str
    ts: datetime
    model: str
    home: float
    away: float
    draw: float


class PriceEvent(BaseModel):
    """``price``: a new top of book, oriented like PriceOut; ``game_id``/``result`` null when not matched."""

    ts: datetime
    venue: Literal["kalshi", "polymarket"]
    market_id: str
    outcome_id: str
    result: Result | None
    best_bid: Price | None
    best_ask: Price | None
    mid: Price | None
    game_id: str | None


STREAM_TOPICS = ("game_state", "probability", "price", "signal", "order", "fill", "position", "trading_state")
