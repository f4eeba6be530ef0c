"""Training runs: split by season, fit the sport's model, score it on the held-out seasons, write JSON.

Split rule (never random rows): with several seasons in the folder, the latest ``VALIDATION_SEASONS[sport]``
seasons are held out and the earlier ones train; with a single season, games are ordered by date and the
latest 20 % of dates (50 % for MLB) are held out. The artifact records the rule, the seasons, the row and game counts,
the date, and the validation scores (see `shared.winprob.evaluation`).
"""

from __future__ import annotations

import json
import platform
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from shared.winprob.datasets import Dataset, LabeledState, load_dataset
from shared.winprob.evaluation import evaluate_states
from shared.winprob.registry import artifact_path, model_from_artifact
from shared.winprob.training_margin import MarginConfig, train_margin
from shared.winprob.training_mlb import train_mlb
from shared.winprob.training_poisson import train_poisson

VALIDATION_SEASONS: dict[str, int] = {"nba": 2, "wnba": 1, "nfl": 3, "cfb": 2, "nhl": 2, "soccer": 5}
SINGLE_SEASON_HOLDOUT: dict[str, float] = {"mlb": 0.5}
"""Share of a single season's dates held out (default 0.2). MLB holds out half: its table is external, so
the line scores only fit the calibration map and a larger validation set measures more."""
MODEL_REVISION = "1.0.0"

MARGIN_CONFIGS: dict[str, MarginConfig] = {
    "nba": MarginConfig(
        possession={"kind": "points", "points": 0.55, "source": "half of NBA points per possession (~1.1)"}
    ),
    "wnba": MarginConfig(
        possession={"kind": "points", "points": 0.5, "source": "half of WNBA points per possession (~1.0)"}
    ),
    "ncaab": MarginConfig(
        dense_step_seconds=30.0,
        bandwidth_seconds=120.0,
        timeouts=False,
        require_prior=True,
        possession={"kind": "points", "points": 0.5, "source": "half of NCAA D-I points per possession (~1.0)"},
    ),
    "nfl": MarginConfig(possession={"kind": "football_ep", "source": "nflfastR 2.1.0 EP table (see football.py)"}),
    "cfb": MarginConfig(possession={"kind": "football_ep", "source": "nflfastR 2.1.0 EP table (see football.py)"}),
}


FEATURES: dict[str, dict[str, Any]] = {
    "nba": {
        "validated": ["score margin", "time left (end of Q1-Q3 states)", "overtime start", "closing moneyline prior"],
        "unvalidated": {
            "possession": "0.55 points for the team with the ball (half of NBA ~1.1 points per possession)",
            "timeouts": "not used (no timeouts in this data)",
            "within-quarter time": "coefficients interpolated between quarter knots (shape checked on NCAAB pbp)",
        },
    },
    "ncaab": {
        "validated": ["score margin", "time left (every play)", "overtime", "pre-game spread"],
        "unvalidated": {"possession": "0.5 points for the team with the ball (half of ~1.0 points per possession)"},
        "tested_not_used": {"timeouts": "fitted on this data; held-out Brier 0.14068 with vs 0.14064 without"},
    },
    "nfl": {
        "validated": ["score margin", "time left (end of Q1-Q3 states)", "overtime start", "closing moneyline prior"],
        "unvalidated": {
            "possession, down, distance, yards_to_goal": "nflfastR 2.1.0 expected-points table (football.py)",
            "timeouts": "not used",
        },
    },
    "nhl": {
        "validated": ["goal margin", "time left (end of P1, P2)", "overtime start", "closing moneyline prior"],
        "unvalidated": {
            "overtime goal rate": "assumed: 60% of 3-on-3 overtimes decided before the shoot-out",
            "pulled goalie": "not modelled",
        },
    },
    "soccer": {
        "validated": ["goal margin", "half-time state", "three-way closing odds prior", "draws"],
        "unvalidated": {
            "red cards": "opponent rate x1.88 per red card (Ridder, Cramer & Hopstaken 1994, JASA)",
            "stoppage time": "at least 2 minutes of second-half scoring while play goes on",
            "leagues other than the EPL": "not measured",
        },
    },
    "mlb": {
        "validated": ["run difference", "inning and half (half-inning starts)", "extra innings"],
        "unvalidated": {
            "pre-game prior shift": "no pre-game line in this data",
            "outs and bases": "from the Retrosheet table; line scores only test 0 outs, bases empty",
        },
    },
}
"""Which inputs the held-out data measures and which come from a published source, per sport."""


