"""A model the analytics service promoted into the models folder wins over the shipped artifact."""

from __future__ import annotations

import json
import os
from pathlib import Path

from shared.winprob.registry import artifact_path, load_model, promoted_artifact


def _promote(models_dir: Path, version: str, mtime_ns: int) -> None:
    raw = json.loads(artifact_path("nba").read_text())
    raw["model_version"] = version
    path = promoted_artifact(models_dir, "nba")
    path.write_text(json.dumps(raw))
    os.utime(path, ns=(mtime_ns, mtime_ns))


def test_without_a_promoted_model_the_shipped_one_answers(tmp_path: Path) -> None:
    assert load_model("nba", models_dir=tmp_path).version == load_model("nba").version


def test_a_promoted_model_wins_and_a_newer_promotion_is_picked_up(tmp_path: Path) -> None:
    _promote(tmp_path, "promoted-1", 1_000_000_000_000_000_000)
    assert load_model("nba", models_dir=tmp_path).version == "promoted-1"
    _promote(tmp_path, "promoted-2", 1_000_000_001_000_000_000)
    assert load_model("nba", models_dir=tmp_path).version == "promoted-2"
    assert load_model("nba").version != "promoted-2"  # the shipped artifact is untouched
