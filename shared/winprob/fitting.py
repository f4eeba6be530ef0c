"""Training-time numerics (numpy/scipy): weighted logistic regression, calibration fit and selection.

Nothing here is imported on the answering path; models only read the plain numbers this produces.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy.optimize import minimize

from shared.winprob.calibration import GLOBAL, IDENTITY, TIME_BANDS, CalibrationLayer, CalibrationMap

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


MIN_BAND_STATES = 200
"""A time band needs at least this many out-of-fold states to get its own map."""
MAX_CALIBRATION_STATES = 150_000
"""Out-of-fold states used for calibration; longer series (play-by-play) are thinned evenly."""


@dataclass(frozen=True, slots=True)
class OutOfFold:
    """Out-of-fold raw log-odds of training states, for fitting and choosing the calibration layer.

    Parameters
    ----------
    z
        Raw log-odds from a model fitted without the state's fold.
    y
        Outcomes in [0, 1].
    t
        The model's time axis at each state (see `shared.winprob.calibration`).
    fold
        Fold index of each state (a season, or a block of dates).
    game
        Game index of each state (states of one game are not independent).
    """

    z: Array
    y: Array
    t: Array
    fold: npt.NDArray[np.int64]
    game: npt.NDArray[np.int64]

    @classmethod
    def from_rows(cls, rows: Sequence[tuple[float, float, float, int, str]]) -> OutOfFold:
        """Build from ``(z, y, t, fold, game_id)`` rows."""
        games: dict[str, int] = {}
        gidx = [games.setdefault(r[4], len(games)) for r in rows]
        a = np.array([r[:3] for r in rows], dtype=np.float64).reshape(-1, 3)
        return cls(a[:, 0], a[:, 1], a[:, 2], np.array([r[3] for r in rows], dtype=np.int64), np.array(gidx))

    def take(self, sel: npt.NDArray[Any]) -> OutOfFold:
        """The rows selected by a boolean mask or an index array."""
        return OutOfFold(self.z[sel], self.y[sel], self.t[sel], self.fold[sel], self.game[sel])

    @property
    def games(self) -> int:
        """Number of distinct games."""
        return len(np.unique(self.game))


def apply_layer(layer: CalibrationLayer, z: Array, t: Array) -> Array:
    """Vectorised `CalibrationLayer`: the same answers as calling it state by state.

    Parameters
    ----------
    layer
        The calibration layer.
    z, t
        Raw log-odds and time-axis values, same shape.
    """
    if not layer.maps:
        return z.copy()
    outs = [_apply_map(m, z) for m in layer.maps]
    if len(outs) == 1 or not layer.centers:
        return outs[0]
    centers = np.array(layer.centers)
    eye = np.eye(len(centers))
    return np.asarray(sum(np.interp(t, centers, eye[i]) * o for i, o in enumerate(outs)), dtype=np.float64)


def _apply_map(m: CalibrationMap, z: Array) -> Array:
    if not m.xs:
        return z.copy()
    xs, ys = np.array(m.xs), np.array(m.ys)
    out = np.interp(z, xs, ys)
    out = np.where(z < xs[0], ys[0] + (z - xs[0]), out)
    return np.asarray(np.where(z > xs[-1], ys[-1] + (z - xs[-1]), out), dtype=np.float64)


def fit_layer(kind: str, oof: OutOfFold, band_edges: Sequence[float], symmetric: bool) -> CalibrationLayer:
    """Fit a calibration layer of `kind` (identity, global or time bands) on out-of-fold log-odds.

    Time bands are ``[edge_i, edge_i+1)`` of the time axis; a band with fewer than `MIN_BAND_STATES`
    states is dropped (its neighbours' maps cover it), and with fewer than two bands left the layer is
    one global map. Band centres are the mean time-axis value of each band's states.

    Parameters
    ----------
    kind
        ``"identity"``, ``"global"`` or ``"time_bands"``.
    oof
        Out-of-fold log-odds, outcomes and time axis.
    band_edges
        Time-band edges, increasing.
    symmetric
        Odd maps (two-outcome sports); see `fit_calibration`.
    """
    if kind == IDENTITY or len(oof.z) == 0:
        return CalibrationLayer()
    if kind == TIME_BANDS:
        centers: list[float] = []
        maps: list[CalibrationMap] = []
        for lo, hi in zip(band_edges[:-1], band_edges[1:], strict=True):
            sel = (oof.t >= lo) & (oof.t < hi)
            if sel.sum() >= MIN_BAND_STATES:
                part = oof.take(sel)
                centers.append(float(part.t.mean()))
                maps.append(fit_calibration(part.z, part.y, part.games, symmetric))
        if len(maps) >= 2:
            return CalibrationLayer(tuple(centers), tuple(maps))
    return CalibrationLayer((), (fit_calibration(oof.z, oof.y, oof.games, symmetric),))


def _nested_losses(kind: str, oof: OutOfFold, band_edges: Sequence[float], symmetric: bool) -> Array:
    losses = np.empty(len(oof.z))
    for f in np.unique(oof.fold):
        held = oof.fold == f
        layer = fit_layer(kind, oof.take(~held), band_edges, symmetric)
        part = oof.take(held)
        p = np.clip(0.5 * (1.0 + np.tanh(0.5 * apply_layer(layer, part.z, part.t))), 1e-12, 1.0 - 1e-12)
        losses[held] = -(part.y * np.log(p) + (1.0 - part.y) * np.log(1.0 - p))
    return losses


def select_calibration(
    oof: OutOfFold, band_edges: Sequence[float], symmetric: bool
) -> tuple[CalibrationLayer, dict[str, Any]]:
    """Choose and fit the calibration layer by nested cross-validation over the out-of-fold folds.

    Each candidate (identity, one global map, one map per time band) is fitted on all folds but one and
    scored (log loss) on the held-out fold, for every fold. The simplest candidate whose nested log loss is
    within one standard error of the best one's is chosen (the one-standard-error rule; the error is that
    of the paired per-game difference, since states of one game are not independent), then refitted on
    all out-of-fold states. With fewer than two folds the identity is kept. Series longer than
    `MAX_CALIBRATION_STATES` are thinned evenly first.

    Parameters
    ----------
    oof
        Out-of-fold log-odds, outcomes, time axis, folds and games.
    band_edges
        Time-band edges, increasing; two edges (one band) leave the time-band candidate out.
    symmetric
        Odd maps (two-outcome sports); see `fit_calibration`.

    Returns
    -------
    tuple
        The fitted layer and a JSON-ready report of the evidence (for the artifact).
    """
    if len(oof.z) > MAX_CALIBRATION_STATES:
        oof = oof.take(np.arange(0, len(oof.z), int(np.ceil(len(oof.z) / MAX_CALIBRATION_STATES))))
    kinds = [IDENTITY, GLOBAL, TIME_BANDS] if len(band_edges) > 2 else [IDENTITY, GLOBAL]
    if len(np.unique(oof.fold)) < 2:
        return CalibrationLayer(), {"chosen": IDENTITY, "reason": "fewer than two folds"}
    losses = {k: _nested_losses(k, oof, band_edges, symmetric) for k in kinds}
    best = min(kinds, key=lambda k: float(losses[k].mean()))
    _, game = np.unique(oof.game, return_inverse=True)
    n_games = int(game.max()) + 1
    chosen = best
    for k in kinds:
        d = np.bincount(game, weights=losses[k] - losses[best], minlength=n_games)
        se = float(np.sqrt(n_games) * d.std(ddof=1) / len(oof.z)) if n_games > 1 else 0.0
        if float((losses[k] - losses[best]).mean()) <= se:
            chosen = k
            break
    report = {
        "chosen": chosen,
        "rule": "nested cross-validation over the out-of-fold folds; simplest candidate within one "
        "standard error (paired, per game) of the best nested log loss",
        "nested_log_loss": {k: round(float(v.mean()), 6) for k, v in losses.items()},
        "states": len(oof.z),
        "games": oof.games,
        "folds": len(np.unique(oof.fold)),
    }
    return fit_layer(chosen, oof, band_edges, symmetric), report


def logloss(p: Array, y: Array) -> float:
    """Mean binary log loss (forecasts clipped to [1e-12, 1 - 1e-12])."""
    q = np.clip(p, 1e-12, 1.0 - 1e-12)
    return float(-(y * np.log(q) + (1.0 - y) * np.log(1.0 - q)).mean())
