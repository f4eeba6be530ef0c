"""The game shard's pricing: game states into the calibrated models, and the edge after costs."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from services.game_shard.edges import model_edge_signal
from services.game_shard.pricing import price, situation
from shared.messages import FeeSpec, GameStateUpdated, InstrumentRef, MarketPriceUpdated, WinProbabilityUpdated

NOW = datetime(2026, 11, 23, 20, 0, tzinfo=UTC)


def _state(
    status: str = "in",
    period: int = 3,
    clock: float | None = 360.0,
    home: int = 78,
    away: int = 64,
    spread: float | None = 3.5,
    sport: str = "nba",
    **extra: object,
) -> GameStateUpdated:
    return GameStateUpdated(
        game_id="g",
        sport=sport,
        league=sport,
        home_team="BOS",
        away_team="LAL",  # type: ignore[arg-type]
        status=status,
        completed=status == "post",
        period=period,  # type: ignore[arg-type]
        clock_seconds=clock,
        home_score=home,
        away_score=away,
        home_spread=spread,
        **extra,  # type: ignore[arg-type]
    )


def test_probability_rises_with_the_lead_and_with_less_time_left() -> None:
    assert price(_state(home=70, away=64)).home < price(_state(home=78, away=64)).home
    assert price(_state(period=2, home=70, away=64)).home < price(_state(period=4, home=70, away=64)).home


def test_finished_games_are_exact() -> None:
    assert price(_state(status="post", period=4, clock=0, home=100, away=90)).home == 1.0
    assert price(_state(status="post", period=4, clock=0, home=90, away=100)).home == 0.0


def test_the_market_pregame_price_is_the_prior_only_without_espn_odds() -> None:
    no_odds = _state(status="pre", period=0, clock=None, home=0, away=0, spread=None)
    assert situation(no_odds, pregame_home_prob=0.7).prior_home_prob == 0.7
    with_odds = _state(status="pre", period=0, clock=None, home=0, away=0, spread=3.5)
    assert situation(with_odds, pregame_home_prob=0.7).prior_home_prob is None
    assert price(no_odds, 0.7).home > price(no_odds, 0.4).home


def test_soccer_clock_is_converted_from_elapsed_to_seconds_left() -> None:
    state = _state(sport="soccer", period=2, clock=60 * 60.0, home=1, away=0, spread=None)
    assert situation(state).seconds_left_in_period == 30 * 60
    assert situation(_state(sport="soccer", period=1, clock=50 * 60.0, spread=None)).seconds_left_in_period == 0


def test_baseball_half_inning_is_passed_on() -> None:
    state = _state(sport="mlb", period=9, clock=None, home=3, away=2, spread=None, inning_half="top", outs=2, bases=1)
    s = situation(state)
    assert s.top_of_inning is True and s.outs == 2 and s.bases_mask == 1


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


def _top(bid: str, ask: str) -> MarketPriceUpdated:
    return MarketPriceUpdated(
        venue="kalshi",
        market_id="m",
        outcome_id="yes",
        best_bid=Decimal(bid),
        best_ask=Decimal(ask),
        ask_size=Decimal(100),
    )


KW = dict(strategy="s", game_id="g", now=NOW, ttl=timedelta(seconds=5))


def test_edge_is_after_fees_and_half_the_spread_with_the_model_alone() -> None:
    signal = model_edge_signal(
        instrument=_instrument(),
        wp=_wp(0.70),
        top=_top("0.60", "0.62"),
        min_edge=Decimal("0.03"),
        model_weight=1.0,
        **KW,
    )  # type: ignore[arg-type]
    assert signal is not None
    # 0.70 - 0.62 - fee(1 @ 0.62 rounds up to 0.02) - 0.02 / 2
    assert signal.edge_per_contract == Decimal("0.050000")
    assert signal.legs[0].fee_per_contract == Decimal("0.02")
    # 0.66 - 0.62 - 0.02 - 0.01 = 0.01 < 0.03: no signal, though the raw gap is 4 cents
    assert (
        model_edge_signal(
            instrument=_instrument(),
            wp=_wp(0.66),
            top=_top("0.60", "0.62"),
            min_edge=Decimal("0.03"),
            model_weight=1.0,
            **KW,
        )
        is None
    )  # type: ignore[arg-type]


def test_blending_with_the_market_shrinks_the_edge() -> None:
    alone = model_edge_signal(
        instrument=_instrument(), wp=_wp(0.80), top=_top("0.60", "0.62"), min_edge=Decimal("0"), model_weight=1.0, **KW
    )  # type: ignore[arg-type]
    blended = model_edge_signal(
        instrument=_instrument(), wp=_wp(0.80), top=_top("0.60", "0.62"), min_edge=Decimal("0"), model_weight=0.5, **KW
    )  # type: ignore[arg-type]
    assert alone is not None and blended is not None
    assert Decimal(0) < blended.edge_per_contract < alone.edge_per_contract
    market_only = model_edge_signal(
        instrument=_instrument(), wp=_wp(0.80), top=_top("0.60", "0.62"), min_edge=Decimal("0"), model_weight=0.0, **KW
    )  # type: ignore[arg-type]
    assert market_only is None  # trusting only the market leaves no edge after costs


def test_negated_outcome_uses_the_complement() -> None:
    signal = model_edge_signal(
        instrument=_instrument(negated=True),
        wp=_wp(0.2),
        top=_top("0.58", "0.60"),
        min_edge=Decimal("0.01"),
        model_weight=1.0,
        **KW,
    )  # type: ignore[arg-type]
    assert signal is not None and signal.model_probability == 0.8
