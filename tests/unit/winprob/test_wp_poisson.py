"""Poisson goal model (hockey, soccer): draws, overtime, red cards, monotonicity, guards."""

from __future__ import annotations

import math
from typing import Any

import pytest

from shared.winprob import GameSituation, load_model
from shared.winprob.poisson import outcome_probs


def test_outcome_probs_match_a_direct_sum() -> None:
    lh, la, m = 1.3, 0.9, -1

    def pmf(lam: float, k: int) -> float:
        return math.exp(-lam) * lam**k / math.factorial(k)

    win = sum(pmf(lh, i) * pmf(la, j) for i in range(30) for j in range(30) if m + i - j > 0)
    level = sum(pmf(lh, i) * pmf(la, j) for i in range(30) for j in range(30) if m + i - j == 0)
    got = outcome_probs(lh, la, m)
    assert got[0] == pytest.approx(win, abs=1e-7)
    assert got[1] == pytest.approx(level, abs=1e-7)


def _soccer(h: int, a: int, period: int, secs: float, **kw: Any) -> GameSituation:
    return GameSituation(
        "soccer", h, a, period, seconds_left_in_period=secs, prior_home_prob=0.45, prior_draw_prob=0.27, **kw
    )


def test_soccer_has_three_outcomes_and_draw_grows_when_level_late() -> None:
    model = load_model("soccer")
    ko = model.probability(_soccer(0, 0, 1, 2700.0))
    assert ko.home + ko.draw + ko.away == pytest.approx(1.0)
    assert ko.home == pytest.approx(0.45, abs=0.05) and ko.draw == pytest.approx(0.27, abs=0.05)
    late = model.probability(_soccer(1, 1, 2, 120.0))
    assert late.draw > 0.7 > ko.draw


def test_soccer_final_draw_is_exact() -> None:
    model = load_model("soccer")
    wp = model.probability(_soccer(2, 2, 2, 0.0, is_final=True))
    assert (wp.home, wp.draw, wp.away) == (0.0, 1.0, 0.0)


def test_soccer_stoppage_time_stays_bounded() -> None:
    wp = load_model("soccer").probability(_soccer(1, 0, 2, 0.0))
    assert 0.9 < wp.home < 1.0 and wp.draw > 0.0 and wp.away > 0.0


def test_red_card_helps_the_opponent() -> None:
    model = load_model("soccer")
    even = model.probability(_soccer(0, 0, 1, 1800.0)).home
    away_sent_off = model.probability(_soccer(0, 0, 1, 1800.0, away_red_cards=1)).home
    home_sent_off = model.probability(_soccer(0, 0, 1, 1800.0, home_red_cards=1)).home
    assert home_sent_off < even < away_sent_off


@pytest.mark.parametrize("sport", ("nhl", "soccer"))
def test_goal_lead_is_monotone(sport: str) -> None:
    model = load_model(sport)
    probs = [
        model.probability(GameSituation(sport, 3 + m, 3, 2, seconds_left_in_period=600.0)).home for m in range(-3, 4)
    ]
    assert all(b > a for a, b in zip(probs, probs[1:], strict=False))


def test_hockey_tie_at_end_of_regulation_goes_to_overtime() -> None:
    model = load_model("nhl")
    st = GameSituation("nhl", 2, 2, 3, seconds_left_in_period=0.0, home_moneyline=-200, away_moneyline=170)
    p_end = model.probability(st).home
    p_ot = model.probability(
        GameSituation("nhl", 2, 2, 4, seconds_left_in_period=300.0, home_moneyline=-200, away_moneyline=170)
    ).home
    assert 0.5 < p_end < 0.66
    assert p_end == pytest.approx(p_ot, abs=1e-9)
    late_ot = model.probability(
        GameSituation("nhl", 2, 2, 4, seconds_left_in_period=1.0, home_moneyline=-200, away_moneyline=170)
    ).home
    assert late_ot == pytest.approx(0.5, abs=0.01)
    final = model.probability(GameSituation("nhl", 3, 2, 4, is_final=True))
    assert final.home == 1.0 and final.draw == 0.0


def test_hockey_prior_decays() -> None:
    model = load_model("nhl")

    def p(period: int, secs: float, ml: int) -> float:
        return model.probability(
            GameSituation("nhl", 1, 1, period, seconds_left_in_period=secs, home_moneyline=ml, away_moneyline=-ml)
        ).home

    early = p(1, 1100.0, -250) - p(1, 1100.0, 250)
    late = p(3, 30.0, -250) - p(3, 30.0, 250)
    assert early > 0.25 and 0.0 <= late < early / 2
