"""The first win-probability formula and the fee-aware edge."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from services.game_shard.edges import model_edge_signal
from services.game_shard.probability import home_win_probability
from shared.messages import (
    FeeSpec,
    GameStateUpdated,
    InstrumentRef,
    MarketPriceUpdated,
    WinProbabilityUpdated,
)

NOW = datetime(2026, 11, 23, 20, 0, tzinfo=UTC)


def _state(
    status: str = "in",
    period: int = 3,
    clock: float = 360.0,
    home: int = 78,
    away: int = 64,
    spread: float | None = 3.5,
) -> GameStateUpdated:
    return GameStateUpdated(
        game_id="g",
        sport="nba",
        league="nba",
        home_team="BOS",
        away_team="LAL",
        status=status,  # type: ignore[arg-type]
        period=period,
        clock_seconds=clock,
        home_score=home,
        away_score=away,
        home_spread=spread,
    )


def test_probability_rises_with_the_lead_and_with_less_time_left() -> None:
    assert home_win_probability(_state(home=70, away=64)) < home_win_probability(_state(home=78, away=64))
    assert home_win_probability(_state(period=2, home=70, away=64)) < home_win_probability(
        _state(period=4, home=70, away=64)
    )


def test_pregame_prior_is_the_spread() -> None:
    even = home_win_probability(_state(status="pre", period=0, home=0, away=0, spread=0.0))
    favoured = home_win_probability(_state(status="pre", period=0, home=0, away=0, spread=3.5))
    assert even == 0.5 and 0.55 < favoured < 0.65


def test_finished_games_are_exact() -> None:
    assert home_win_probability(_state(status="post", period=4, clock=0, home=100, away=90)) == 1.0
    assert home_win_probability(_state(status="post", period=4, clock=0, home=90, away=100)) == 0.0


def _instrument(negated: bool = False) -> InstrumentRef:
    return InstrumentRef(
        venue="kalshi",
        market_id="m",
        outcome_id="no" if negated else "yes",
        pays_on="home",
        negated=negated,
        fees=FeeSpec(schedule="kalshi"),
    )


def _wp(home: float) -> WinProbabilityUpdated:
    return WinProbabilityUpdated(game_id="g", home=home, away=1 - home, model="t", model_version="1")


def _top(ask: str) -> MarketPriceUpdated:
    return MarketPriceUpdated(
        venue="kalshi",
        market_id="m",
        outcome_id="yes",
        best_bid=Decimal("0.01"),
        best_ask=Decimal(ask),
        ask_size=Decimal(100),
    )


def test_edge_is_after_fees() -> None:
    kwargs = dict(strategy="s", game_id="g", min_edge=Decimal("0.03"), now=NOW, ttl=timedelta(seconds=5))
    signal = model_edge_signal(instrument=_instrument(), wp=_wp(0.70), top=_top("0.62"), **kwargs)  # type: ignore[arg-type]
    assert signal is not None
    # 0.70 - 0.62 - fee(1 @ 0.62 = ceil(0.0165) = 0.02)
    assert signal.edge_per_contract == Decimal("0.060000")
    assert signal.legs[0].fee_per_contract == Decimal("0.02")
    # 0.66 - 0.62 - 0.02 = 0.02 < 0.03: no signal, though the raw gap is 4 cents
    assert model_edge_signal(instrument=_instrument(), wp=_wp(0.66), top=_top("0.62"), **kwargs) is None  # type: ignore[arg-type]


def test_negated_outcome_uses_the_complement() -> None:
    kwargs = dict(strategy="s", game_id="g", min_edge=Decimal("0.01"), now=NOW, ttl=timedelta(seconds=5))
    signal = model_edge_signal(instrument=_instrument(negated=True), wp=_wp(0.2), top=_top("0.60"), **kwargs)  # type: ignore[arg-type]
    assert signal is not None and signal.model_probability == 0.8
