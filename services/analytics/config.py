"""Settings of the analytics service (``ANALYTICS_*``): time zone, job times, retention, training."""

from __future__ import annotations

import re
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, field_validator
from pydantic_settings import SettingsConfigDict

from shared.config import ArbeesSettings
from shared.winprob.datasets import LOADERS

_HHMM = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")
DEFAULT_TRAINING_DATA = Path(__file__).resolve().parents[3] / "shared" / "data" / "winprob"
"""The shipped training data next to the repository (``../shared/data/winprob``)."""


class AnalyticsSettings(ArbeesSettings):
    """Nightly jobs.

    ``timezone``: IANA zone the job times are in. ``archive_at`` / ``train_at`` / ``report_at``: ``HH:MM``.
    ``retention_days``: time series older than this leave the hot tables. ``train_sports``: the sports
    refitted nightly; ``holdout_share``: the latest share of game dates held out to compare new and current
    model; ``training_data_dir``: the shipped data (``../shared/data/winprob``); ``min_holdout_games``: a
    comparison on fewer held-out games promotes nothing.
    """

    model_config = SettingsConfigDict(env_prefix="ANALYTICS_")

    timezone: str = "America/New_York"
    archive_at: str = "23:00"
    train_at: str = "00:00"
    report_at: str = "00:30"
    retention_days: float = Field(default=7.0, ge=0)
    archive_dir: Path | None = None
    train_sports: str = "nba,nhl,nfl,soccer,ncaab,mlb"
    training_data_dir: Path = DEFAULT_TRAINING_DATA
    holdout_share: float = Field(default=0.2, gt=0, lt=1)
    min_holdout_games: int = Field(default=5, ge=1)
    models_dir: Path | None = None
    reports_dir: Path | None = None
    misfire_grace_s: int = Field(default=3600, ge=1)

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {value!r} (an IANA name such as America/New_York)") from None
        return value

    @field_validator("archive_at", "train_at", "report_at")
    @classmethod
    def _hhmm(cls, value: str) -> str:
        if not _HHMM.match(value):
            raise ValueError(f"must be HH:MM (24 h), not {value!r}")
        return value

    @field_validator("train_sports")
    @classmethod
    def _sports_list(cls, value: str) -> str:
        sports = [s.strip() for s in value.split(",") if s.strip()]
        unknown = [s for s in sports if s not in LOADERS]
        if unknown:
            raise ValueError(f"no training data layout for {unknown}; expected some of {sorted(LOADERS)}")
        return ",".join(sports)

    @property
    def sports(self) -> tuple[str, ...]:
        """The sports refitted nightly."""
        return tuple(s for s in self.train_sports.split(",") if s)

    @property
    def zone(self) -> ZoneInfo:
        """The configured time zone."""
        return ZoneInfo(self.timezone)

    @property
    def archive_path(self) -> Path:
        """Where Parquet archives go (``$ARBEES_DATA_DIR/archive`` by default)."""
        return self.archive_dir or self.data_dir / "archive"

    @property
    def models_path(self) -> Path:
        """Where trained models go: ``<sport>.json`` promoted, ``candidates/`` the rest."""
        return self.models_dir or self.data_dir / "models"

    @property
    def reports_path(self) -> Path:
        """Where the hot-wash reports go."""
        return self.reports_dir or self.data_dir / "reports"
