"""Training-time numerics (numpy/scipy): weighted logistic regression and the calibration fit.

Nothing here is imported on the answering path; models only read the plain numbers this produces.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt
from scipy.optimize import minimize

from shared.winprob.calibration import CalibrationMap

Array = npt.NDArray[np.float64]
FAR = 30.0
"""Distance beyond the outer calibration knots where an extra knot continues the last segment's slope."""


def fit_logistic(x: Array, y: Array, w: Array | None = None, ridge: float = 1e-3) -> Array:
    """Weighted logistic regression without intercept (add a column of ones for one).

    Parameters
    ----------
    x
        Design matrix, shape (n, k).
    y
        Outcomes in [0, 1] (0.5 allowed for ties), shape (n,).
    w
        Non-negative weights, shape (n,); ones when ``None``.
    ridge
        L2 penalty per unit of total weight on the coefficients.

    Returns
    -------
    numpy.ndarray
        Coefficients, shape (k,).
    """
    weights = np.ones(len(y)) if w is None else w
    total = float(weights.sum()) or 1.0

    def objective(b: Array) -> tuple[float, Array]:
        z = x @ b
        p = 0.5 * (1.0 + np.tanh(0.5 * z))
        nll = float((weights * (np.logaddexp(0.0, z) - y * z)).sum()) / total
        grad = (x.T @ (weights * (p - y))) / total
        return nll + ridge * float(b @ b), grad + 2.0 * ridge * b

    res: Any = minimize(objective, np.zeros(x.shape[1]), jac=True, method="L-BFGS-B")
    return np.asarray(res.x, dtype=np.float64)


def _map_knots(params: Array, inner: Array, symmetric: bool) -> tuple[Array, Array]:
    slopes = np.exp(params[1:]) if not symmetric else np.exp(params)
    if symmetric:
        xs_pos = np.concatenate([inner, [inner[-1] + FAR]])
        ys_pos = np.concatenate([[0.0], np.cumsum(slopes * np.diff(xs_pos))])
        return np.concatenate([-xs_pos[:0:-1], xs_pos]), np.concatenate([-ys_pos[:0:-1], ys_pos])
    xs = np.concatenate([[inner[0] - FAR], inner, [inner[-1] + FAR]])
    ys = params[0] + np.concatenate([[0.0], np.cumsum(slopes * np.diff(xs))]) - slopes[0] * FAR
    return xs, ys


def fit_calibration(z: Array, y: Array, games: int, symmetric: bool = True, prior_sd: float = 0.2) -> CalibrationMap:
    """Fit the calibration layer on raw log-odds `z` and outcomes `y` (see `shared.winprob.calibration`).

    The map is continuous, piecewise linear and strictly increasing, with knots at quantiles of the raw
    log-odds and a positive slope per segment (parametrised by its logarithm), fitted by maximum
    likelihood with a Gaussian prior pulling it towards the identity. The prior is weighed against the
    number of independent games, not of states (states of one game share its result, so counting them
    would overstate the evidence). With `symmetric` the map is odd
    (``g(-z) = -g(z)``, knots at 0 and at the 50/80/95 % quantiles of ``|z|``); otherwise it has an
    intercept and knots at the 5/25/50/75/95 % quantiles of `z`.

    Parameters
    ----------
    z
        Raw (uncalibrated) log-odds, ideally out-of-fold.
    y
        Outcomes in [0, 1].
    games
        Number of distinct games behind `z` (the effective sample size).
    symmetric
        Two-outcome sports (swapping home and away swaps the answer).
    prior_sd
        Prior standard deviation of each log-slope (and of the intercept) around the identity.
    """
    if symmetric:
        inner = np.concatenate([[0.0], np.quantile(np.abs(z), [0.5, 0.8, 0.95])])
    else:
        inner = np.quantile(z, [0.05, 0.25, 0.5, 0.75, 0.95])
    inner = np.maximum.accumulate(inner + np.arange(len(inner)) * 1e-6)
    n_par = len(inner) if symmetric else len(inner) + 2
    start = np.zeros(n_par)
    if not symmetric:
        start[0] = inner[0]

    def nll(params: Array) -> float:
        xs, ys = _map_knots(params, inner, symmetric)
        g = np.interp(z, xs, ys)
        pen = float(((params - start) ** 2).sum()) / (2.0 * prior_sd**2 * max(games, 1))
        return float((np.logaddexp(0.0, g) - y * g).mean()) + pen

    res: Any = minimize(nll, start, method="Nelder-Mead", options={"xatol": 1e-5, "fatol": 1e-9, "maxiter": 4000})
    xs, ys = _map_knots(np.asarray(res.x, dtype=np.float64), inner, symmetric)
    return CalibrationMap(tuple(float(v) for v in xs), tuple(float(v) for v in ys))


def logloss(p: Array, y: Array) -> float:
    """Mean binary log loss (forecasts clipped to [1e-12, 1 - 1e-12])."""
    q = np.clip(p, 1e-12, 1.0 - 1e-12)
    return float(-(y * np.log(q) + (1.0 - y) * np.log(1.0 - q)).mean())
