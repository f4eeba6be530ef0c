"""Margin model for basketball and American football: a time-interacted logistic regression.

The home team's log-odds of winning are

    z = b_m(tau) * (margin + possession) / sqrt(tau + tau0)
      + b_p(tau) * L * tau / sqrt(tau + tau0)
      + b_t(tau) * (home_timeouts - away_timeouts) / sqrt(tau + tau0)

where ``tau`` is the fraction of regulation left, ``L`` the pre-game prior log-odds (see
`shared.winprob.priors`) and the coefficients are fitted at knots in ``tau`` and linearly interpolated
between them. The scaled features are those of a Brownian-motion model of the margin (Stern 1994,
"A Brownian motion model for the progress of sports scores", JASA 89): the current margin counts more and
the prior less as time runs out, so coefficients are nearly constant in ``tau`` and can be held constant
below the last knot. Windowed logistic regressions of this kind are the published anchors in the data
README (Benz 2019 for NCAAB, Elhabr for NBA). A calibration layer follows (`shared.winprob.calibration`;
the identity where out-of-fold evidence does not support a map), then bounds.

Overtime is explicit: in an overtime period ``tau`` is the overtime time left as a fraction of regulation
(the model answers as if that much regulation were left), and a tie with no regulation time left is the
start of overtime. Possession, where given, shifts the margin by a published value (see `football` and the
artifact's ``possession`` block) and is unvalidated.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from shared.winprob.calibration import CalibrationLayer
from shared.winprob.football import expected_points
from shared.winprob.interface import final_result, two_way
from shared.winprob.leagues import LeagueClock, clock_for, seconds_left
from shared.winprob.mathutil import sigmoid
from shared.winprob.priors import prior_logit
from shared.winprob.types import GameSituation, WinProbability

FAMILY = "knot_logit"


@dataclass(frozen=True, slots=True)
class KnotLogitSpec:
    """Fitted parameters of a `KnotLogitModel` (plain floats and tuples).

    Parameters
    ----------
    sport, version
        Sport code and model version.
    knots
        Fractions of regulation left at which coefficients are fitted, strictly increasing.
    margin_coef, prior_coef, timeout_coef
        Coefficients at each knot.
    tau0
        Offset (fraction of regulation) that keeps the scaled features finite at the buzzer.
    spread_sigma
        Final-margin standard deviation (points) mapping a spread to a prior, used when no price or
        moneyline is given (see `shared.winprob.priors.prior_logit`).
    default_logit
        Prior log-odds when the situation has no prior at all.
    possession_kind
        ``"none"``, ``"points"`` (basketball: ``possession_points`` added for the team with the ball) or
        ``"football_ep"`` (expected points of the team with the ball, see `shared.winprob.football`).
    possession_points
        Points credited for possession when ``possession_kind == "points"``.
    margin_scale
        Multiplier on the margin before the features are built (1 for fitted sports; a published
        scoring-volatility ratio for derived sports).
    calibration
        Layer applied to the log-odds, on the time axis ``tau`` (see `shared.winprob.calibration`).
    p_min
        Bound on each probability while play goes on.
    validated
        Whether the model was measured on games of this sport.
    """

    sport: str
    version: str
    knots: tuple[float, ...]
    margin_coef: tuple[float, ...]
    prior_coef: tuple[float, ...]
    timeout_coef: tuple[float, ...]
    tau0: float
    spread_sigma: float
    default_logit: float
    possession_kind: str = "none"
    possession_points: float = 0.0
    margin_scale: float = 1.0
    calibration: CalibrationLayer = CalibrationLayer()
    p_min: float = 1e-3
    validated: bool = True


class KnotLogitModel:
    """Time-interacted logistic win-probability model (see module docstring)."""

    def __init__(self, spec: KnotLogitSpec) -> None:
        self.spec = spec
        self.sport = spec.sport
        self.version = spec.version
        self.validated = spec.validated
        self._clock: LeagueClock = clock_for(spec.sport)
        self._reg = self._clock.regulation_seconds
        self._ot_tau = self._clock.overtime_seconds / self._reg
        self._rows = tuple(zip(spec.margin_coef, spec.prior_coef, spec.timeout_coef, strict=True))
        self._use_timeouts = any(c != 0.0 for c in spec.timeout_coef)
        self._name = f"{spec.sport}-{FAMILY}"

    def prior_probability(self, state: GameSituation) -> float:
        """Home-win probability of the prior alone (price, de-vigged moneylines or mapped spread)."""
        return sigmoid(prior_logit(state, self.spec.spread_sigma, self.spec.default_logit))

    def coefficients(self, tau: float) -> tuple[float, float, float]:
        """Interpolated (margin, prior, timeout) coefficients at `tau`."""
        knots = self.spec.knots
        i = bisect_right(knots, tau)
        if i == 0:
            return self._rows[0]
        if i >= len(knots):
            return self._rows[-1]
        k0 = knots[i - 1]
        w = (tau - k0) / (knots[i] - k0)
        a = self._rows[i - 1]
        b = self._rows[i]
        return (a[0] + w * (b[0] - a[0]), a[1] + w * (b[1] - a[1]), a[2] + w * (b[2] - a[2]))

    def raw_logit(self, state: GameSituation) -> float | None:
        """Log-odds before calibration, or ``None`` when regulation is over and the game is decided."""
        raw = self.raw_logit_and_tau(state)
        return None if raw is None else raw[0]

    def raw_logit_and_tau(self, state: GameSituation) -> tuple[float, float] | None:
        """Log-odds before calibration and the time axis ``tau`` they were computed at (see `raw_logit`)."""
        s = self.spec
        secs, _ = seconds_left(state, self._clock)
        tau = secs / self._reg
        m = float(state.home_score - state.away_score)
        if tau <= 0.0:
            if m != 0.0:
                return None
            tau = self._ot_tau
        if state.possession is not None and s.possession_kind != "none":
            m += self._possession(state)
        root = math.sqrt(tau + s.tau0)
        bm, bp, bt = self.coefficients(tau)
        z = bm * m * s.margin_scale / root + bp * prior_logit(state, s.spread_sigma, s.default_logit) * tau / root
        if self._use_timeouts and state.home_timeouts is not None and state.away_timeouts is not None:
            z += bt * (state.home_timeouts - state.away_timeouts) / root
        return z, tau

    def probability(self, state: GameSituation) -> WinProbability:
        """Probability of a home win, an away win (no draws) given `state`; exact once final."""
        if state.is_final:
            return final_result(state, self._name, self.version)
        raw = self.raw_logit_and_tau(state)
        if raw is None:
            p = 1.0 if state.home_score > state.away_score else 0.0
        else:
            p = sigmoid(self.spec.calibration(raw[0], raw[1]))
        return two_way(p, self.spec.p_min, self._name, self.version)

    def _possession(self, state: GameSituation) -> float:
        sign = 1.0 if state.possession == "home" else -1.0 if state.possession == "away" else 0.0
        if self.spec.possession_kind == "points":
            return sign * self.spec.possession_points
        return sign * expected_points(state.down, state.distance, state.yards_to_goal)


def spec_from_json(raw: Mapping[str, Any]) -> KnotLogitSpec:
    """Build a `KnotLogitSpec` from an artifact mapping (see `shared.winprob.registry`)."""
    coefs = raw["coefficients"]
    knots = tuple(float(k) for k in raw["knots_tau"])
    zeros = tuple(0.0 for _ in knots)
    poss = raw.get("possession", {})
    return KnotLogitSpec(
        sport=str(raw["sport"]),
        version=str(raw["model_version"]),
        knots=knots,
        margin_coef=tuple(float(c) for c in coefs["margin"]),
        prior_coef=tuple(float(c) for c in coefs["prior"]),
        timeout_coef=tuple(float(c) for c in coefs.get("timeouts", zeros)),
        tau0=float(raw["tau0"]),
        spread_sigma=float(raw["prior"]["spread_sigma"]),
        default_logit=float(raw["prior"]["default_logit"]),
        possession_kind=str(poss.get("kind", "none")),
        possession_points=float(poss.get("points", 0.0)),
        margin_scale=float(raw.get("margin_scale", 1.0)),
        calibration=CalibrationLayer.from_json(raw.get("calibration")),
        p_min=float(raw["bounds"]["p_min"]),
        validated=bool(raw["validated"]),
    )
