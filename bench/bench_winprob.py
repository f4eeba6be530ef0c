"""Benchmark of the win-probability *method* on held-out seasons (a benchmark, not a timed test).

The shipped artifacts are fitted on every season of the data folder, so they cannot be scored on any of
it. This benchmark therefore scores the training procedure: for every sport with data under --data it
splits the folder exactly as training does (latest seasons, or latest dates of a single season, held
out; see shared.winprob.training.split_dataset), refits the same procedure on the training split in
process (cached under the temp dir, keyed on the data files and the code) and scores that fit on the
held-out in-game states:

  ours         the split-fit model (same code and settings as the shipped one)
  prior        the pre-game prior alone (de-vigged closing moneyline / price; NCAAB: spread mapped)
  2f-pooled    logistic regression on (margin, prior log-odds, intercept) fitted on the training states
  2f-per-cp    the same fitted separately per checkpoint (a stronger, time-windowed reference)
  recorded     the model column recorded in the data (NCAAB win_prob), on the states where present

with Brier score, log loss, 10-bin calibration error and its noise floor (the calibration error of a
perfectly calibrated forecaster with the same forecasts: mean and 95th percentile over simulated
outcome sets, game-clustered; see shared.winprob.metrics), the ratio of our Brier to each baseline, 95 %
game-bootstrap intervals of the Brier and log-loss differences, our scores per checkpoint, the published
anchors from the data README, and the evaluation time per probability of the shipped model (timeit
over many states). It also checks that the shipped artifact's validation block holds the same scores.
Unvalidated sports (cfb, wnba) are timed only.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
import tempfile
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
from shared.winprob.metrics import calibration_noise_floor, scores
from shared.winprob.registry import artifact_path, model_from_artifact, read_artifact
from shared.winprob.training import MODEL_REVISION, Split, fit_split, split_dataset

DEFAULT_DATA = Path("/work/shared/data/winprob")
CACHE_DIR = Path(tempfile.gettempdir()) / "arbees-winprob-bench"
CODE_DIR = Path(__file__).resolve().parent.parent / "shared" / "winprob"
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


def fingerprint(sport: str, folder: Path) -> str:
    """Cache key of a split fit: sport, model revision, the data files' sizes and times, the code."""
    h = hashlib.sha256(f"{sport}|{MODEL_REVISION}".encode())
    for f in sorted(folder.iterdir()):
        st = f.stat()
        h.update(f"{f.name}|{st.st_size}|{st.st_mtime_ns}".encode())
    for f in sorted(CODE_DIR.rglob("*.py")):
        h.update(f.read_bytes())
    return h.hexdigest()[:20]


def split_model(sport: str, folder: Path, split: Split, use_cache: bool) -> tuple[WinProbModel, str]:
    """The model of the training procedure fitted on the training split (from the cache when there)."""
    path = CACHE_DIR / f"{sport}-{fingerprint(sport, folder)}.json"
    if use_cache and path.exists():
        return model_from_artifact(json.loads(path.read_text(encoding="utf-8"))), f"cached {path}"
    body = fit_split(sport, split, folder)
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(body), encoding="utf-8")
    return model_from_artifact(body), f"fitted now, cached {path}"


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


def _losses(p: Sequence[float], y: Sequence[float]) -> tuple[np.ndarray, np.ndarray]:
    q = np.clip(np.asarray(p), 1e-15, 1 - 1e-15)
    o = np.asarray(y)
    return (q - o) ** 2, -(o * np.log(q) + (1 - o) * np.log(1 - q))


def bootstrap_diff(d: np.ndarray, games: list[str], reps: int) -> list[float]:
    """95 % interval of the mean of per-state differences `d`, resampling whole games."""
    by_game: dict[str, list[float]] = defaultdict(list)
    for v, g in zip(d.tolist(), games, strict=True):
        by_game[g].append(v)
    sums = np.array([sum(v) for v in by_game.values()])
    counts = np.array([len(v) for v in by_game.values()])
    rng = np.random.default_rng(7)
    draws = [(sums[i].sum() / counts[i].sum()) for i in (rng.integers(0, len(sums), len(sums)) for _ in range(reps))]
    return [round(float(np.quantile(draws, 0.025)), 5), round(float(np.quantile(draws, 0.975)), 5)]


