"""The scripted game the demo plays: an NBA game on a Kalshi market, on paper.

Everything here is input a real run gets from ESPN and the venues; the services do the rest. Later the
script gives way to replayed real games and the venue simulators.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from shared.messages import (
    AssignShard,
    FeeSpec,
    GameAssignment,
    GameStateUpdated,
    InstrumentRef,
    MarketPriceUpdated,
    MarketSettled,
)
from shared.messages.market_data import GameStatus


@dataclass(frozen=True, slots=True)
class DemoGame:
    """Identifiers of one demo run (unique per run so runs never collide in the database)."""

    game_id: str
    market_id: str
    home: str = "BOS"
    away: str = "LAL"
    home_spread: float = 3.5

    @classmethod
    def for_run(cls, started: datetime) -> DemoGame:
        stamp = started.strftime("%y%m%d%H%M%S")
        return cls(game_id=f"demo-nba-{stamp}", market_id=f"KXNBAGAME-DEMO{stamp}-BOS")


def assignment(game: DemoGame, shard_id: str) -> AssignShard:
    """Discovery's answer: this shard watches the game and both outcomes of its Kalshi market."""
    fees = FeeSpec(schedule="kalshi", fee_type="quadratic")
    instruments = (
        InstrumentRef(venue="kalshi", market_id=game.market_id, outcome_id="yes", pays_on="home", fees=fees),
        InstrumentRef(
            venue="kalshi", market_id=game.market_id, outcome_id="no", pays_on="home", negated=True, fees=fees
        ),
    )
    return AssignShard(
        shard_id=shard_id,
        games=(
            GameAssignment(
                game_id=game.game_id,
                sport="nba",
                league="nba",
                home_team=game.home,
                away_team=game.away,
                instruments=instruments,
            ),
        ),
    )


def state(
    game: DemoGame, status: GameStatus, period: int, clock: float | None, home: int, away: int
) -> GameStateUpdated:
    """One ESPN-like game state."""
    return GameStateUpdated(
        game_id=game.game_id,
        sport="nba",
        league="nba",
        home_team=game.home,
        away_team=game.away,
        status=status,
        completed=status == "post",
        period=period,
        clock_seconds=clock,
        home_score=home,
        away_score=away,
        home_spread=game.home_spread,
        source="demo-script",
    )


def prices(game: DemoGame, yes_bid: str, yes_ask: str, size: str = "500") -> tuple[MarketPriceUpdated, ...]:
    """Kalshi tops for yes and no (no's bid/ask mirror yes's ask/bid)."""
    one = Decimal(1)
    return (
        MarketPriceUpdated(
            venue="kalshi",
            market_id=game.market_id,
            outcome_id="yes",
            best_bid=Decimal(yes_bid),
            best_ask=Decimal(yes_ask),
            bid_size=Decimal(size),
            ask_size=Decimal(size),
        ),
        MarketPriceUpdated(
            venue="kalshi",
            market_id=game.market_id,
            outcome_id="no",
            best_bid=one - Decimal(yes_ask),
            best_ask=one - Decimal(yes_bid),
            bid_size=Decimal(size),
            ask_size=Decimal(size),
        ),
    )


def settlement(game: DemoGame, home_won: bool) -> MarketSettled:
    """Kalshi's resolution of the market."""
    yes = Decimal(1) if home_won else Decimal(0)
    return MarketSettled(venue="kalshi", market_id=game.market_id, payouts={"yes": yes, "no": Decimal(1) - yes})
