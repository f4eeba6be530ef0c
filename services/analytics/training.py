"""The training job (00:00): refit each sport's model and promote it only if it wins on a later, held-out slice.

For each sport the states are our own finished games (hot + archived ``game_states``, see
`services.analytics.states`) plus the shipped training data (``ANALYTICS_TRAINING_DATA_DIR``, the layout of
``../shared/data/winprob``). Held out are the states dated on or after the cut: the latest
``ANALYTICS_HOLDOUT_SHARE`` of game dates, and never a date the current model was fitted on (so the current
model is scored on games it never saw). The new model is fitted on the rest with the same procedure as
``arbees winprob train`` (`shared.winprob.training.fit_body`); both are scored (Brier of the home-win
probability on the held-out in-game states). The new model is promoted only if its Brier is strictly lower;
otherwise it is kept as a candidate. With fewer than ``ANALYTICS_MIN_HOLDOUT_GAMES`` held-out games nothing is
fitted. Every run is a ``model_runs`` row with its figures.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import asyncpg

from services.analytics.config import AnalyticsSettings
from services.analytics.models import CurrentModel, current_model, keep_candidate, promote
from services.analytics.states import database_states
from shared.winprob.datasets import PREGAME, LabeledState, default_folder, load_dataset
from shared.winprob.features import FEATURES
from shared.winprob.interface import WinProbModel
from shared.winprob.metrics import brier
from shared.winprob.registry import model_from_artifact
from shared.winprob.training import fit_body, model_version

log = logging.getLogger(__name__)

Fitter = Callable[[str, Sequence[LabeledState], Path], dict[str, Any]]
"""Fits an artifact body on labelled states (`shared.winprob.training.fit_body`)."""


@dataclass(slots=True)
class SportRun:
    """The figures of one sport's training run (also stored in ``model_runs.metrics``)."""

    sport: str
    run_id: str
    promoted: bool = False
    reason: str = ""
    brier_new: float | None = None
    brier_current: float | None = None
    train_states: int = 0
    holdout_states: int = 0
    holdout_games: int = 0
    database_states: int = 0
    train_from: str | None = None
    train_to: str | None = None
    holdout_from: str | None = None
    holdout_to: str | None = None
    current_model: str = ""
    current_version: str = ""
    new_version: str = ""
    artifact: str | None = None
    error: str | None = None

    def line(self) -> str:
        """One console line."""
        if self.error:
            return f"  {self.sport}: FAILED {self.error}"
        figures = (
            f"Brier new {self.brier_new:.5f} vs current {self.brier_current:.5f}"
            if self.brier_new is not None and self.brier_current is not None
            else "not compared"
        )
        verdict = "PROMOTED" if self.promoted else "kept as candidate"
        return (
            f"  {self.sport}: {verdict} ({self.reason}); {figures} on {self.holdout_states} held-out states "
            f"({self.holdout_games} games, {self.holdout_from} to {self.holdout_to}); trained on "
            f"{self.train_states} states ({self.train_from} to {self.train_to}); artifact {self.artifact}"
        )


@dataclass(slots=True)
class TrainingResult:
    """Every sport's run."""

    runs: list[SportRun] = field(default_factory=list)

    def summary(self) -> str:
        """A few lines for the console."""
        return "\n".join(["training:", *(r.line() for r in self.runs)])

    @property
    def failed(self) -> list[SportRun]:
        """Runs that raised."""
        return [r for r in self.runs if r.error]


@dataclass(frozen=True, slots=True)
class Slices:
    """Training and held-out states and the first held-out date."""

    train: list[LabeledState]
    holdout: list[LabeledState]
    cut: str | None


def split_later(states: Sequence[LabeledState], share: float, fitted_until: str | None) -> Slices:
    """Hold out the latest ``share`` of dates, and every date after ``fitted_until`` at the earliest."""
    dates = sorted({s.date for s in states})
    if not dates:
        return Slices([], [], None)
    cut = dates[min(int(len(dates) * (1.0 - share)), len(dates) - 1)]
    if fitted_until is not None:
        after = (date.fromisoformat(fitted_until[:10]) + timedelta(days=1)).isoformat()
        cut = max(cut, after)
    return Slices([s for s in states if s.date < cut], [s for s in states if s.date >= cut], cut)


def holdout_brier(model: WinProbModel, states: Sequence[LabeledState]) -> float:
    """Brier of the home-win probability on the in-game states (blocking)."""
    live = [s for s in states if s.checkpoint != PREGAME]
    return brier([model.probability(s.situation).home for s in live], [s.outcome for s in live])


