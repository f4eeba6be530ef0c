"""Settings of the position tracker (``POSITIONS_*``)."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from shared.config import ArbeesSettings


class PositionTrackerSettings(ArbeesSettings):
    """How often marks and P&L snapshots are written."""

    model_config = SettingsConfigDict(env_prefix="POSITIONS_")

    mark_min_interval_s: float = Field(default=1.0, gt=0)
    snapshot_interval_s: float = Field(default=60.0, gt=0)
