"""The training job promotes a model only when it beats the current one on a held-out later slice."""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from services.analytics.config import DEFAULT_TRAINING_DATA, AnalyticsSettings
from services.analytics.models import promote, promoted_path
from services.analytics.training import run_training, split_later
from shared.config import load_settings
from shared.db.pool import create_pool
from shared.winprob.datasets import LabeledState, default_folder, load_dataset
from shared.winprob.datasets.base import result_of
from shared.winprob.registry import read_artifact
from shared.winprob.training import fit_body

pytestmark = [pytest.mark.integration, pytest.mark.xdist_group("replays")]  # the replay fixture: one worker


def shuffled(states: Sequence[LabeledState], seed: int = 0) -> list[LabeledState]:
    """The same states with each game's result taken from another game: a model fitted on them learns noise."""
    games = sorted({s.game_id for s in states})
    outcomes = {g: next(s.outcome for s in states if s.game_id == g) for g in games}
    permuted = list(outcomes.values())
    random.Random(seed).shuffle(permuted)
    new = dict(zip(games, permuted, strict=True))
    return [dataclasses.replace(s, outcome=new[s.game_id], result=result_of(new[s.game_id])) for s in states]


def shuffled_fit(sport: str, states: Sequence[LabeledState], data_dir: Path) -> dict[str, Any]:
    return fit_body(sport, shuffled(states), data_dir)


async def test_better_model_promoted_worse_refused(replayed_database_url: str, tmp_path: Path, clean_env: Any) -> None:
    folder = DEFAULT_TRAINING_DATA / default_folder("nba")
    if not folder.is_dir():
        pytest.skip(f"shipped training data not found at {folder}")
    settings = load_settings(
        AnalyticsSettings, database_url=replayed_database_url, data_dir=tmp_path, train_sports="nba"
    )
    # The current model, constructed worse: fitted on shuffled results of the games before the held-out slice.
    states = load_dataset("nba", folder).states
    before = split_later(states, settings.holdout_share, None).train
    worse = shuffled_fit("nba", before, folder) | {
        "model_version": "nba-shuffled-test",
        "training_run": {"fitted_on": {"last_date": max(s.date for s in before)}},
    }
    promote(settings.models_path, "nba", worse)

    pool = await create_pool(replayed_database_url)
    try:
        better = (await run_training(pool, settings)).runs[0]
        assert better.error is None, better
        assert better.promoted, better.line()
        assert better.brier_new is not None and better.brier_current is not None
        assert better.brier_new < better.brier_current
        assert better.holdout_games >= settings.min_holdout_games and better.holdout_from > better.train_to  # type: ignore[operator]
        promoted = read_artifact(promoted_path(settings.models_path, "nba"))
        assert promoted["model_version"] == better.new_version

        refused = (await run_training(pool, settings, fit=shuffled_fit)).runs[0]
        assert refused.error is None, refused
        assert not refused.promoted, refused.line()
        assert refused.brier_new is not None and refused.brier_current is not None
        assert refused.brier_new >= refused.brier_current
        assert refused.artifact is not None and "candidates" in refused.artifact and Path(refused.artifact).is_file()
        assert read_artifact(promoted_path(settings.models_path, "nba"))["model_version"] == better.new_version

        async with pool.acquire() as conn:
            rows = await conn.fetch("SELECT run_id, metrics, artifact FROM model_runs WHERE sport = 'nba'")
        by_id = {str(r["run_id"]): r for r in rows}
        assert set(by_id) == {better.run_id, refused.run_id}
        assert by_id[better.run_id]["metrics"]["promoted"] is True
        assert by_id[refused.run_id]["metrics"]["promoted"] is False
        assert by_id[refused.run_id]["metrics"]["brier_new"] == refused.brier_new
        assert by_id[better.run_id]["artifact"] == better.artifact
    finally:
        await pool.close()
