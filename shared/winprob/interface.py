"""The model interface every sport implements, and the guards shared by all of them.

Guards: an exact 0/1 (or draw) answer once the game is final, and probabilities bounded away from 0 and 1
while play goes on (the bound is per model, in its artifact).
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from shared.winprob.types import GameSituation, WinProbability


@runtime_checkable
class WinProbModel(Protocol):
    """A pure, I/O-free win-probability model for one sport.

    Attributes
    ----------
    sport
        Sport code the model answers for.
    version
        Model version string (also stamped on every `WinProbability`).
    validated
        Whether the model was measured on real games of this sport (see the artifact's note).
    """

    sport: str
    version: str
    validated: bool

    def probability(self, state: GameSituation) -> WinProbability:
        """Probability of each final result given `state`; pure, microseconds, no I/O."""
        ...

    def prior_probability(self, state: GameSituation) -> float:
        """Home-win probability implied by the pre-game prior fields of `state` alone."""
        ...


def final_result(state: GameSituation, model: str, version: str) -> WinProbability:
    """Exact answer for a finished game: the winner gets 1, a level score is a draw."""
    m = state.home_score - state.away_score
    if m > 0:
        return WinProbability(1.0, 0.0, 0.0, model=model, model_version=version)
    if m < 0:
        return WinProbability(0.0, 1.0, 0.0, model=model, model_version=version)
    return WinProbability(0.0, 0.0, 1.0, model=model, model_version=version)


def two_way(p_home: float, p_min: float, model: str, version: str) -> WinProbability:
    """A two-outcome answer with `p_home` bounded to ``[p_min, 1 - p_min]``."""
    if p_home < p_min:
        p_home = p_min
    elif p_home > 1.0 - p_min:
        p_home = 1.0 - p_min
    return WinProbability(p_home, 1.0 - p_home, 0.0, model=model, model_version=version)


def three_way(home: float, draw: float, away: float, p_min: float, model: str, version: str) -> WinProbability:
    """A three-outcome answer, each probability at least `p_min`, renormalised to sum to 1."""
    home = home if home > p_min else p_min
    draw = draw if draw > p_min else p_min
    away = away if away > p_min else p_min
    s = home + draw + away
    h = home / s
    d = draw / s
    return WinProbability(h, 1.0 - h - d, d, model=model, model_version=version)
