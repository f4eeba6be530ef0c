"""Load trained models from their JSON artifacts (one file per sport under ``artifacts/``).

Artifacts are human-readable JSON with ``format_version``, ``model_version``, ``family`` and a
``training_run`` block; loading happens once at start-up and turns every table into plain floats and
tuples, so answering never touches the file again.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

from shared.winprob import baseball, margin, poisson
from shared.winprob.interface import WinProbModel
from shared.winprob.types import SPORTS

FORMAT_VERSION = 1
ARTIFACT_DIR = Path(__file__).resolve().parent / "artifacts"


def artifact_path(sport: str) -> Path:
    """Path of the repository artifact for `sport`."""
    return ARTIFACT_DIR / f"{sport}.json"


def read_artifact(path: str | Path) -> dict[str, Any]:
    """Parse an artifact file.

    Raises
    ------
    ValueError
        If the file's ``format_version`` is not supported.
    OSError
        If the file cannot be read.
    """
    with open(path, encoding="utf-8") as f:
        raw: dict[str, Any] = json.load(f)
    if raw.get("format_version") != FORMAT_VERSION:
        raise ValueError(f"{path}: unsupported format_version {raw.get('format_version')!r}")
    return raw


def model_from_artifact(raw: Mapping[str, Any]) -> WinProbModel:
    """Build the model an artifact mapping describes.

    Raises
    ------
    ValueError
        If the artifact's ``family`` is unknown.
    """
    family = raw.get("family")
    if family == margin.FAMILY:
        return margin.KnotLogitModel(margin.spec_from_json(raw))
    if family == poisson.FAMILY:
        return poisson.PoissonModel(poisson.spec_from_json(raw))
    if family == baseball.FAMILY:
        return baseball.BaseballModel(baseball.spec_from_json(raw))
    raise ValueError(f"unknown model family {family!r}")


def promoted_artifact(models_dir: Path, sport: str) -> Path:
    """Where the analytics service puts the model it promoted for ``sport`` (``<models_dir>/<sport>.json``)."""
    return models_dir / f"{sport}.json"


@lru_cache(maxsize=32)
def _load_cached(sport: str, path: str, mtime_ns: int = 0) -> WinProbModel:
    raw = read_artifact(path)
    if raw.get("sport") != sport:
        raise ValueError(f"{path} holds a model for {raw.get('sport')!r}, not {sport!r}")
    return model_from_artifact(raw)


def load_model(sport: str, path: str | None = None, models_dir: Path | None = None) -> WinProbModel:
    """Load the win-probability model for `sport` (cached per sport, path and file version).

    With ``models_dir`` (and no ``path``) a model the analytics service promoted there wins over the
    shipped artifact; a newer promotion is picked up on the next call (the cache is keyed on the file's
    modification time).

    Parameters
    ----------
    sport
        One of `shared.winprob.types.SPORTS`.
    path
        Artifact file; the promoted one or the repository's ``shared/winprob/artifacts/<sport>.json``
        when ``None``.
    models_dir
        Where promoted models are (``<sport>.json``); ignored when ``path`` is given.

    Raises
    ------
    ValueError
        If the sport is unknown or the artifact is for another sport or format.
    OSError
        If the artifact cannot be read.
    """
    if sport not in SPORTS:
        raise ValueError(f"unknown sport {sport!r}; expected one of {list(SPORTS)}")
    if path is None and models_dir is not None:
        promoted = promoted_artifact(models_dir, sport)
        with contextlib.suppress(OSError):
            return _load_cached(sport, str(promoted), promoted.stat().st_mtime_ns)
    return _load_cached(sport, str(path) if path is not None else str(artifact_path(sport)))