@dataclass(frozen=True, slots=True)
class Split:
    """Training and validation game ids and the rule that chose them."""

    train: Dataset
    validation: Dataset
    rule: str


def split_dataset(ds: Dataset, n_val_seasons: int | None = None) -> Split:
    """Split `ds` by season, or by date within a single season (see module docstring)."""
    seasons = ds.seasons()
    if len(seasons) >= 2:
        n = min(n_val_seasons or VALIDATION_SEASONS.get(ds.sport, 1), len(seasons) - 1)
        val = set(seasons[-n:])
        ids_val = {s.game_id for s in ds.states if s.season in val}
        rule = f"latest {n} season(s) held out"
    else:
        dates = sorted({s.date for s in ds.states})
        share = SINGLE_SEASON_HOLDOUT.get(ds.sport, 0.2)
        cut = dates[int(len(dates) * (1.0 - share))]
        ids_val = {s.game_id for s in ds.states if s.date >= cut}
        rule = f"single season: games dated {cut} or later held out (latest {share:.0%} of dates)"
    ids_train = {s.game_id for s in ds.states} - ids_val
    if not ids_train or not ids_val:
        raise ValueError(f"cannot split {ds.source}: need games on both sides of the split")
    return Split(ds.subset(ids_train), ds.subset(ids_val), rule)


def fit_body(sport: str, states: Sequence[LabeledState], data_dir: Path) -> dict[str, Any]:
    """Fit the model family of `sport` on `states`; the artifact body without run metadata."""
    if sport in MARGIN_CONFIGS:
        return train_margin(states, sport, MARGIN_CONFIGS[sport])
    if sport == "nhl":
        return train_poisson(states, sport, draws=False)
    if sport == "soccer":
        return train_poisson(states, sport, draws=True)
    if sport == "mlb":
        return train_mlb(states, data_dir)
    raise ValueError(f"no trainer for sport {sport!r}")


def _run_block(ds: Dataset, split: Split, data_dir: Path) -> dict[str, Any]:
    def count(d: Dataset) -> dict[str, Any]:
        return {
            "seasons": d.seasons(),
            "games": d.games,
            "rows": len(d.states),
            "first_date": min(s.date for s in d.states),
            "last_date": max(s.date for s in d.states),
        }

    import numpy
    import scipy

    return {
        "data_folder": str(data_dir),
        "layout": ds.layout,
        "split_rule": split.rule,
        "train": count(split.train),
        "validation": count(split.validation),
        "trained_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "code": "shared.winprob.training",
        "python": platform.python_version(),
        "numpy": numpy.__version__,
        "scipy": scipy.__version__,
    }


def train(sport: str, data_dir: str | Path, out: str | Path | None = None) -> dict[str, Any]:
    """Train `sport` on `data_dir`, score it on the held-out games and write the artifact.

    Parameters
    ----------
    sport
        Sport code; its data layout is chosen by `shared.winprob.datasets.load_dataset`.
    data_dir
        Folder in that layout.
    out
        Artifact path; the repository artifact of the sport when ``None``.

    Returns
    -------
    dict
        The artifact written.
    """
    path = Path(data_dir)
    ds = load_dataset(sport, path)
    split = split_dataset(ds)
    body = fit_body(sport, split.train.states, path)
    body["model_version"] = f"{sport}-{body['family']}-{MODEL_REVISION}+{datetime.now(UTC):%Y%m%d}"
    body["features"] = FEATURES.get(sport, {})
    body["training_run"] = _run_block(ds, split, path)
    body["validation"] = evaluate_states(model_from_artifact(body), split.validation)
    write_artifact(body, out if out is not None else artifact_path(sport))
    return body


def write_artifact(body: dict[str, Any], path: str | Path) -> None:
    """Write an artifact as indented, key-ordered JSON (the top-level blocks come first)."""
    first = ["format_version", "sport", "family", "model_version", "validated", "validation_note", "features"]
    ordered = {k: body[k] for k in first if k in body} | {k: v for k, v in body.items() if k not in first}
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        json.dump(ordered, f, indent=1)
        f.write("\n")
