"""Where trained models live: the promoted artifact of each sport, candidates, and the current model.

``<models dir>/<sport>.json`` is the promoted model (written atomically: temporary file, fsync, rename);
``<models dir>/candidates/<sport>-<run>.json`` keeps every model that was not promoted. The current model
of a sport is its promoted artifact when there is one, otherwise the repository's shipped artifact
(``shared/winprob/artifacts/<sport>.json``), which is never modified.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from shared.winprob.interface import WinProbModel
from shared.winprob.registry import artifact_path, model_from_artifact, read_artifact
from shared.winprob.training import write_artifact


@dataclass(frozen=True, slots=True)
class CurrentModel:
    """The model new fits are compared with, where it came from and the last date it was fitted on."""

    model: WinProbModel
    path: Path
    promoted: bool
    fitted_until: str | None


def promoted_path(models_dir: Path, sport: str) -> Path:
    """The promoted artifact of ``sport``."""
    return models_dir / f"{sport}.json"


def candidate_path(models_dir: Path, sport: str, run_id: str) -> Path:
    """Where a model that was not promoted is kept."""
    return models_dir / "candidates" / f"{sport}-{run_id}.json"


def fitted_until(raw: dict[str, Any]) -> str | None:
    """The last game date an artifact's model was fitted on (``training_run.fitted_on.last_date``)."""
    run = raw.get("training_run") or {}
    last = (run.get("fitted_on") or {}).get("last_date")
    return str(last) if last else None


def current_model(models_dir: Path, sport: str) -> CurrentModel:
    """The promoted model of ``sport``, else the shipped one (blocking file read)."""
    path = promoted_path(models_dir, sport)
    promoted = path.is_file()
    if not promoted:
        path = artifact_path(sport)
    raw = read_artifact(path)
    return CurrentModel(model_from_artifact(raw), path, promoted, fitted_until(raw))


def promote(models_dir: Path, sport: str, body: dict[str, Any]) -> Path:
    """Make ``body`` the promoted model of ``sport`` (atomic replace; blocking)."""
    path = promoted_path(models_dir, sport)
    tmp = path.with_name(path.name + ".tmp")
    write_artifact(body, tmp)
    with open(tmp, "rb") as f:
        os.fsync(f.fileno())
    os.replace(tmp, path)
    return path


def keep_candidate(models_dir: Path, sport: str, run_id: str, body: dict[str, Any]) -> Path:
    """Store a model that was not promoted (blocking)."""
    path = candidate_path(models_dir, sport, run_id)
    write_artifact(body, path)
    return path