def _row(p: list[float], y: list[float], games: list[str], reps: int, ours: list[float] | None) -> dict[str, Any]:
    row: dict[str, Any] = dict(scores(p, y))
    row["floor"] = calibration_noise_floor(p, games)
    if ours is not None:
        ob, ol = _losses(ours, y)
        tb, tl = _losses(p, y)
        row["ours_brier_ratio"] = round(float(ob.mean() / tb.mean()), 4)
        row["ours_minus_brier"] = round(float((ob - tb).mean()), 5)
        row["ours_minus_brier_ci95"] = bootstrap_diff(ob - tb, games, reps)
        row["ours_minus_log_loss"] = round(float((ol - tl).mean()), 5)
        row["ours_minus_log_loss_ci95"] = bootstrap_diff(ol - tl, games, reps)
    return row


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


def _recorded(val: list[LabeledState], ours: list[float], reps: int) -> dict[str, Any] | None:
    rec = [i for i, s in enumerate(val) if s.recorded is not None]
    if not rec:
        return None
    y = [val[i].outcome for i in rec]
    g = [val[i].game_id for i in rec]
    ours_r = [ours[i] for i in rec]
    row = _row([val[i].recorded or 0.0 for i in rec], y, g, reps, ours_r)
    return row | {"states": len(rec), "ours_same_states": _row(ours_r, y, g, reps, None)}


