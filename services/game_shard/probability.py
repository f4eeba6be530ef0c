"""Win probability for the first paper trade: a margin random walk around the expected margin.

Until the calibrated per-sport models are wired in, P(home wins) is the normal approximation used by
Stern (1994, "A Brownian motion model for the progress of sports scores", JASA 89:1128-1134): the
final margin is the current margin plus the expected margin for the time left plus noise whose
variance scales with the time left,

    P(home) = Phi((margin + spread * tau) / (sigma * sqrt(tau))),   tau = fraction of the game left,

with ``spread`` the pre-game expected home margin and ``sigma`` the standard deviation of the final
margin for the sport. At tau = 0 the result is exact (1, 0, or 0.5 for a tie). Probabilities in play
are clamped to [0.001, 0.999].
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from shared.messages import GameStateUpdated

MODEL_NAME = "margin_random_walk"
MODEL_VERSION = "0.1.0"


@dataclass(frozen=True, slots=True)
class ClockSpec:
    """Regulation length and final-margin spread of a sport."""

    periods: int
    period_seconds: float
    sigma_points: float


CLOCKS: dict[str, ClockSpec] = {
    "nba": ClockSpec(4, 720, 13.0),
    "wnba": ClockSpec(4, 600, 12.0),
    "ncaab": ClockSpec(2, 1200, 11.0),
    "nfl": ClockSpec(4, 900, 13.5),
    "cfb": ClockSpec(4, 900, 15.0),
    "nhl": ClockSpec(3, 1200, 2.3),
    "soccer": ClockSpec(2, 2700, 1.7),
    "mlb": ClockSpec(9, 1, 4.4),
}


def fraction_left(state: GameStateUpdated, spec: ClockSpec) -> float:
    """Share of regulation time left (0 in overtime's last second, never negative)."""
    if state.status == "pre":
        return 1.0
    if state.status == "post":
        return 0.0
    total = spec.periods * spec.period_seconds
    period = max(1, state.period)
    clock = state.clock_seconds if state.clock_seconds is not None else spec.period_seconds
    if state.sport == "soccer":
        elapsed = min(clock, total)
        return max(0.0, (total - elapsed) / total)
    if period > spec.periods:
        return max(clock, 1.0) / total
    left = (spec.periods - period) * spec.period_seconds + min(clock, spec.period_seconds)
    return max(0.0, left / total)


def home_win_probability(state: GameStateUpdated) -> float:
    """P(home wins) under the random-walk model."""
    spec = CLOCKS[state.sport]
    margin = state.home_score - state.away_score
    tau = fraction_left(state, spec)
    if tau <= 0.0 or (state.status == "post"):
        return 1.0 if margin > 0 else 0.0 if margin < 0 else 0.5
    spread = state.home_spread or 0.0
    z = (margin + spread * tau) / (spec.sigma_points * math.sqrt(tau))
    p = 0.5 * (1.0 + math.erf(z / math.sqrt(2.0)))
    return min(0.999, max(0.001, p))
