"""Margin model (basketball, football): monotonicity, guards, symmetry, prior decay, overtime, possession."""

from __future__ import annotations

from dataclasses import replace

import pytest

from shared.winprob import GameSituation, load_model
from shared.winprob.football import expected_points

MARGIN_SPORTS = ("nba", "ncaab", "nfl", "cfb", "wnba")


def _state(sport: str, home: int, away: int, period: int, secs: float, **kw: object) -> GameSituation:
    return GameSituation(sport, home, away, period, seconds_left_in_period=secs, **kw)  # type: ignore[arg-type]


@pytest.mark.parametrize("sport", MARGIN_SPORTS)
def test_more_lead_means_higher_probability(sport: str) -> None:
    model = load_model(sport)
    period = 2 if sport == "ncaab" else 3
    probs = [model.probability(_state(sport, 50 + m, 50, period, 300.0, home_spread=2.0)).home for m in range(-15, 16)]
    assert all(b > a for a, b in zip(probs, probs[1:], strict=False))


@pytest.mark.parametrize("sport", MARGIN_SPORTS)
def test_game_over_is_exact(sport: str) -> None:
    model = load_model(sport)
    assert model.probability(_state(sport, 80, 79, 4, 0.0, is_final=True)).home == 1.0
    lost = model.probability(_state(sport, 79, 80, 4, 0.0, is_final=True))
    assert (lost.home, lost.away) == (0.0, 1.0)


@pytest.mark.parametrize("sport", MARGIN_SPORTS)
def test_bounded_while_in_play(sport: str) -> None:
    model = load_model(sport)
    for m in (-60, 60):
        wp = model.probability(_state(sport, 100 + m, 100, 4 if sport != "ncaab" else 2, 1.0))
        assert 0.0 < wp.home < 1.0 and 0.0 < wp.away < 1.0
        assert min(wp.home, wp.away) >= 1e-3 - 1e-12


@pytest.mark.parametrize("sport", MARGIN_SPORTS)
def test_swapping_teams_swaps_the_answer(sport: str) -> None:
    model = load_model(sport)
    for lead, p in ((7, 0.7), (-3, 0.4), (0, 0.55)):
        a = model.probability(_state(sport, 40 + lead, 40, 2, 200.0, prior_home_prob=p)).home
        b = model.probability(_state(sport, 40, 40 + lead, 2, 200.0, prior_home_prob=1 - p)).home
        assert a + b == pytest.approx(1.0, abs=1e-9)


@pytest.mark.parametrize("sport", ("nba", "ncaab", "nfl"))
def test_prior_matters_early_not_late(sport: str) -> None:
    model = load_model(sport)
    last = 4 if sport != "ncaab" else 2
    early = [model.probability(_state(sport, 0, 0, 1, 600.0, prior_home_prob=p)).home for p in (0.25, 0.75)]
    late = [model.probability(_state(sport, 60, 55, last, 20.0, prior_home_prob=p)).home for p in (0.25, 0.75)]
    assert early[1] - early[0] > 0.3
    assert late[1] - late[0] < 0.1


@pytest.mark.parametrize("sport", ("nba", "nfl"))
def test_kickoff_probability_tracks_the_prior(sport: str) -> None:
    model = load_model(sport)
    start = model.probability(GameSituation(sport, 0, 0, 1, prior_home_prob=0.7)).home
    assert start == pytest.approx(0.7, abs=0.06)


def test_overtime_is_explicit_and_near_a_coin_flip() -> None:
    model = load_model("nba")
    end_tied = model.probability(_state("nba", 100, 100, 4, 0.0, prior_home_prob=0.5)).home
    ot_start = model.probability(_state("nba", 100, 100, 5, 300.0, prior_home_prob=0.5)).home
    assert end_tied == pytest.approx(0.5, abs=1e-6) and ot_start == pytest.approx(0.5, abs=1e-6)
    fav = model.probability(_state("nba", 100, 100, 5, 300.0, prior_home_prob=0.8)).home
    assert 0.5 < fav < 0.8
    ahead_in_ot = model.probability(_state("nba", 104, 100, 5, 30.0, prior_home_prob=0.5)).home
    assert ahead_in_ot > 0.9
    decided = model.probability(_state("nba", 101, 100, 4, 0.0))
    assert decided.home == pytest.approx(1 - 1e-3)


def test_football_possession_and_field_position_raise_probability() -> None:
    model = load_model("nfl")
    base = dict(home_spread=0.0)
    none = model.probability(_state("nfl", 14, 14, 3, 600.0, **base)).home
    own_25 = model.probability(
        _state("nfl", 14, 14, 3, 600.0, possession="home", down=1, distance=10, yards_to_goal=75, **base)
    ).home
    red_zone = model.probability(
        _state("nfl", 14, 14, 3, 600.0, possession="home", down=1, distance=10, yards_to_goal=10, **base)
    ).home
    away_ball = model.probability(
        _state("nfl", 14, 14, 3, 600.0, possession="away", down=1, distance=10, yards_to_goal=10, **base)
    ).home
    assert away_ball < none < own_25 < red_zone


def test_expected_points_table_values() -> None:
    assert expected_points(1, 10, 75) == pytest.approx(1.1)
    assert expected_points(1, 10, 10) == pytest.approx(5.0)
    assert expected_points(3, 10, 75) == pytest.approx(-0.2)
    assert expected_points(2, 4, 50) == pytest.approx((2.4 + 2.3) / 2)
    assert expected_points(4, 10, 75) < expected_points(3, 10, 75)
    assert expected_points(1, 10, 1) <= 6.0


@pytest.mark.parametrize(("spread", "vegas_wp"), [(1, 0.5147), (3, 0.5959), (4, 0.6378), (7, 0.7374), (14, 0.8658)])
def test_nflfastr_kickoff_anchor(spread: float, vegas_wp: float) -> None:
    """nflfastR's vegas_wp at kickoff (home ball, 1st & 10 at own 25) against ours; the gap is documented.

    Without possession our kickoff value (the spread through a normal margin with the sd fitted on NFL
    2011-2019 results, ~11.0 points) is within 0.04 of nflfastR's: +0.022, +0.014, +0.007, +0.005 and
    +0.037 at spreads 1, 3, 4, 7, 14 (at 14 points our normal margin is more confident than nflfastR).
    With the possession the reference states carry, ours is 0.026 to 0.051 above nflfastR's: our
    (unvalidated) possession adjustment credits the receiving team with the expected points of a drive
    from its own 25 (1.1 points, nflfastR EP table), whereas nflfastR's model also knows that the other
    team receives the second-half kickoff, which largely cancels the opening possession. Tolerance 0.06.
    """
    model = load_model("nfl")
    bare = GameSituation("nfl", 0, 0, 1, seconds_left_in_period=900.0, home_spread=float(spread))
    with_ball = replace(bare, possession="home", down=1, distance=10, yards_to_goal=75)
    assert model.probability(bare).home == pytest.approx(vegas_wp, abs=0.04)
    assert model.probability(with_ball).home == pytest.approx(vegas_wp, abs=0.06)
    assert model.probability(with_ball).home > model.probability(bare).home


def test_derived_sports_are_marked_unvalidated() -> None:
    for sport in ("cfb", "wnba"):
        assert load_model(sport).validated is False
    for sport in ("nba", "ncaab", "nfl"):
        assert load_model(sport).validated is True
