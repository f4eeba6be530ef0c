"""Training of the Poisson goal model (`shared.winprob.poisson`) for hockey and soccer.

On the training seasons only: per-period goal shares and regulation goals per game from the scores;
the prior inversion tables (`shared.winprob.poisson_prior`) by solving the Poisson model for the goal
rates that reproduce each pre-game probability; then, by maximum likelihood on the in-game checkpoint
states, the in-game rate multiplier ``k`` and the score effects ``gamma_lead``/``gamma_trail`` (soccer: on
the three-way result; hockey: on the two-way result). Hockey's overtime tilt is fitted on the states that
reached overtime. The calibration layer (identity, one global map, or a map per band of the share of
goals still to come) is chosen and fitted on out-of-fold (leave-one-season-out) log-odds, see
`shared.winprob.fitting.select_calibration`.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

import numpy as np
from scipy.optimize import least_squares, minimize
from scipy.special import gammaln

from shared.winprob.datasets import OVERTIME, PREGAME, LabeledState
from shared.winprob.fitting import Array, OutOfFold, select_calibration
from shared.winprob.mathutil import logit
from shared.winprob.poisson import FAMILY, PoissonModel, outcome_probs, spec_from_json
from shared.winprob.poisson_prior import PoissonPrior

OT_DECIDED_SHARE = 0.6
"""Assumed share of regular-season 3-on-3 overtimes decided before the shoot-out (unvalidated)."""
RED_CARD_FACTOR = 1.88
"""Opponent scoring-rate multiplier per red card (Ridder, Cramer & Hopstaken 1994)."""
CALIBRATION_BANDS: dict[bool, tuple[float, ...]] = {False: (0.0, 0.5, 1.01), True: (0.0, 1.01)}
"""Calibration band edges on the share of goals still to come: hockey (draws False) one band around each
of the P1 and P2 ends; soccer (draws True) a single band (only half-time states here)."""
Grid = tuple[tuple[float, ...], ...]
_G = np.arange(0, 16, dtype=np.float64)


def _np_outcomes(lam_h: Array, lam_a: Array, margin: Array) -> tuple[Array, Array]:
    lf = gammaln(_G + 1.0)
    ph = np.exp(_G[None, :] * np.log(lam_h[:, None]) - lam_h[:, None] - lf[None, :])
    pa = np.exp(_G[None, :] * np.log(lam_a[:, None]) - lam_a[:, None] - lf[None, :])
    joint = ph[:, :, None] * pa[:, None, :]
    diff = (_G[:, None] - _G[None, :])[None, :, :] + margin[:, None, None]
    return (joint * (diff > 0)).sum((1, 2)), (joint * (diff == 0)).sum((1, 2))


def period_shares(states: Sequence[LabeledState], periods: int) -> tuple[list[float], float]:
    """Share of regulation goals per period and mean regulation goals per game."""
    by_game: dict[str, dict[str, LabeledState]] = defaultdict(dict)
    for s in states:
        by_game[s.game_id][s.checkpoint] = s
    sums = [0.0] * periods
    games = 0
    for cps in by_game.values():
        ordered = [s for cp, s in cps.items() if cp not in (PREGAME, OVERTIME)]
        if len(ordered) != periods - 1 or ordered[0].final_score is None:
            continue
        totals = sorted(s.situation.home_score + s.situation.away_score for s in ordered)
        final = sum(ordered[0].final_score)
        prev = 0.0
        for i, t in enumerate([*totals, final]):
            sums[i] += t - prev
            prev = t
        games += 1
    total = sum(sums)
    return [x / total for x in sums], total / max(games, 1)


def hockey_prior(states: Sequence[LabeledState], total: float) -> PoissonPrior:
    """Two-way prior table: P(home wins, overtime at 50/50) -> supremacy, for `total` goals."""
    ps: list[float] = []
    ds: list[float] = []
    for i in range(-150, 151):
        d = i / 100.0
        win, level = outcome_probs(total / 2 * math.exp(d), total / 2 * math.exp(-d), 0)
        p = win + 0.5 * level
        if not ps or p > ps[-1] + 1e-9:
            ps.append(p)
            ds.append(d)
    games = {s.game_id: s.outcome for s in states}
    rate = sum(games.values()) / max(len(games), 1)
    return PoissonPrior(total, rate, 0.0, tuple(ps), tuple(ds))


def _solve_cell(p_home: float, p_draw: float) -> tuple[float, float]:
    p_away = 1.0 - p_home - p_draw

    def resid(x: Array) -> list[float]:
        win, level = outcome_probs(math.exp(x[0]), math.exp(x[1]), 0)
        return [win - p_home, level - p_draw, (1.0 - win - level) - p_away]

    res: Any = least_squares(resid, np.array([0.3, 0.1]), bounds=([-4.0, -4.0], [2.5, 2.5]))
    return float(res.x[0]), float(res.x[1])


@lru_cache(maxsize=1)
def three_way_grid() -> tuple[tuple[float, ...], tuple[float, ...], Grid, Grid]:
    """Axes and log expected goals of the three-way prior grid (independent of the data)."""
    grid_u = tuple(round(-0.9 + 0.05 * i, 4) for i in range(37))
    grid_v = tuple(round(0.10 + 0.02 * i, 4) for i in range(16))
    log_h: list[tuple[float, ...]] = []
    log_a: list[tuple[float, ...]] = []
    for u in grid_u:
        cells = [_solve_cell(max((1 + u - v) / 2, 0.002), v) for v in grid_v]
        log_h.append(tuple(c[0] for c in cells))
        log_a.append(tuple(c[1] for c in cells))
    return grid_u, grid_v, tuple(log_h), tuple(log_a)


def soccer_prior(states: Sequence[LabeledState], total: float) -> PoissonPrior:
    """Three-way prior grid over (P(home) - P(away), P(draw)) and the fill-in draw curve."""
    grid_u, grid_v, log_h, log_a = three_way_grid()
    firsts = {s.game_id: s for s in states}.values()
    pri = [(s.situation.prior_home_prob, s.situation.prior_draw_prob) for s in firsts]
    pairs = np.array([(h, d) for h, d in pri if h is not None and d is not None])
    c2, c1, c0 = np.polyfit(pairs[:, 0], pairs[:, 1], 2) if len(pairs) > 10 else (0.0, 0.0, 0.26)
    res = [s.result for s in firsts]
    n = max(len(res), 1)
    return PoissonPrior(
        total,
        res.count(0) / n,
        res.count(1) / n,
        (),
        (),
        grid_u,
        grid_v,
        log_h,
        log_a,
        (float(c0), float(c1), float(c2)),
    )


def _in_game(states: Sequence[LabeledState]) -> list[LabeledState]:
    return [s for s in states if s.checkpoint not in (PREGAME, OVERTIME)]


def _arrays(model: PoissonModel, states: Sequence[LabeledState]) -> dict[str, Array]:
    rows = []
    for s in states:
        st = s.situation
        lh, la = model.spec.prior.expected_goals(st)
        share = model.remaining_share(st)
        rows.append(
            (lh * share, la * share, st.home_score - st.away_score, s.outcome, s.result, model.spec.prior.home_prob(st))
        )
    a = np.array(rows, dtype=np.float64).reshape(-1, 6)
    return {"lh": a[:, 0], "la": a[:, 1], "m": a[:, 2], "y": a[:, 3], "res": a[:, 4], "p0": a[:, 5]}


def _probs(theta: Array, d: dict[str, Array], tilt: float, draws: bool) -> tuple[Array, Array]:
    k, g_lead, g_trail = math.exp(theta[0]), theta[1], theta[2]
    s = np.sign(d["m"])
    mh = np.where(s > 0, g_lead, np.where(s < 0, g_trail, 0.0))
    ma = np.where(s < 0, g_lead, np.where(s > 0, g_trail, 0.0))
    win, level = _np_outcomes(d["lh"] * k * np.exp(mh), d["la"] * k * np.exp(ma), d["m"])
    if draws:
        return win, level
    return win + level * (0.5 + tilt * (d["p0"] - 0.5)), level


def _fit_theta(d: dict[str, Array], tilt: float, draws: bool) -> Array:
    def nll(theta: Array) -> float:
        win, level = _probs(theta, d, tilt, draws)
        if draws:
            p = np.where(d["res"] == 0, win, np.where(d["res"] == 1, level, 1.0 - win - level))
            return float(-np.log(np.clip(p, 1e-12, 1.0)).mean())
        q = np.clip(win, 1e-12, 1 - 1e-12)
        return float(-(d["y"] * np.log(q) + (1 - d["y"]) * np.log(1 - q)).mean())

    res: Any = minimize(nll, np.zeros(3), method="Nelder-Mead", options={"xatol": 1e-4, "fatol": 1e-7})
    return np.asarray(res.x, dtype=np.float64)


def _fit_tilt(model: PoissonModel, states: Sequence[LabeledState]) -> float:
    ot = [s for s in states if s.checkpoint == OVERTIME]
    if len(ot) < 30:
        return 0.0
    p0 = np.array([model.spec.prior.home_prob(s.situation) for s in ot])
    y = np.array([s.outcome for s in ot])

    def nll(c: Array) -> float:
        q = np.clip(0.5 + c[0] * (p0 - 0.5), 1e-6, 1 - 1e-6)
        return float(-(y * np.log(q) + (1 - y) * np.log(1 - q)).mean())

    res: Any = minimize(nll, np.array([0.5]), method="Nelder-Mead")
    return float(min(max(res.x[0], 0.0), 1.0))


def _base_body(sport: str, shares: list[float], prior: PoissonPrior, draws: bool) -> dict[str, Any]:
    params: dict[str, Any] = {
        "period_shares": [round(x, 6) for x in shares],
        "rate_mult": 1.0,
        "gamma_lead": 0.0,
        "gamma_trail": 0.0,
        "draws": draws,
    }
    if draws:
        params["red_card_factor"] = RED_CARD_FACTOR
        params["stoppage_fraction"] = round(shares[-1] * 120.0 / 2700.0, 6)
    else:
        params["ot_goal_rate"] = round(-math.log(1.0 - OT_DECIDED_SHARE) / 300.0, 8)
    return {
        "format_version": 1,
        "sport": sport,
        "family": FAMILY,
        "model_version": "fit",
        "validated": True,
        "parameters": params,
        "prior": prior.to_json(),
        "bounds": {"p_min": 1e-3},
        "calibration": {},
    }


def _fit_body(states: Sequence[LabeledState], sport: str, draws: bool) -> dict[str, Any]:
    periods = 2 if draws else 3
    shares, total = period_shares(states, periods)
    prior = soccer_prior(states, total) if draws else hockey_prior(states, total)
    body = _base_body(sport, shares, prior, draws)
    model = PoissonModel(spec_from_json(body))
    tilt = 0.0 if draws else _fit_tilt(model, states)
    theta = _fit_theta(_arrays(model, _in_game(states)), tilt, draws)
    p = body["parameters"]
    p["rate_mult"] = round(math.exp(theta[0]), 6)
    p["gamma_lead"] = round(float(theta[1]), 6)
    p["gamma_trail"] = round(float(theta[2]), 6)
    if not draws:
        p["ot_tilt"] = round(tilt, 6)
    return body


def _oof_rows(
    model: PoissonModel, states: Sequence[LabeledState], draws: bool, fold: int
) -> list[tuple[float, float, float, int, str]]:
    out: list[tuple[float, float, float, int, str]] = []
    for s in states:
        wp = model.probability(s.situation)
        t = max(model.remaining_share(s.situation), model.spec.stoppage_fraction)
        out.append((logit(wp.home), 1.0 if s.result == 0 else 0.0, t, fold, s.game_id))
        if draws:
            out.append((logit(wp.away), 1.0 if s.result == 2 else 0.0, t, fold, s.game_id))
    return out


def train_poisson(states: Sequence[LabeledState], sport: str, draws: bool) -> dict[str, Any]:
    """Fit the Poisson model on training states; returns the artifact body (without run metadata).

    Parameters
    ----------
    states
        Training states (pre-game and overtime states included; they are used where relevant).
    sport
        ``"nhl"`` or ``"soccer"``.
    draws
        ``True`` for soccer (three-way result), ``False`` for hockey (overtime).
    """
    seasons = sorted({s.season for s in states})
    rows: list[tuple[float, float, float, int, str]] = []
    for k, season in enumerate(seasons if len(seasons) >= 2 else []):
        body = _fit_body([s for s in states if s.season != season], sport, draws)
        model = PoissonModel(spec_from_json(body))
        rows.extend(_oof_rows(model, [s for s in _in_game(states) if s.season == season], draws, k))
    body = _fit_body(states, sport, draws)
    if rows:
        layer, report = select_calibration(OutOfFold.from_rows(rows), CALIBRATION_BANDS[draws], symmetric=not draws)
        body["calibration"] = layer.to_json() | {"selection": report}
    return body
