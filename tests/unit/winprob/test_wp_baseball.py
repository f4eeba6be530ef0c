"""Baseball table model: lookup, prior shift and its decay, game-over rules, extra innings."""

from __future__ import annotations

import math

import pytest

from shared.winprob import GameSituation, load_model
from shared.winprob.baseball import BaseballModel, BaseballSpec

CAP = 2


def _spec() -> BaseballSpec:
    rows = {}
    for top in (True, False):
        for inning in range(1, 11):
            for outs in range(3):
                for bases in range(8):
                    z = [
                        0.5 * rd + 0.05 * bases - 0.05 * outs + (0.1 if not top else 0.0) for rd in range(-CAP, CAP + 1)
                    ]
                    rows[(top, inning, outs, bases)] = tuple(z)
    return BaseballSpec("mlb", "t", CAP, rows, (0.3, 0.5, 0.7), (-1.0, 0.0, 1.0), 0.5)


def test_table_lookup_matches_the_cell() -> None:
    model = BaseballModel(_spec())
    st = GameSituation("mlb", 3, 2, 5, top_of_inning=False, outs=1, bases=(True, False, True))
    z = 0.5 * 1 + 0.05 * 5 - 0.05 * 1 + 0.1
    assert model.probability(st).home == pytest.approx(1 / (1 + math.exp(-z)))
    top = GameSituation("mlb", 3, 2, 5, top_of_inning=True, outs=0, bases=0)
    assert model.probability(top).home == pytest.approx(1 / (1 + math.exp(-0.5)))


def test_prior_shift_moves_the_start_and_fades() -> None:
    model = BaseballModel(_spec())
    start = GameSituation("mlb", 0, 0, 1, top_of_inning=True, outs=0, prior_home_prob=0.7)
    neutral = GameSituation("mlb", 0, 0, 1, top_of_inning=True, outs=0)
    z_start = model.raw_logit(start, None) or 0.0
    assert z_start == pytest.approx(0.5 * 1.0)  # one run of shift, slope 0.5 per run
    late = GameSituation("mlb", 2, 2, 9, top_of_inning=False, outs=2, prior_home_prob=0.7)
    late_neutral = GameSituation("mlb", 2, 2, 9, top_of_inning=False, outs=2)
    shift_late = (model.raw_logit(late, None) or 0.0) - (model.raw_logit(late_neutral, None) or 0.0)
    shift_early = z_start - (model.raw_logit(neutral, None) or 0.0)
    assert 0.0 < shift_late < shift_early / 10


def test_game_over_by_rule() -> None:
    model = BaseballModel(_spec())
    walk_off = GameSituation("mlb", 4, 3, 9, top_of_inning=False, outs=1)
    assert model.probability(walk_off).home == 1.0
    home_ahead_after_top_9 = GameSituation("mlb", 4, 3, 9, top_of_inning=True, outs=3)
    assert model.probability(home_ahead_after_top_9).home == 1.0
    visitor_wins = GameSituation("mlb", 3, 4, 9, top_of_inning=False, outs=3)
    assert model.probability(visitor_wins).away == 1.0
    still_on = GameSituation("mlb", 3, 4, 8, top_of_inning=False, outs=3)
    assert 0.0 < model.probability(still_on).home < 1.0


def test_real_table_is_monotone_and_extra_innings_explicit() -> None:
    model = load_model("mlb")
    probs = [
        model.probability(GameSituation("mlb", 3 + m, 3, 7, top_of_inning=True, outs=1)).home for m in range(-4, 5)
    ]
    assert all(b > a for a, b in zip(probs, probs[1:], strict=False))
    first = model.probability(GameSituation("mlb", 0, 0, 1, top_of_inning=True, outs=0)).home
    assert 0.5 < first < 0.58
    bottom_10 = model.probability(GameSituation("mlb", 5, 5, 10, top_of_inning=False, outs=0)).home
    bottom_14 = model.probability(GameSituation("mlb", 5, 5, 14, top_of_inning=False, outs=0)).home
    assert bottom_10 == pytest.approx(bottom_14) and 0.55 < bottom_10 < 0.75
    fav = model.probability(GameSituation("mlb", 0, 0, 1, top_of_inning=True, outs=0, prior_home_prob=0.65)).home
    assert fav == pytest.approx(0.65, abs=0.03)
