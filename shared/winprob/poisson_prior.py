"""Pre-game prior of the Poisson goal model: probabilities in, expected goals per team out.

The inversion is precomputed at training time (`shared.winprob.fitting.poisson_prior_tables`) and stored
in the artifact as plain tables, so answering needs only a bisection and an interpolation:

- two-way prior (hockey moneylines include overtime): knots mapping P(home wins) to the supremacy ``d``
  with ``lambda_home = T/2 * exp(d)`` and ``lambda_away = T/2 * exp(-d)``, ``T`` the league's regulation
  goals per game;
- three-way prior (soccer 1X2): a grid over ``u = P(home) - P(away)`` and ``v = P(draw)`` holding
  ``log lambda_home`` and ``log lambda_away`` that reproduce both probabilities under independent Poisson
  goals; a missing draw price is filled from a quadratic in P(home) fitted on the training seasons;
- a goal spread (``home_spread``) gives ``lambda = (T +/- spread) / 2``;
- no prior: the league's average home/draw probabilities.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from shared.winprob.mathutil import interp
from shared.winprob.priors import devig_three_way, market_home_prob
from shared.winprob.types import GameSituation

_MIN_GOALS = 0.02


def _bracket(axis: tuple[float, ...], x: float) -> tuple[int, float]:
    i = bisect_right(axis, x) - 1
    if i < 0:
        return 0, 0.0
    if i >= len(axis) - 1:
        return len(axis) - 2, 1.0
    return i, (x - axis[i]) / (axis[i + 1] - axis[i])


@dataclass(frozen=True, slots=True)
class PoissonPrior:
    """Tables that turn a pre-game prior into expected regulation goals (see module docstring)."""

    total_goals: float
    default_home: float
    default_draw: float = 0.0
    two_way_p: tuple[float, ...] = ()
    two_way_sup: tuple[float, ...] = ()
    grid_u: tuple[float, ...] = ()
    grid_v: tuple[float, ...] = ()
    grid_log_home: tuple[tuple[float, ...], ...] = ()
    grid_log_away: tuple[tuple[float, ...], ...] = ()
    draw_curve: tuple[float, float, float] = (0.0, 0.0, 0.0)

    def probabilities(self, state: GameSituation) -> tuple[float, float] | None:
        """Pre-game (home, draw) probabilities from price or moneylines, else ``None``."""
        p = market_home_prob(state)
        if p is None:
            return None
        if not self.grid_u:
            return p, 0.0
        if state.prior_draw_prob is not None:
            return p, state.prior_draw_prob
        h, d, a = state.home_moneyline, state.draw_moneyline, state.away_moneyline
        if state.prior_home_prob is None and h is not None and d is not None and a is not None:
            return p, devig_three_way(h, d, a)[1]
        c0, c1, c2 = self.draw_curve
        return p, min(max(c0 + c1 * p + c2 * p * p, 0.05), 0.45)

    def expected_goals(self, state: GameSituation) -> tuple[float, float]:
        """Expected regulation goals (home, away) implied by the prior of `state`."""
        probs = self.probabilities(state)
        if probs is None:
            if state.home_spread is not None:
                t = self.total_goals
                s = min(max(state.home_spread, -t + _MIN_GOALS), t - _MIN_GOALS)
                return (t + s) / 2.0, (t - s) / 2.0
            probs = (self.default_home, self.default_draw)
        return self.goals_for(probs[0], probs[1])

    def goals_for(self, p_home: float, p_draw: float) -> tuple[float, float]:
        """Expected regulation goals (home, away) for pre-game probabilities."""
        if self.grid_u:
            u = 2.0 * p_home + p_draw - 1.0
            iu, wu = _bracket(self.grid_u, u)
            iv, wv = _bracket(self.grid_v, p_draw)
            return math.exp(_bilinear(self.grid_log_home, iu, wu, iv, wv)), math.exp(
                _bilinear(self.grid_log_away, iu, wu, iv, wv)
            )
        d = interp(self.two_way_p, self.two_way_sup, p_home)
        half = self.total_goals / 2.0
        return half * math.exp(d), half * math.exp(-d)

    def home_prob(self, state: GameSituation) -> float:
        """Pre-game home-win probability (the market's when given, else the league default)."""
        probs = self.probabilities(state)
        return probs[0] if probs is not None else self.default_home

    def to_json(self) -> dict[str, Any]:
        """JSON-ready mapping (see `from_json`)."""
        return {
            "total_goals": round(self.total_goals, 6),
            "default_home": round(self.default_home, 6),
            "default_draw": round(self.default_draw, 6),
            "two_way_p": [round(x, 6) for x in self.two_way_p],
            "two_way_sup": [round(x, 6) for x in self.two_way_sup],
            "grid_u": [round(x, 6) for x in self.grid_u],
            "grid_v": [round(x, 6) for x in self.grid_v],
            "grid_log_home": [[round(x, 5) for x in row] for row in self.grid_log_home],
            "grid_log_away": [[round(x, 5) for x in row] for row in self.grid_log_away],
            "draw_curve": [round(x, 6) for x in self.draw_curve],
        }

    @classmethod
    def from_json(cls, raw: Mapping[str, Any]) -> PoissonPrior:
        """Build from an artifact's ``prior`` block."""
        curve = [float(x) for x in raw.get("draw_curve", (0.0, 0.0, 0.0))]
        return cls(
            total_goals=float(raw["total_goals"]),
            default_home=float(raw["default_home"]),
            default_draw=float(raw.get("default_draw", 0.0)),
            two_way_p=tuple(float(x) for x in raw.get("two_way_p", ())),
            two_way_sup=tuple(float(x) for x in raw.get("two_way_sup", ())),
            grid_u=tuple(float(x) for x in raw.get("grid_u", ())),
            grid_v=tuple(float(x) for x in raw.get("grid_v", ())),
            grid_log_home=tuple(tuple(float(x) for x in row) for row in raw.get("grid_log_home", ())),
            grid_log_away=tuple(tuple(float(x) for x in row) for row in raw.get("grid_log_away", ())),
            draw_curve=(curve[0], curve[1], curve[2]),
        )


def _bilinear(grid: tuple[tuple[float, ...], ...], iu: int, wu: float, iv: int, wv: float) -> float:
    r0 = grid[iu]
    r1 = grid[iu + 1]
    a = r0[iv] + wv * (r0[iv + 1] - r0[iv])
    b = r1[iv] + wv * (r1[iv + 1] - r1[iv])
    return a + wu * (b - a)
