"""Training runs: validate the method on held-out seasons, then fit the shipped model on every season.

A run does two fits with the same procedure (`fit_body`):

1. validation: fit on the training split only and score on the held-out split (the artifact's
   ``validation`` block, which says so in its ``method`` field);
2. production: refit on all games of the folder (train and held-out seasons together). These are the
   coefficients shipped, since later seasons are kept aside by the data owners for independent evaluation
   (`arbees winprob evaluate --data DIR` on them scores the repository artifact). With ``holdout=True``
   (``arbees winprob train --holdout``) the split-fit model itself is written instead, e.g. to reproduce
   the validation scores.

Split rule (never random rows): with several seasons in the folder, the latest ``VALIDATION_SEASONS[sport]``
seasons are held out and the earlier ones train; with a single season, games are ordered by date and the
latest 20 % of dates (50 % for MLB) are held out. The artifact's ``training_run`` records what the shipped
model was fitted on (``fitted_on``), the split used for validation (``validation_split``), row and game
counts, the date and the library versions.
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
from shared.winprob.features import FEATURES
from shared.winprob.registry import artifact_path, model_from_artifact
from shared.winprob.training_margin import MarginConfig, train_margin
from shared.winprob.training_mlb import train_mlb
from shared.winprob.training_poisson import train_poisson

VALIDATION_SEASONS: dict[str, int] = {"nba": 2, "wnba": 1, "nfl": 3, "cfb": 2, "nhl": 2, "soccer": 5}
SINGLE_SEASON_HOLDOUT: dict[str, float] = {"mlb": 0.5}
"""Share of a single season's dates held out (default 0.2). MLB holds out half: its table is external, so
the line scores only choose and fit the calibration layer, and a larger validation set measures more."""
MODEL_REVISION = "1.1.0"

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
        calibration_bands=tuple(x / 2400.0 for x in (0.0, 60.0, 300.0, 600.0, 1200.0, 1800.0, 2401.0)),
    ),
    "nfl": MarginConfig(possession={"kind": "football_ep", "source": "nflfastR 2.1.0 EP table (see football.py)"}),
    "cfb": MarginConfig(possession={"kind": "football_ep", "source": "nflfastR 2.1.0 EP table (see football.py)"}),
}


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


def _count(d: Dataset) -> dict[str, Any]:
    return {
        "seasons": d.seasons(),
        "games": d.games,
        "rows": len(d.states),
        "first_date": min(s.date for s in d.states),
        "last_date": max(s.date for s in d.states),
    }


def _run_block(ds: Dataset, split: Split, data_dir: Path, holdout: bool) -> dict[str, Any]:
    import numpy
    import scipy

    fitted = split.train if holdout else ds
    rule = "training split only (--holdout)" if holdout else "all games in the folder (training and held-out split)"
    return {
        "data_folder": str(data_dir),
        "layout": ds.layout,
        "fitted_on": {"rule": rule, **_count(fitted)},
        "validation_split": {"rule": split.rule, "train": _count(split.train), "validation": _count(split.validation)},
        "trained_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "code": "shared.winprob.training",
        "python": platform.python_version(),
        "numpy": numpy.__version__,
        "scipy": scipy.__version__,
    }


def validation_note(split: Split, holdout: bool) -> str:
    """The ``method`` sentence of an artifact's validation block."""

    def part(d: Dataset) -> str:
        return f"{d.games} games, {min(s.date for s in d.states)} to {max(s.date for s in d.states)}"

    train, held = part(split.train), part(split.validation)
    if holdout:
        return f"this model, fitted on the training split only ({train}), scored on the held-out split ({held})"
    return (
        f"the same training procedure fitted on the training split only ({train}; {split.rule}) and scored "
        f"on the held-out split ({held}), which that fit never saw; the shipped coefficients are a refit of "
        "that procedure on all games (see training_run.fitted_on), so they have no held-out score of their own"
    )


def model_version(sport: str, family: str, holdout: bool) -> str:
    """Version string of a trained model (``-holdout`` build tag for split-fit models)."""
    tag = ".holdout" if holdout else ""
    return f"{sport}-{family}-{MODEL_REVISION}+{datetime.now(UTC):%Y%m%d}{tag}"


def fit_split(sport: str, split: Split, data_dir: str | Path) -> dict[str, Any]:
    """Artifact body of `sport` fitted on the training split only (the model the validation scores)."""
    body = fit_body(sport, split.train.states, Path(data_dir))
    body["model_version"] = model_version(sport, body["family"], holdout=True)
    return body


def train(sport: str, data_dir: str | Path, out: str | Path | None = None, holdout: bool = False) -> dict[str, Any]:
    """Validate the training procedure of `sport` on held-out games, fit the shipped model, write it.

    Parameters
    ----------
    sport
        Sport code; its data layout is chosen by `shared.winprob.datasets.load_dataset`.
    data_dir
        Folder in that layout.
    out
        Artifact path; the repository artifact of the sport when ``None``.
    holdout
        Write the model fitted on the training split only instead of the refit on all games.

    Returns
    -------
    dict
        The artifact written.
    """
    path = Path(data_dir)
    ds = load_dataset(sport, path)
    split = split_dataset(ds)
    split_body = fit_split(sport, split, path)
    validation = evaluate_states(model_from_artifact(split_body), split.validation)
    validation["method"] = validation_note(split, holdout)
    body = split_body if holdout else fit_body(sport, ds.states, path)
    body["model_version"] = model_version(sport, body["family"], holdout)
    body["features"] = FEATURES.get(sport, {})
    body["training_run"] = _run_block(ds, split, path, holdout)
    body["validation"] = validation
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
