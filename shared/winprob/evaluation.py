"""Evaluation of a model on a data folder: overall and per-checkpoint scores beside the baselines.

Baselines: the pre-game prior alone (`WinProbModel.prior_probability`: the de-vigged market price where
the data has one, otherwise the model's mapping of the spread, otherwise the league default), and the
recorded model column where the data has one (``win_prob`` in the NCAAB play-by-play), scored on the
states where it is present together with our model on exactly the same states. The overall figures are
over in-game states; the pre-game states appear only as their own checkpoint.

Every calibration error comes with ``calibration_error_noise_floor``: the calibration error a perfectly
calibrated forecaster with the same forecasts would show on the same states (mean and 95th percentile of
simulated outcome sets, game-clustered, with the independent-states figure beside it; see
`shared.winprob.metrics.calibration_noise_floor`). A calibration error inside that range is not evidence
of miscalibration.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from shared.winprob.datasets import PREGAME, Dataset, LabeledState
from shared.winprob.interface import WinProbModel
from shared.winprob.metrics import multiclass_scores, noise_floors, scores


def _scored(p: Sequence[float], y: Sequence[float], games: Sequence[str]) -> dict[str, Any]:
    return {**scores(p, y), "calibration_error_noise_floor": noise_floors(p, games)}


def _block(model: WinProbModel, states: Sequence[LabeledState], with_recorded: bool) -> dict[str, Any]:
    answers = [model.probability(s.situation) for s in states]
    p = [a.home for a in answers]
    y = [s.outcome for s in states]
    g = [s.game_id for s in states]
    out: dict[str, Any] = {"states": len(states), **_scored(p, y, g)}
    out["prior"] = _scored([model.prior_probability(s.situation) for s in states], y, g)
    if model.sport == "soccer":
        out["multiclass"] = multiclass_scores([(a.home, a.draw, a.away) for a in answers], [s.result for s in states])
        out["prior"]["multiclass"] = multiclass_scores(
            [_prior_three_way(s) for s in states], [s.result for s in states]
        )
    if with_recorded:
        rec = [(i, s.recorded) for i, s in enumerate(states) if s.recorded is not None]
        if rec:
            idx = [i for i, _ in rec]
            yr, gr = [y[i] for i in idx], [g[i] for i in idx]
            out["recorded"] = {
                "states": len(rec),
                **_scored([r for _, r in rec if r is not None], yr, gr),
                "model_on_same_states": _scored([p[i] for i in idx], yr, gr),
            }
    return out


def _prior_three_way(s: LabeledState) -> tuple[float, float, float]:
    h = s.situation.prior_home_prob
    d = s.situation.prior_draw_prob
    if h is None or d is None:
        return (0.46, 0.26, 0.28)
    return (h, d, max(1.0 - h - d, 0.0))


def evaluate_states(model: WinProbModel, ds: Dataset) -> dict[str, Any]:
    """Scores of `model` on every state of `ds` (see module docstring for the layout of the result)."""
    in_game = [s for s in ds.states if s.checkpoint != PREGAME]
    if not in_game:
        raise ValueError(f"no in-game states in {ds.source}")
    with_rec = ds.recorded_name is not None
    overall = _block(model, in_game, with_rec)
    per: dict[str, Any] = {}
    for cp in ds.checkpoints:
        sel = [s for s in ds.states if s.checkpoint == cp]
        if sel:
            per[cp] = _block(model, sel, with_rec)
    baselines: dict[str, Any] = {"prior": overall.pop("prior")}
    if "recorded" in overall:
        baselines["recorded"] = {"column": ds.recorded_name, **overall.pop("recorded")}
    return {
        "sport": ds.sport,
        "model_version": model.version,
        "validated": model.validated,
        "data": ds.source,
        "layout": ds.layout,
        "seasons": ds.seasons(),
        "games": len({s.game_id for s in in_game}),
        **overall,
        "baselines": baselines,
        "per_checkpoint": per,
    }
