"""Scoring rules for probability forecasts: Brier score, log loss and calibration error.

All three take the forecast probability of the home team winning and the outcome (1 win, 0 loss, 0.5 for
a tie where the data records one). Calibration error is the expected calibration error over 10 equal-width
bins of the forecast: the state-weighted mean of ``|mean forecast - mean outcome|`` per bin. Soccer also
gets the three-outcome (home/draw/away) Brier score and log loss.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

LOG_EPS = 1e-15


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
