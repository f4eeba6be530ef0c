"""Properties of every shipped model (hypothesis): lead, time, final result, home/away symmetry.

- more lead means a higher home probability, all else equal;
- for a fixed lead, the leader's probability moves towards 1 as time runs out;
- a finished game gives exactly the result;
- swapping home and away (scores, prior) swaps the answer (two-outcome sports and soccer's 1X2).
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shared.winprob import GameSituation, load_model
from shared.winprob.leagues import clock_for

CLOCKED = ("nfl", "cfb", "nba", "wnba", "ncaab", "nhl", "soccer")
SWAPPABLE = ("nfl", "cfb", "nba", "wnba", "ncaab", "nhl")
"""Baseball is left out: the home team bats last, which the win-expectancy table knows."""
FAST = settings(max_examples=60, deadline=None)

priors = st.floats(min_value=0.1, max_value=0.9)
elapsed = st.floats(min_value=0.0, max_value=0.98)


def _at(sport: str, home: int, away: int, frac_elapsed: float, prior: float) -> GameSituation:
    """A regulation state `frac_elapsed` of the way through the game, with a pre-game price `prior`."""
    c = clock_for(sport)
    if sport == "mlb":  # start of the top of an inning (comparing top with bottom halves is not "later")
        inning = min(int(frac_elapsed * 9) + 1, 9)
        return GameSituation("mlb", home, away, inning, top_of_inning=True, outs=0, bases=0, prior_home_prob=prior)
    left = (1.0 - frac_elapsed) * c.regulation_seconds
    period = min(int((c.regulation_seconds - left) // c.period_seconds) + 1, c.periods)
    in_period = left - (c.periods - period) * c.period_seconds
    draw = 0.27 if sport == "soccer" else None
    p = prior * 0.73 if sport == "soccer" else prior
    return GameSituation(
        sport, home, away, period, seconds_left_in_period=in_period, prior_home_prob=p, prior_draw_prob=draw
    )


def _lead_unit(sport: str) -> int:
    return 1 if sport in ("nhl", "soccer", "mlb") else 3


@pytest.mark.parametrize("sport", CLOCKED + ("mlb",))
@FAST
@given(frac=elapsed, prior=priors, lead=st.integers(min_value=-4, max_value=3))
def test_more_lead_means_higher_probability(sport: str, frac: float, prior: float, lead: int) -> None:
    model = load_model(sport)
    u = _lead_unit(sport)
    lo = model.probability(_at(sport, 20 + lead * u, 20, frac, prior)).home
    hi = model.probability(_at(sport, 20 + (lead + 1) * u, 20, frac, prior)).home
    clamped = min(lo, 1.0 - hi) <= 1e-3 + 1e-12 and hi == pytest.approx(lo, abs=1e-12)  # both at a bound
    assert hi > lo or clamped


@pytest.mark.parametrize("sport", CLOCKED + ("mlb",))
@FAST
@given(
    frac=st.floats(min_value=0.0, max_value=0.9), step=st.floats(min_value=0.02, max_value=0.3), lead=st.integers(1, 3)
)
def test_a_fixed_lead_is_worth_more_as_time_runs_out(sport: str, frac: float, step: float, lead: int) -> None:
    model = load_model(sport)
    later = min(frac + step, 0.98)
    lead_pts = lead * _lead_unit(sport)
    early = model.probability(_at(sport, 20 + lead_pts, 20, frac, 0.5)).home
    late = model.probability(_at(sport, 20 + lead_pts, 20, later, 0.5)).home
    assert late >= early - 2e-3


@pytest.mark.parametrize("sport", CLOCKED + ("mlb",))
@FAST
@given(home=st.integers(0, 130), away=st.integers(0, 130), prior=priors)
def test_a_finished_game_gives_exactly_the_result(sport: str, home: int, away: int, prior: float) -> None:
    model = load_model(sport)
    st_ = GameSituation(sport, home, away, 4, is_final=True, prior_home_prob=prior)
    wp = model.probability(st_)
    expected = (1.0, 0.0, 0.0) if home > away else (0.0, 1.0, 0.0) if home < away else (0.0, 0.0, 1.0)
    assert (wp.home, wp.away, wp.draw) == expected


@pytest.mark.parametrize("sport", SWAPPABLE)
@FAST
@given(frac=elapsed, prior=priors, home=st.integers(0, 12), away=st.integers(0, 12))
def test_swapping_home_and_away_swaps_the_answer(sport: str, frac: float, prior: float, home: int, away: int) -> None:
    model = load_model(sport)
    a = model.probability(_at(sport, home, away, frac, prior))
    b = model.probability(_at(sport, away, home, frac, 1.0 - prior))
    assert a.home == pytest.approx(b.away, abs=1e-6)  # tables are stored to 6 decimals


@FAST
@given(frac=elapsed, prior=st.floats(min_value=0.15, max_value=0.6), home=st.integers(0, 5), away=st.integers(0, 5))
def test_soccer_swap_swaps_home_and_away_keeps_the_draw(frac: float, prior: float, home: int, away: int) -> None:
    model = load_model("soccer")
    c = clock_for("soccer")
    left = (1.0 - frac) * c.regulation_seconds
    period = 1 if left > c.period_seconds else 2
    secs = left - (c.period_seconds if period == 1 else 0.0)
    away_p = 0.73 - prior
    a = model.probability(
        GameSituation(
            "soccer", home, away, period, seconds_left_in_period=secs, prior_home_prob=prior, prior_draw_prob=0.27
        )
    )
    b = model.probability(
        GameSituation(
            "soccer", away, home, period, seconds_left_in_period=secs, prior_home_prob=away_p, prior_draw_prob=0.27
        )
    )
    assert a.home == pytest.approx(b.away, abs=2e-3) and a.draw == pytest.approx(b.draw, abs=2e-3)
