"""Benchmark of the win-probability models on held-out seasons (a benchmark, not a timed test).

For every sport with data under --data it loads the repository artifact, splits the folder exactly as
training did (latest seasons, or latest dates of a single season, held out; see
shared.winprob.training.split_dataset) and scores on the held-out in-game states:

  ours         the shipped model
  prior        the pre-game prior alone (de-vigged closing moneyline / price; NCAAB: spread mapped)
  2f-pooled    logistic regression on (margin, prior log-odds, intercept) fitted on the training states
  2f-per-cp    the same fitted separately per checkpoint (a stronger, time-windowed reference)
  recorded     the model column recorded in the data (NCAAB win_prob), on the states where present

with Brier score, log loss and 10-bin calibration error, the ratio of our Brier to each baseline, a 95 %
game-bootstrap interval of the Brier difference, the published anchors from the data README, and the
evaluation time per probability (timeit over many states). Unvalidated sports (cfb, wnba) are timed only.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import timeit
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

from shared.winprob import SPORTS, load_model
from shared.winprob.datasets import PREGAME, LabeledState, default_folder, load_dataset
from shared.winprob.fitting import fit_logistic
from shared.winprob.interface import WinProbModel
from shared.winprob.mathutil import logit
from shared.winprob.metrics import scores
from shared.winprob.training import split_dataset

DEFAULT_DATA = Path("/work/shared/data/winprob")
ANCHORS: dict[str, list[str]] = {
    "ncaab": [
        "Benz time-windowed logit, held-out 2018-19 games with a spread (whole season): Brier 0.1193, log loss 0.3657"
    ],
    "nba": [
        "Elhabr windowed logit on 2020-21 NBA playoff play-by-play: Brier (MSE) 0.150, log loss 0.456",
        "closing moneyline pre-game: Brier ~0.20",
    ],
    "nfl": ["closing moneyline pre-game: Brier ~0.20"],
    "soccer": ["closing odds pre-game (EPL): Brier ~0.20"],
    "nhl": ["closing moneyline pre-game: Brier ~0.24"],
    "mlb": ["Polymarket price at first pitch (MLB): Brier ~0.240 (different games)"],
}


def _features(model: WinProbModel, states: Sequence[LabeledState]) -> np.ndarray:
    rows = [
        (s.situation.home_score - s.situation.away_score, logit(model.prior_probability(s.situation), 1e-4), 1.0)
        for s in states
    ]
    return np.array(rows, dtype=np.float64).reshape(-1, 3)


def two_feature(model: WinProbModel, train: list[LabeledState], val: list[LabeledState], per_cp: bool) -> list[float]:
    """Predictions of the (margin, prior) logistic baseline fitted on `train`, pooled or per checkpoint."""
    out = [0.0] * len(val)
    groups = {s.checkpoint for s in val} if per_cp else {"*"}
    for g in groups:
        tr = [s for s in train if per_cp is False or s.checkpoint == g]
        idx = [i for i, s in enumerate(val) if per_cp is False or s.checkpoint == g]
        if not tr:
            tr = train
        b = fit_logistic(_features(model, tr), np.array([s.outcome for s in tr]), ridge=0.0)
        z = _features(model, [val[i] for i in idx]) @ b
        for i, p in zip(idx, 1.0 / (1.0 + np.exp(-z)), strict=True):
            out[i] = float(p)
    return out


def bootstrap_diff(p: list[float], q: list[float], y: list[float], games: list[str], reps: int) -> list[float]:
    """95 % interval of mean Brier(p) - Brier(q), resampling whole games."""
    by_game: dict[str, list[float]] = defaultdict(list)
    for a, b, o, g in zip(p, q, y, games, strict=True):
        by_game[g].append((a - o) ** 2 - (b - o) ** 2)
    sums = np.array([sum(v) for v in by_game.values()])
    counts = np.array([len(v) for v in by_game.values()])
    rng = np.random.default_rng(7)
    draws = [(sums[i].sum() / counts[i].sum()) for i in (rng.integers(0, len(sums), len(sums)) for _ in range(reps))]
    return [round(float(np.quantile(draws, 0.025)), 5), round(float(np.quantile(draws, 0.975)), 5)]


def time_per_call(model: WinProbModel, states: Sequence[LabeledState], n: int) -> float:
    """Best-of-5 mean microseconds per `model.probability` call over `n` states (cycled)."""
    sits = [s.situation for s in states]
    sits = (sits * (n // max(len(sits), 1) + 1))[:n]
    random.Random(1).shuffle(sits)
    f = model.probability

    def run() -> None:
        for s in sits:
            f(s)

    return min(timeit.repeat(run, number=1, repeat=5)) / len(sits) * 1e6


def bench_sport(sport: str, data: Path, args: argparse.Namespace) -> dict[str, Any]:
    """All figures for one sport with data."""
    model = load_model(sport)
    split = split_dataset(load_dataset(sport, data / default_folder(sport)))
    train = [s for s in split.train.states if s.checkpoint != PREGAME]
    val = [s for s in split.validation.states if s.checkpoint != PREGAME]
    y = [s.outcome for s in val]
    games = [s.game_id for s in val]
    preds = {
        "ours": [model.probability(s.situation).home for s in val],
        "prior": [model.prior_probability(s.situation) for s in val],
        "2f-pooled": two_feature(model, train, val, per_cp=False),
        "2f-per-cp": two_feature(model, train, val, per_cp=True),
    }
    rows: dict[str, Any] = {k: scores(v, y) for k, v in preds.items()}
    for k in ("prior", "2f-pooled", "2f-per-cp"):
        rows[k]["ours_brier_ratio"] = round(rows["ours"]["brier"] / rows[k]["brier"], 4)
        rows[k]["ours_minus_brier_ci95"] = bootstrap_diff(preds["ours"], preds[k], y, games, args.bootstrap)
    rec = [i for i, s in enumerate(val) if s.recorded is not None]
    if rec:
        yr = [y[i] for i in rec]
        ours_r = [preds["ours"][i] for i in rec]
        rec_p = [val[i].recorded or 0.0 for i in rec]
        rows["recorded"] = scores(rec_p, yr) | {"states": len(rec), "ours_same_states": scores(ours_r, yr)}
        rows["recorded"]["ours_brier_ratio"] = round(
            rows["recorded"]["ours_same_states"]["brier"] / rows["recorded"]["brier"], 4
        )
        rows["recorded"]["ours_minus_brier_ci95"] = bootstrap_diff(
            ours_r, rec_p, yr, [games[i] for i in rec], args.bootstrap
        )
    return {
        "sport": sport,
        "validated": model.validated,
        "model_version": model.version,
        "split": split.rule,
        "validation_seasons": split.validation.seasons(),
        "states": len(val),
        "games": len(set(games)),
        "scores": rows,
        "anchors": ANCHORS.get(sport, []),
        "us_per_probability": round(time_per_call(model, val, args.timeit_states), 2),
    }


def bench_derived(sport: str, base: dict[str, Any], data: Path, args: argparse.Namespace) -> dict[str, Any]:
    """Timing of an unvalidated derived model on the base league's states relabelled."""
    model = load_model(sport)
    ds = load_dataset(base["sport"], data / default_folder(base["sport"]))
    states = [replace(s, situation=replace(s.situation, sport=sport)) for s in ds.states[:5000]]
    return {
        "sport": sport,
        "validated": model.validated,
        "model_version": model.version,
        "note": f"no {sport} data here; derived from {base['sport']} (see artifact validation_note)",
        "us_per_probability": round(time_per_call(model, states, args.timeit_states), 2),
    }