def _shipped(data_dir: Path, sport: str) -> tuple[list[LabeledState], Path]:
    folder = data_dir / default_folder(sport)
    if not folder.is_dir():
        log.warning("no shipped training data for sport", extra={"sport": sport, "folder": str(folder)})
        return [], folder
    return load_dataset(sport, folder).states, folder


def _span(states: Sequence[LabeledState]) -> tuple[str | None, str | None]:
    dates = [s.date for s in states]
    return (min(dates), max(dates)) if dates else (None, None)


async def run_training(
    pool: asyncpg.Pool, settings: AnalyticsSettings, sports: Sequence[str] | None = None, fit: Fitter = fit_body
) -> TrainingResult:
    """Train every sport in turn; a sport that fails is recorded and the others still run."""
    result = TrainingResult()
    for sport in sports or settings.sports:
        run = SportRun(sport, str(uuid.uuid4()))
        started = datetime.now(UTC)
        try:
            await _train_sport(pool, settings, run, fit)
        except Exception as e:  # noqa: BLE001 - recorded in model_runs, reported by the job
            log.exception("training failed", extra={"sport": sport})
            run.error = f"{type(e).__name__}: {e}"
        await _record(pool, run, started, settings)
        result.runs.append(run)
    return result


async def _train_sport(pool: asyncpg.Pool, settings: AnalyticsSettings, run: SportRun, fit: Fitter) -> None:
    own = await database_states(pool, run.sport, settings.zone)
    shipped, folder = await asyncio.to_thread(_shipped, settings.training_data_dir, run.sport)
    current: CurrentModel = await asyncio.to_thread(current_model, settings.models_path, run.sport)
    run.database_states = len(own)
    run.current_model, run.current_version = str(current.path), current.model.version
    slices = split_later([*shipped, *own], settings.holdout_share, current.fitted_until)
    run.train_states, run.holdout_states = len(slices.train), len(slices.holdout)
    run.holdout_games = len({s.game_id for s in slices.holdout})
    (run.train_from, run.train_to), (run.holdout_from, run.holdout_to) = _span(slices.train), _span(slices.holdout)
    if not slices.train:
        raise ValueError(f"no training states for {run.sport}")
    if run.holdout_games < settings.min_holdout_games:
        # Nothing to compare on: no fit (a model that cannot be judged is never promoted).
        run.reason = f"only {run.holdout_games} held-out game(s), {settings.min_holdout_games} needed; not fitted"
        return
    body = await asyncio.to_thread(fit, run.sport, slices.train, folder)
    body["model_version"] = run.new_version = model_version(run.sport, body["family"], holdout=True)
    body["features"] = FEATURES.get(run.sport, {})
    body["training_run"] = _training_block(run, slices)
    new = model_from_artifact(body)
    run.brier_new = await asyncio.to_thread(holdout_brier, new, slices.holdout)
    run.brier_current = await asyncio.to_thread(holdout_brier, current.model, slices.holdout)
    run.promoted = run.brier_new < run.brier_current
    run.reason = "beats the current model" if run.promoted else "does not beat the current model"
    body["validation"] = {"method": "held-out later slice", **_figures(run)}
    models = settings.models_path
    saver = promote if run.promoted else keep_candidate
    args = (models, run.sport, body) if run.promoted else (models, run.sport, run.run_id, body)
    run.artifact = str(await asyncio.to_thread(saver, *args))
    log.info("training run", extra={"sport": run.sport, "promoted": run.promoted, "reason": run.reason})


def _training_block(run: SportRun, slices: Slices) -> dict[str, Any]:
    return {
        "code": "services.analytics.training",
        "run_id": run.run_id,
        "trained_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "fitted_on": {
            "rule": f"states dated before {slices.cut} (our finished games and the shipped data)",
            "rows": run.train_states,
            "games": len({s.game_id for s in slices.train}),
            "first_date": run.train_from,
            "last_date": run.train_to,
        },
    }


def _figures(run: SportRun) -> dict[str, Any]:
    keys = ("brier_new", "brier_current", "holdout_states", "holdout_games", "holdout_from", "holdout_to")
    return {k: getattr(run, k) for k in keys}


async def _record(pool: asyncpg.Pool, run: SportRun, started: datetime, settings: AnalyticsSettings) -> None:
    params = {"holdout_share": settings.holdout_share, "min_holdout_games": settings.min_holdout_games,
              "training_data_dir": str(settings.training_data_dir)}  # fmt: skip
    async with pool.acquire() as conn:
        await conn.execute(
            """INSERT INTO model_runs (run_id, sport, model, started_at, finished_at, params, metrics, artifact)
               VALUES ($1, $2, 'winprob', $3, now(), $4, $5, $6)""",
            uuid.UUID(run.run_id),
            run.sport,
            started,
            params,
            asdict(run),
            run.artifact,
        )