def _per_checkpoint(val: list[LabeledState], ours: list[float]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for cp in dict.fromkeys(s.checkpoint for s in val):
        idx = [i for i, s in enumerate(val) if s.checkpoint == cp]
        p = [ours[i] for i in idx]
        out[cp] = {"states": len(idx), **scores(p, [val[i].outcome for i in idx])}
        out[cp]["floor"] = calibration_noise_floor(p, [val[i].game_id for i in idx])
    return out


def reliability(val: list[LabeledState], ours: list[float], prior: list[float], reps: int) -> dict[str, Any]:
    """Mean forecast minus outcome for home favourites and underdogs (by the prior), with game-bootstrap
    95 % intervals, and mean outcome minus forecast in each tenth of the forecast scale (bins holding at
    least 2 % of the states)."""
    p, y = np.asarray(ours), np.asarray([s.outcome for s in val])
    games = [s.game_id for s in val]
    out: dict[str, Any] = {}
    for name, sel in (("home_favourite", np.asarray(prior) > 0.5), ("home_underdog", np.asarray(prior) < 0.5)):
        idx = np.flatnonzero(sel)
        if len(idx):
            d = p[idx] - y[idx]
            out[name] = {
                "p_minus_y": round(float(d.mean()), 4),
                "ci95": bootstrap_diff(d, [games[i] for i in idx], reps),
            }
    bins = np.minimum((p * 10).astype(int), 9)
    out["y_minus_p_by_tenth"] = {
        f"{b / 10:.1f}": round(float((y[bins == b] - p[bins == b]).mean()), 3)
        for b in range(10)
        if (bins == b).sum() >= 0.02 * len(p)
    }
    return out


def _span(seasons: Sequence[str]) -> str:
    return "" if not seasons else seasons[0] if len(seasons) == 1 else f"{seasons[0]}..{seasons[-1]}"


def _shipped(sport: str, ours_brier: float) -> dict[str, Any]:
    raw = read_artifact(artifact_path(sport))
    v = raw.get("validation") or {}
    fitted = raw.get("training_run", {}).get("fitted_on", {})
    return {
        "model_version": raw["model_version"],
        "fitted_on": f"{fitted.get('games')} games, seasons {_span(fitted.get('seasons', []))}",
        "validation_brier": v.get("brier"),
        "validation_matches": v.get("brier") == round(ours_brier, 5),
    }


def bench_sport(sport: str, data: Path, args: argparse.Namespace) -> dict[str, Any]:
    """All figures for one sport with data."""
    folder = data / default_folder(sport)
    split = split_dataset(load_dataset(sport, folder))
    model, origin = split_model(sport, folder, split, not args.no_cache)
    train = [s for s in split.train.states if s.checkpoint != PREGAME]
    val = [s for s in split.validation.states if s.checkpoint != PREGAME]
    y = [s.outcome for s in val]
    games = [s.game_id for s in val]
    ours = [model.probability(s.situation).home for s in val]
    rows: dict[str, Any] = {"ours": _row(ours, y, games, args.bootstrap, None)}
    baselines = {
        "prior": [model.prior_probability(s.situation) for s in val],
        "2f-pooled": two_feature(model, train, val, per_cp=False),
        "2f-per-cp": two_feature(model, train, val, per_cp=True),
    }
    for k, v in baselines.items():
        rows[k] = _row(v, y, games, args.bootstrap, ours)
    rec = _recorded(val, ours, args.bootstrap)
    if rec is not None:
        rows["recorded"] = rec
    shipped = load_model(sport)
    return {
        "sport": sport,
        "validated": shipped.validated,
        "scored_model": model.version,
        "scored_model_origin": origin,
        "shipped": _shipped(sport, rows["ours"]["brier"]),
        "split": split.rule,
        "train_seasons": split.train.seasons(),
        "validation_seasons": split.validation.seasons(),
        "states": len(val),
        "games": len(set(games)),
        "scores": rows,
        "per_checkpoint": _per_checkpoint(val, ours),
        "reliability": reliability(val, ours, baselines["prior"], args.bootstrap),
        "anchors": ANCHORS.get(sport, []),
        "us_per_probability": round(time_per_call(shipped, val, args.timeit_states), 2),
    }


def bench_derived(sport: str, base: str, data: Path, args: argparse.Namespace) -> dict[str, Any]:
    """Timing of an unvalidated derived model on the base league's states relabelled."""
    model = load_model(sport)
    ds = load_dataset(base, data / default_folder(base))
    states = [replace(s, situation=replace(s.situation, sport=sport)) for s in ds.states[:5000]]
    return {
        "sport": sport,
        "validated": model.validated,
        "model_version": model.version,
        "note": f"no {sport} data here; derived from {base} (see artifact validation_note)",
        "us_per_probability": round(time_per_call(model, states, args.timeit_states), 2),
    }


def _fmt(name: str, s: dict[str, Any]) -> str:
    f = s["floor"]
    head = f"  {name:<10} brier {s['brier']:.5f}  log_loss {s['log_loss']:.5f}"
    line = f"{head}  cal_err {s['calibration_error']:.4f} (floor {f['mean']:.4f}, p95 {f['p95']:.4f})"
    if "ours_brier_ratio" in s:
        line += (
            f"  ours/this {s['ours_brier_ratio']:.4f}  dBrier {s['ours_minus_brier']:+.5f} "
            f"{s['ours_minus_brier_ci95']}  dLL {s['ours_minus_log_loss']:+.5f} {s['ours_minus_log_loss_ci95']}"
        )
    return line


def print_report(results: list[dict[str, Any]]) -> None:
    """Human-readable report of `results`."""
    for r in results:
        if "scores" not in r:
            print(f"\n== {r['sport']}  (model {r['model_version']}, validated={r['validated']})")
            print(f"  {r['note']}\n  us/probability {r['us_per_probability']}")
            continue
        sh = r["shipped"]
        print(f"\n== {r['sport']}  (scored: {r['scored_model']}, fitted on {_span(r['train_seasons'])})")
        print(
            f"  shipped {sh['model_version']} fitted on {sh['fitted_on']}; its validation block brier "
            f"{sh['validation_brier']} {'matches' if sh['validation_matches'] else 'DIFFERS FROM'} this run"
        )
        print(f"  held out: {_span(r['validation_seasons'])} ({r['split']}); {r['games']} games, {r['states']} states")
        for name, s in r["scores"].items():
            print(_fmt(name, s))
            if name == "recorded":
                print(_fmt("ours(same)", s["ours_same_states"]) + f"   on {s['states']} states")
        cps = "  ".join(
            f"{cp} {v['brier']:.4f}/{v['calibration_error']:.3f}({v['floor']['mean']:.3f},{v['floor']['p95']:.3f})"
            for cp, v in r["per_checkpoint"].items()
        )
        print(f"  ours by checkpoint, brier/cal_err(floor mean,p95): {cps}")
        rel = r["reliability"]
        side = "  ".join(f"{k} p-y {v['p_minus_y']:+.4f} {v['ci95']}" for k, v in rel.items() if "ci95" in v)
        tenths = " ".join(f"{k}:{v:+.3f}" for k, v in rel["y_minus_p_by_tenth"].items())
        print(f"  ours reliability: {side}\n  ours y-p by forecast tenth: {tenths}")
        for a in r["anchors"]:
            print(f"  anchor     {a}")
        print(f"  us/probability {r['us_per_probability']} (shipped model)")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help=f"data root (default {DEFAULT_DATA})")
    parser.add_argument("--sports", nargs="*", default=list(SPORTS), choices=SPORTS, help="sports to run (default all)")
    parser.add_argument("--timeit-states", type=int, default=20000, help="calls per timing run (default 20000)")
    parser.add_argument("--bootstrap", type=int, default=1000, help="game-bootstrap resamples (default 1000)")
    parser.add_argument("--no-cache", action="store_true", help=f"refit even if {CACHE_DIR} holds the fit")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of the report")
    args = parser.parse_args(argv)
    results: list[dict[str, Any]] = []
    for sport in args.sports:
        if not load_model(sport).validated:
            base = {"cfb": "nfl", "wnba": "nba"}.get(sport, "nfl")
            results.append(bench_derived(sport, base, args.data, args))
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