def _fmt(name: str, s: dict[str, Any]) -> str:
    extra = ""
    if "ours_brier_ratio" in s:
        extra = f"  ours/this {s['ours_brier_ratio']:.4f}  dBrier 95% {s['ours_minus_brier_ci95']}"
    head = f"  {name:<10} brier {s['brier']:.5f}  log_loss {s['log_loss']:.5f}"
    return f"{head}  cal_err {s['calibration_error']:.5f}{extra}"


def print_report(results: list[dict[str, Any]]) -> None:
    """Human-readable report of `results`."""
    for r in results:
        print(f"\n== {r['sport']}  (model {r['model_version']}, validated={r['validated']})")
        if "scores" not in r:
            print(f"  {r['note']}\n  us/probability {r['us_per_probability']}")
            continue
        print(
            f"  held out: {', '.join(r['validation_seasons'])} ({r['split']}); {r['games']} games, {r['states']} states"
        )
        for name, s in r["scores"].items():
            print(_fmt(name, s))
            if name == "recorded":
                print(_fmt("ours(same)", s["ours_same_states"]) + f"   on {s['states']} states")
        for a in r["anchors"]:
            print(f"  anchor     {a}")
        print(f"  us/probability {r['us_per_probability']}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help=f"data root (default {DEFAULT_DATA})")
    parser.add_argument("--sports", nargs="*", default=list(SPORTS), choices=SPORTS, help="sports to run (default all)")
    parser.add_argument("--timeit-states", type=int, default=20000, help="calls per timing run (default 20000)")
    parser.add_argument("--bootstrap", type=int, default=300, help="game-bootstrap resamples (default 300)")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of the report")
    args = parser.parse_args(argv)
    results: list[dict[str, Any]] = []
    for sport in args.sports:
        if not load_model(sport).validated:
            base = {"cfb": "nfl", "wnba": "nba"}.get(sport, "nfl")
            results.append(bench_derived(sport, {"sport": base}, args.data, args))
        else:
            results.append(bench_sport(sport, args.data, args))
        if not args.json:
            print_report(results[-1:])
            sys.stdout.flush()
    if args.json:
        print(json.dumps({"results": results}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
