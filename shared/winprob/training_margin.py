"""Training of the margin model (`shared.winprob.margin`) for basketball and American football.

Steps, all on the training seasons only:

1. Prior: the home-win rate gives the default log-odds; a probit fit of the result on the pre-game spread
   (one state per game) gives the standard deviation of the final margin around the spread.
2. Features of every regulation state are built with the model's own formulas (Brownian-scaled margin,
   decaying prior log-odds, timeout difference).
3. Coefficients at the knots: for checkpoint data (quarters, periods) one logistic fit per checkpoint plus
   a pre-game knot (prior only); for play-by-play a kernel-weighted fit (triangular kernel in seconds) at
   evenly spaced knots, which is the "LOESS-smoothed windowed logistic regression" of the NCAAB anchor.
   The weight of a point of margin, ``b_m(tau) / sqrt(tau + tau0)``, is then made non-increasing in
   ``tau`` (pool-adjacent-violators over the knots), so that a fixed lead never counts for less as time
   runs out; only noisy knots move (the NCAAB tip-off knot, fitted on states with almost no margin).
4. Calibration: the layer (identity, one global map, or a map per time band) is chosen and fitted on
   out-of-fold raw log-odds (folds = training seasons, or date blocks within a single season), computed by
   the answering code itself for train/serve parity, over the same population the coefficients are fitted
   on (with `MarginConfig.require_prior`, games with a pre-game prior only: NCAAB games without a line
   are mostly mismatches against non-D-I teams, and letting them steer the map made it stretch the
   log-odds of ordinary games). See `shared.winprob.fitting.select_calibration`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy.optimize import minimize_scalar
from scipy.special import log_ndtr

from shared.winprob.datasets import OVERTIME, PREGAME, LabeledState
from shared.winprob.fitting import Array, OutOfFold, fit_logistic, select_calibration
from shared.winprob.leagues import clock_for, seconds_left
from shared.winprob.margin import FAMILY, KnotLogitModel, spec_from_json
from shared.winprob.mathutil import logit
from shared.winprob.priors import market_home_prob, prior_logit
from shared.winprob.types import GameSituation


@dataclass(frozen=True, slots=True)
class MarginConfig:
    """Training choices for one sport.

    Parameters
    ----------
    dense_step_seconds
        Knot spacing for play-by-play data; ``None`` for checkpoint data (a knot per checkpoint).
    bandwidth_seconds
        Half-width of the triangular kernel for play-by-play knots.
    timeouts
        Fit a timeout-difference coefficient (needs timeouts in the data).
    tau0_seconds
        Seconds added to the time left inside the square root (keeps features finite at the buzzer).
    possession
        The artifact's ``possession`` block (published, unvalidated adjustment).
    require_prior
        Fit the coefficients only on games with a pre-game prior (spread, moneyline or price); games
        without one still set the default prior log-odds.
    calibration_bands
        Edges of the calibration time bands, as fractions of regulation left (see
        `shared.winprob.calibration`); the default puts one band around each quarter end.
    """

    dense_step_seconds: float | None = None
    bandwidth_seconds: float = 120.0
    timeouts: bool = False
    tau0_seconds: float = 10.0
    possession: dict[str, Any] | None = None
    require_prior: bool = False
    calibration_bands: tuple[float, ...] = (0.0, 0.375, 0.625, 0.875, 1.01)


@dataclass(slots=True)
class _Frame:
    y: Array
    tau: Array
    margin: Array
    prior: Array
    timeouts: Array


def _has_prior(st: GameSituation) -> bool:
    return market_home_prob(st) is not None or st.home_spread is not None


def _frame(states: Sequence[LabeledState], sport: str, prior: tuple[float, float], require_prior: bool) -> _Frame:
    clock = clock_for(sport)
    slope, default = prior
    rows: list[tuple[float, float, float, float, float]] = []
    for s in states:
        st = s.situation
        if require_prior and not _has_prior(st):
            continue
        secs, in_ot = seconds_left(st, clock)
        m = float(st.home_score - st.away_score)
        if in_ot or s.checkpoint == OVERTIME or (secs <= 0.0 and m != 0.0):
            continue
        tau = 1.0 if s.checkpoint == PREGAME else secs / clock.regulation_seconds
        tod = 0.0
        if st.home_timeouts is not None and st.away_timeouts is not None:
            tod = float(st.home_timeouts - st.away_timeouts)
        rows.append((s.outcome, tau, m, prior_logit(st, slope, default), tod))
    a = np.asarray(rows, dtype=np.float64).reshape(-1, 5)
    return _Frame(a[:, 0], a[:, 1], a[:, 2], a[:, 3], a[:, 4])


def _design(f: _Frame, tau0: float, timeouts: bool) -> Array:
    root = np.sqrt(f.tau + tau0)
    cols = [f.margin / root, f.prior * f.tau / root]
    if timeouts:
        cols.append(f.timeouts / root)
    return np.column_stack(cols)


def fit_prior(states: Sequence[LabeledState]) -> tuple[float, float]:
    """(spread sigma, default log-odds) from one pre-game state per training game.

    Sigma is the maximum-likelihood standard deviation of a normal final margin around the spread
    (probit regression without intercept); the default log-odds are the training home-win rate's.
    """
    first: dict[str, LabeledState] = {}
    for s in states:
        first.setdefault(s.game_id, s)
    games = list(first.values())
    rate = sum(g.outcome for g in games) / max(len(games), 1)
    with_spread = [g for g in games if g.situation.home_spread is not None]
    sigma = 13.0
    if len(with_spread) >= 20:
        x = np.array([g.situation.home_spread or 0.0 for g in with_spread])
        y = np.array([g.outcome for g in with_spread])

        def nll(sd: float) -> float:
            return float(-(y * log_ndtr(x / sd) + (1 - y) * log_ndtr(-x / sd)).sum())

        sigma = float(minimize_scalar(nll, bounds=(2.0, 40.0), method="bounded").x)
    return sigma, logit(min(max(rate, 0.05), 0.95))


def _fit_knots(f: _Frame, cfg: MarginConfig, reg_seconds: float) -> tuple[list[float], list[list[float]]]:
    tau0 = cfg.tau0_seconds / reg_seconds
    x = _design(f, tau0, cfg.timeouts)
    k = x.shape[1]
    knots: list[float] = []
    coefs: list[list[float]] = []
    if cfg.dense_step_seconds is None:
        for t in sorted(set(np.round(f.tau, 9).tolist())):
            sel = np.abs(f.tau - t) < 1e-6
            b = fit_logistic(x[sel], f.y[sel]) if t < 1.0 else _pregame_coefs(x[sel], f.y[sel], coefs)
            knots.append(float(t))
            coefs.append(b.tolist())
        return knots, coefs
    step = cfg.dense_step_seconds / reg_seconds
    band = cfg.bandwidth_seconds / reg_seconds
    for i in range(int(round(1.0 / step)) + 1):
        t = min(i * step, 1.0)
        w = np.maximum(0.0, 1.0 - np.abs(f.tau - t) / band)
        sel = w > 0.0
        b = fit_logistic(x[sel], f.y[sel], w[sel]) if sel.sum() > 5 * k else np.zeros(k)
        knots.append(float(t))
        coefs.append(b.tolist())
    return knots, coefs


def _decreasing(v: list[float]) -> list[float]:
    """Least-squares non-increasing fit of `v` (pool-adjacent-violators, equal weights)."""
    blocks: list[list[float]] = []  # [mean, size]
    for x in v:
        blocks.append([x, 1.0])
        while len(blocks) > 1 and blocks[-2][0] < blocks[-1][0]:
            m2, n2 = blocks.pop()
            m1, n1 = blocks.pop()
            blocks.append([(m1 * n1 + m2 * n2) / (n1 + n2), n1 + n2])
    return [m for m, n in blocks for _ in range(int(n))]


def monotone_margin(knots: list[float], coefs: list[list[float]], tau0: float) -> list[list[float]]:
    """Coefficients with the margin weight ``b_m / sqrt(tau + tau0)`` made non-increasing in ``tau``."""
    roots = [math.sqrt(t + tau0) for t in knots]
    weights = _decreasing([c[0] / r for c, r in zip(coefs, roots, strict=True)])
    return [[w * r, *c[1:]] for w, r, c in zip(weights, roots, coefs, strict=True)]


def _pregame_coefs(x: Array, y: Array, fitted: list[list[float]]) -> Array:
    prior_only = fit_logistic(x[:, 1:2], y)
    b = np.zeros(x.shape[1])
    b[0] = fitted[-1][0] if fitted else 0.0
    b[1] = prior_only[0]
    return b


def _artifact(
    sport: str, cfg: MarginConfig, prior: tuple[float, float], knots: list[float], coefs: list[list[float]]
) -> dict[str, Any]:
    clock = clock_for(sport)
    cols = list(zip(*coefs, strict=True))
    body: dict[str, Any] = {
        "format_version": 1,
        "sport": sport,
        "family": FAMILY,
        "validated": True,
        "tau0": cfg.tau0_seconds / clock.regulation_seconds,
        "knots_tau": [round(t, 6) for t in knots],
        "coefficients": {
            "margin": [round(c, 6) for c in cols[0]],
            "prior": [round(c, 6) for c in cols[1]],
            "timeouts": [round(c, 6) for c in cols[2]] if cfg.timeouts else [0.0] * len(knots),
        },
        "prior": {"spread_sigma": round(prior[0], 6), "default_logit": round(prior[1], 6)},
        "possession": cfg.possession or {"kind": "none"},
        "bounds": {"p_min": 1e-3},
        "calibration": {},
    }
    return body


def _fit_body(states: Sequence[LabeledState], sport: str, cfg: MarginConfig) -> dict[str, Any]:
    prior = fit_prior(states)
    f = _frame(states, sport, prior, cfg.require_prior)
    reg = clock_for(sport).regulation_seconds
    knots, coefs = _fit_knots(f, cfg, reg)
    body = _artifact(sport, cfg, prior, knots, monotone_margin(knots, coefs, cfg.tau0_seconds / reg))
    body["model_version"] = "oof"
    return body


def _folds(states: Sequence[LabeledState]) -> list[set[str]]:
    seasons = sorted({s.season for s in states})
    if len(seasons) >= 2:
        return [{g.game_id for g in states if g.season == season} for season in seasons]
    dates = sorted({s.date for s in states})
    out: list[set[str]] = []
    for block in np.array_split(np.array(dates), 4):
        keep = set(block.tolist())
        out.append({g.game_id for g in states if g.date in keep})
    return out


def out_of_fold(states: Sequence[LabeledState], sport: str, cfg: MarginConfig) -> OutOfFold:
    """Out-of-fold raw log-odds and time axis of the in-game states (see module docstring, step 4)."""
    rows: list[tuple[float, float, float, int, str]] = []
    for k, fold in enumerate(_folds(states)):
        body = _fit_body([s for s in states if s.game_id not in fold], sport, cfg)
        model = KnotLogitModel(spec_from_json(body))
        for s in states:
            if s.game_id not in fold or s.checkpoint == PREGAME:
                continue
            if cfg.require_prior and not _has_prior(s.situation):
                continue
            raw = model.raw_logit_and_tau(s.situation)
            if raw is not None and math.isfinite(raw[0]):
                rows.append((raw[0], s.outcome, raw[1], k, s.game_id))
    return OutOfFold.from_rows(rows)


def train_margin(states: Sequence[LabeledState], sport: str, cfg: MarginConfig) -> dict[str, Any]:
    """Fit the margin model on training states; returns the artifact body (without run metadata).

    The calibration layer is chosen and fitted on out-of-fold raw log-odds of the in-game states.
    """
    oof = out_of_fold(states, sport, cfg)
    body = _fit_body(states, sport, cfg)
    layer, report = select_calibration(oof, cfg.calibration_bands, symmetric=True)
    body["calibration"] = layer.to_json() | {"selection": report}
    return body
