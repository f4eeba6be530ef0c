"""Poisson goal model for hockey and soccer.

Each team's goals in the rest of regulation are Poisson with mean

    lambda_team * k * f * exp(gamma_lead or gamma_trail) * red_card_factor ** (opponent red cards)

where ``lambda_team`` is the team's expected regulation goals implied by the pre-game prior (the market
price or de-vigged moneylines are inverted through the same Poisson model, see `shared.winprob.fitting`),
``f`` the share of the game's goals still to come (per-period shares fitted on the training seasons,
uniform within a period), ``k`` a fitted multiplier on the in-game scoring rate and ``gamma_*`` fitted
score-effects (a trailing team attacks more: Dixon & Robinson 1998, "A birth process model for association
football matches", The Statistician 47). The final margin is the current margin plus the difference of the
two Poisson counts.

Hockey: a regulation tie goes to overtime, won by the home team with probability
``0.5 + ot_tilt * (prior - 0.5)`` (``ot_tilt`` fitted on the training seasons). Inside the regular-season
overtime (period 4) the rest is sudden death at ``ot_goal_rate`` goals per second, then a 50/50
shoot-out; the overtime rate is an assumption (about 60 % of 3-on-3 overtimes end before the shoot-out),
not validated here. Pulled-goalie effects are not modelled.

Soccer: the answer is the regular-time (1X2) result, with draws. A red card multiplies the opponent's
scoring rate by ``red_card_factor`` = 1.88 (Ridder, Cramer & Hopstaken 1994, "Down to ten: estimating the
effect of a red card in soccer", JASA 89: +88 % for the eleven, no change for the ten); the half-time data
here cannot test it, so it is unvalidated. A state in extra time (period 3+) is past regular time and is
answered from the current score.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from shared.winprob.calibration import CalibrationLayer
from shared.winprob.interface import final_result, three_way, two_way
from shared.winprob.leagues import LeagueClock, clock_for, seconds_left
from shared.winprob.mathutil import poisson_pmf, sigmoid
from shared.winprob.poisson_prior import PoissonPrior
from shared.winprob.types import GameSituation, WinProbability

FAMILY = "poisson"


@dataclass(frozen=True, slots=True)
class PoissonSpec:
    """Fitted parameters of a `PoissonModel`.

    Parameters
    ----------
    sport, version
        Sport code and model version.
    period_shares
        Share of regulation goals scored in each regulation period (sums to 1).
    rate_mult
        Multiplier ``k`` on the remaining scoring rate.
    gamma_lead, gamma_trail
        Log-multipliers on the leading and trailing team's rate while the score is not level.
    prior
        Inversion of pre-game probabilities into expected goals.
    draws
        ``True`` for soccer (draw is a result); ``False`` for hockey (overtime).
    ot_tilt, ot_goal_rate
        Hockey overtime parameters (see module docstring).
    red_card_factor
        Opponent rate multiplier per red card.
    stoppage_fraction
        Minimum remaining goal share while play goes on (stoppage time).
    calibration, p_min, validated
        Calibration layer on log-odds (time axis: share of regulation goals still to come), probability
        bound in play, validation flag.
    """

    sport: str
    version: str
    period_shares: tuple[float, ...]
    rate_mult: float
    gamma_lead: float
    gamma_trail: float
    prior: PoissonPrior
    draws: bool
    ot_tilt: float = 0.0
    ot_goal_rate: float = 0.0
    red_card_factor: float = 1.0
    stoppage_fraction: float = 0.0
    calibration: CalibrationLayer = CalibrationLayer()
    p_min: float = 1e-3
    validated: bool = True


def outcome_probs(lam_h: float, lam_a: float, margin: int) -> tuple[float, float]:
    """P(home finishes ahead), P(level) when goals to come are Poisson(`lam_h`), Poisson(`lam_a`)."""
    top = lam_h if lam_h > lam_a else lam_a
    n = int(top + 5.0 * math.sqrt(top) + 7.0)
    ph = poisson_pmf(lam_h, n)
    pa = poisson_pmf(lam_a, n)
    cdf = []
    acc = 0.0
    for q in pa:
        acc += q
        cdf.append(acc)
    win = 0.0
    level = 0.0
    for i, p in enumerate(ph):
        j = i + margin
        if j >= n + 1:
            win += p
            continue
        if j >= 1:
            win += p * cdf[j - 1]
        if 0 <= j < n:
            level += p * pa[j]
    return win, level


class PoissonModel:
    """Poisson goal model (see module docstring)."""

    def __init__(self, spec: PoissonSpec) -> None:
        self.spec = spec
        self.sport = spec.sport
        self.version = spec.version
        self.validated = spec.validated
        self._clock: LeagueClock = clock_for(spec.sport)
        shares = spec.period_shares
        self._after = tuple(sum(shares[i + 1 :]) for i in range(len(shares)))
        self._name = f"{spec.sport}-{FAMILY}"

    def prior_probability(self, state: GameSituation) -> float:
        """Home-win probability implied by the pre-game prior fields of `state` alone."""
        return self.spec.prior.home_prob(state)

    def remaining_share(self, state: GameSituation) -> float:
        """Share of regulation goals still to come (0 once regulation time is up)."""
        c = self._clock
        idx = state.period - 1
        if idx >= c.periods:
            return 0.0
        left = state.seconds_left_in_period
        if left is None:
            if state.game_seconds_left is not None:
                return self._share_from_game_seconds(state.game_seconds_left)
            left = c.period_seconds
        left = min(max(left, 0.0), c.period_seconds)
        return self._after[idx] + self.spec.period_shares[idx] * left / c.period_seconds

    def _share_from_game_seconds(self, game_left: float) -> float:
        c = self._clock
        elapsed = c.regulation_seconds - min(max(game_left, 0.0), c.regulation_seconds)
        idx = min(int(elapsed // c.period_seconds), c.periods - 1)
        into = elapsed - idx * c.period_seconds
        return self._after[idx] + self.spec.period_shares[idx] * (1.0 - into / c.period_seconds)

    def expected_goals_left(self, state: GameSituation, share: float) -> tuple[float, float]:
        """Expected (home, away) goals in the rest of regulation."""
        s = self.spec
        lam_h, lam_a = s.prior.expected_goals(state)
        m = state.home_score - state.away_score
        k = s.rate_mult * share
        lam_h *= k
        lam_a *= k
        if m > 0:
            lam_h *= math.exp(s.gamma_lead)
            lam_a *= math.exp(s.gamma_trail)
        elif m < 0:
            lam_h *= math.exp(s.gamma_trail)
            lam_a *= math.exp(s.gamma_lead)
        if state.away_red_cards:
            lam_h *= s.red_card_factor ** min(state.away_red_cards, 3)
        if state.home_red_cards:
            lam_a *= s.red_card_factor ** min(state.home_red_cards, 3)
        return lam_h, lam_a

    def probability(self, state: GameSituation) -> WinProbability:
        """Probability of each result given `state`; exact once final."""
        if state.is_final or (self.spec.draws and state.period > self._clock.periods):
            return final_result(state, self._name, self.version)
        if not self.spec.draws and state.period > self._clock.periods:
            return self._overtime(state)
        share = self.remaining_share(state)
        if share < self.spec.stoppage_fraction:
            share = self.spec.stoppage_fraction
        m = state.home_score - state.away_score
        if share <= 0.0 and not self.spec.draws:
            if m == 0:
                return self._overtime(state, self._clock.overtime_seconds)
            return two_way(1.0 if m > 0 else 0.0, self.spec.p_min, self._name, self.version)
        lam_h, lam_a = self.expected_goals_left(state, share)
        win, level = outcome_probs(lam_h, lam_a, m)
        cal = self.spec.calibration
        if self.spec.draws:
            loss = 1.0 - win - level
            h = sigmoid(cal(_logit(win), share))
            a = sigmoid(cal(_logit(loss), share))
            return three_way(h, max(1.0 - h - a, 0.0), a, self.spec.p_min, self._name, self.version)
        p = win + level * self._ot_start(state)
        return two_way(sigmoid(cal(_logit(p), share)), self.spec.p_min, self._name, self.version)

    def _ot_start(self, state: GameSituation) -> float:
        return 0.5 + self.spec.ot_tilt * (self.spec.prior.home_prob(state) - 0.5)

    def _overtime(self, state: GameSituation, secs: float | None = None) -> WinProbability:
        s = self.spec
        m = state.home_score - state.away_score
        if m != 0:
            return final_result(state, self._name, self.version)
        if secs is None:
            secs, _ = seconds_left(state, self._clock)
        full = 1.0 - math.exp(-s.ot_goal_rate * self._clock.overtime_seconds)
        q = 0.5 + (self._ot_start(state) - 0.5) / full if full > 0.0 else 0.5
        q = min(max(q, 0.02), 0.98)
        decided = 1.0 - math.exp(-s.ot_goal_rate * secs)
        return two_way(q * decided + 0.5 * (1.0 - decided), s.p_min, self._name, self.version)


def _logit(p: float) -> float:
    p = min(max(p, 1e-12), 1.0 - 1e-12)
    return math.log(p / (1.0 - p))


def spec_from_json(raw: Mapping[str, Any]) -> PoissonSpec:
    """Build a `PoissonSpec` from an artifact mapping (see `shared.winprob.registry`)."""
    p = raw["parameters"]
    return PoissonSpec(
        sport=str(raw["sport"]),
        version=str(raw["model_version"]),
        period_shares=tuple(float(x) for x in p["period_shares"]),
        rate_mult=float(p["rate_mult"]),
        gamma_lead=float(p["gamma_lead"]),
        gamma_trail=float(p["gamma_trail"]),
        prior=PoissonPrior.from_json(raw["prior"]),
        draws=bool(p["draws"]),
        ot_tilt=float(p.get("ot_tilt", 0.0)),
        ot_goal_rate=float(p.get("ot_goal_rate", 0.0)),
        red_card_factor=float(p.get("red_card_factor", 1.0)),
        stoppage_fraction=float(p.get("stoppage_fraction", 0.0)),
        calibration=CalibrationLayer.from_json(raw.get("calibration")),
        p_min=float(raw["bounds"]["p_min"]),
        validated=bool(raw["validated"]),
    )
