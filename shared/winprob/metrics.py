"""Scoring rules for probability forecasts: Brier score, log loss and calibration error.

All three take the forecast probability of the home team winning and the outcome (1 win, 0 loss, 0.5 for
a tie where the data records one). Calibration error is the expected calibration error over 10 equal-width
bins of the forecast: the state-weighted mean of ``|mean forecast - mean outcome|`` per bin. Soccer also
gets the three-outcome (home/draw/away) Brier score and log loss.

The calibration error of a finite sample is never zero, even for a perfect forecaster. Its noise floor
(`calibration_noise_floor`) is the calibration error a perfectly calibrated forecaster with the same
forecasts would show on the same number of states: outcomes are simulated as ``Bernoulli(p)`` from the
forecasts themselves, many times. States of one game share its one result, so by default the draws are
game-clustered: one uniform number ``u`` per game and ``y = 1 if u < p`` for each of its states (every
state keeps its ``Bernoulli(p)`` margin, and a game's states move together as real ones do). The
independent-states floor (a fresh draw per state) is reported beside it; it understates the noise when a
game contributes many states (play-by-play) and equals the clustered one with one state per game.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Sequence

import numpy as np

LOG_EPS = 1e-15
NOISE_DRAWS = 200
"""Simulated outcome sets behind each noise floor."""


def brier(p: Sequence[float], y: Sequence[float]) -> float:
    """Mean squared error of the forecasts `p` against outcomes `y`."""
    _check(p, y)
    return sum((a - b) ** 2 for a, b in zip(p, y, strict=True)) / len(p)


def log_loss(p: Sequence[float], y: Sequence[float]) -> float:
    """Mean negative log-likelihood (natural log); forecasts clipped to ``[1e-15, 1 - 1e-15]``."""
    _check(p, y)
    total = 0.0
    for a, b in zip(p, y, strict=True):
        a = min(max(a, LOG_EPS), 1.0 - LOG_EPS)
        total -= b * math.log(a) + (1.0 - b) * math.log(1.0 - a)
    return total / len(p)


def calibration_error(p: Sequence[float], y: Sequence[float], bins: int = 10) -> float:
    """Expected calibration error over `bins` equal-width bins of the forecast."""
    _check(p, y)
    n = [0] * bins
    sp = [0.0] * bins
    sy = [0.0] * bins
    for a, b in zip(p, y, strict=True):
        i = min(int(a * bins), bins - 1)
        n[i] += 1
        sp[i] += a
        sy[i] += b
    return sum(abs(sp[i] - sy[i]) for i in range(bins) if n[i]) / len(p)


def multiclass_scores(probs: Sequence[tuple[float, float, float]], outcomes: Sequence[int]) -> dict[str, float]:
    """Three-outcome Brier score (sum over outcomes) and log loss.

    Parameters
    ----------
    probs
        (home, draw, away) forecasts.
    outcomes
        Index of the result: 0 home win, 1 draw, 2 away win.
    """
    if len(probs) != len(outcomes) or not probs:
        raise ValueError("forecasts and outcomes must be non-empty and of equal length")
    b = 0.0
    ll = 0.0
    for pr, o in zip(probs, outcomes, strict=True):
        b += sum((pr[k] - (1.0 if k == o else 0.0)) ** 2 for k in range(3))
        ll -= math.log(min(max(pr[o], LOG_EPS), 1.0))
    return {"brier_3way": b / len(probs), "log_loss_3way": ll / len(probs)}


def calibration_noise_floor(
    p: Sequence[float],
    groups: Sequence[Hashable] | None = None,
    draws: int = NOISE_DRAWS,
    bins: int = 10,
    seed: int = 0,
) -> dict[str, float]:
    """Calibration error of a perfectly calibrated forecaster with forecasts `p` (see module docstring).

    Parameters
    ----------
    p
        Forecasts of the home team winning.
    groups
        Game of each forecast; states of one game share one uniform draw. ``None``: independent states.
    draws
        Simulated outcome sets.
    bins
        Equal-width bins, as in `calibration_error`.
    seed
        Seed of the simulation (the result is deterministic for a given seed).

    Returns
    -------
    dict
        ``mean`` and ``p95`` (95th percentile) of the simulated calibration errors, rounded to 5 decimals.
    """
    if not p:
        raise ValueError("forecasts must be non-empty")
    q = np.asarray(p, dtype=np.float64)
    b = np.minimum((q * bins).astype(np.int64), bins - 1)
    if groups is None:
        idx = np.arange(len(q))
    else:
        _, idx = np.unique(np.asarray([str(g) for g in groups]), return_inverse=True)
    rng = np.random.default_rng(seed)
    out = np.empty(draws)
    for k in range(draws):
        u = rng.random(int(idx.max()) + 1)[idx]
        gap = np.bincount(b, weights=q - (u < q), minlength=bins)
        out[k] = np.abs(gap).sum() / len(q)
    return {"mean": round(float(out.mean()), 5), "p95": round(float(np.quantile(out, 0.95)), 5)}


def noise_floors(p: Sequence[float], groups: Sequence[Hashable] | None) -> dict[str, float]:
    """Game-clustered and independent-states noise floors of the calibration error, side by side."""
    clustered = calibration_noise_floor(p, groups)
    independent = calibration_noise_floor(p) if groups is not None else clustered
    return {
        "mean": clustered["mean"],
        "p95": clustered["p95"],
        "independent_mean": independent["mean"],
        "independent_p95": independent["p95"],
    }


def scores(p: Sequence[float], y: Sequence[float]) -> dict[str, float]:
    """Brier score, log loss and calibration error, rounded to 5 decimals."""
    return {
        "brier": round(brier(p, y), 5),
        "log_loss": round(log_loss(p, y), 5),
        "calibration_error": round(calibration_error(p, y), 5),
    }


def _check(p: Sequence[float], y: Sequence[float]) -> None:
    if len(p) != len(y) or not p:
        raise ValueError("forecasts and outcomes must be non-empty and of equal length")
