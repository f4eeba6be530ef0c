"""GameSituation / WinProbability contracts and the prior conversions."""

from __future__ import annotations

import math

import pytest

from shared.winprob.leagues import clock_for, seconds_left
from shared.winprob.priors import american_to_prob, devig_three_way, devig_two_way, market_home_prob, prior_logit
from shared.winprob.types import SPORTS, GameSituation, WinProbability


def test_sports_are_the_fleet_list() -> None:
    assert set(SPORTS) == {"nfl", "cfb", "nba", "wnba", "ncaab", "nhl", "mlb", "soccer"}


def test_win_probability_must_sum_to_one() -> None:
    wp = WinProbability(0.6, 0.3, 0.1, model="m", model_version="v")
    assert wp.home + wp.away + wp.draw == pytest.approx(1.0)
    with pytest.raises(ValueError):
        WinProbability(0.6, 0.6)
    with pytest.raises(ValueError):
        WinProbability(1.2, -0.2)


def test_overtime_flag_is_derived_from_period() -> None:
    assert GameSituation("nba", 100, 100, 5).is_overtime
    assert not GameSituation("nba", 100, 100, 4).is_overtime
    assert GameSituation("ncaab", 70, 70, 3).is_overtime
    assert GameSituation("mlb", 3, 3, 10).is_overtime


def test_bases_mask_accepts_bitmask_or_bools() -> None:
    assert GameSituation("mlb", 0, 0, 1, bases=(True, False, True)).bases_mask == 5
    assert GameSituation("mlb", 0, 0, 1, bases=6).bases_mask == 6
    assert GameSituation("mlb", 0, 0, 1).bases_mask == 0


def test_seconds_left_from_period_clock_and_overtime() -> None:
    nba = clock_for("nba")
    assert seconds_left(GameSituation("nba", 0, 0, 2, seconds_left_in_period=600.0), nba) == (2040.0, False)
    assert seconds_left(GameSituation("nba", 0, 0, 1), nba) == (2880.0, False)
    assert seconds_left(GameSituation("nba", 0, 0, 5, seconds_left_in_period=120.0), nba) == (120.0, True)
    assert seconds_left(GameSituation("nba", 0, 0, 3, game_seconds_left=99.0), nba) == (99.0, False)


def test_american_odds_worked_examples() -> None:
    assert american_to_prob(-150) == pytest.approx(0.6)
    assert american_to_prob(150) == pytest.approx(0.4)
    assert devig_two_way(-110, -110) == pytest.approx(0.5)
    h, d, a = devig_three_way(150, 220, 200)
    assert h + d + a == pytest.approx(1.0)
    assert h > a > d
    with pytest.raises(ValueError):
        american_to_prob(50)


def test_prior_order_of_preference() -> None:
    price = GameSituation("nba", 0, 0, 1, prior_home_prob=0.7, home_moneyline=-300, away_moneyline=250, home_spread=8.0)
    lines = GameSituation("nba", 0, 0, 1, home_moneyline=-150, away_moneyline=130, home_spread=8.0)
    spread = GameSituation("nba", 0, 0, 1, home_spread=8.0)
    nothing = GameSituation("nba", 0, 0, 1)
    assert market_home_prob(price) == 0.7
    assert prior_logit(price, 0.1, 0.3) == pytest.approx(math.log(0.7 / 0.3))
    assert prior_logit(lines, 0.1, 0.3) == pytest.approx(
        math.log(devig_two_way(-150, 130) / (1 - devig_two_way(-150, 130)))
    )
    p8 = 0.5 * math.erfc(-8.0 / 12.0 / math.sqrt(2.0))  # Phi(8 / 12)
    assert prior_logit(spread, 12.0, 0.3) == pytest.approx(math.log(p8 / (1 - p8)))
    assert prior_logit(nothing, 12.0, 0.3) == 0.3
