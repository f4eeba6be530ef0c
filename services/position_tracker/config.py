"""Settings of the position tracker (``POSITIONS_*``)."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from shared.config import ArbeesSettings


class PositionTrackerSettings(ArbeesSettings):
    """How often marks and P&L snapshots are written, and how often venues are asked about settlement.

    ``settlement_watch`` off leaves settlement to whoever publishes ``MarketSettled`` (the scripted demo).
    """

    model_config = SettingsConfigDict(env_prefix="POSITIONS_")

    mark_min_interval_s: float = Field(default=1.0, gt=0)
    snapshot_interval_s: float = Field(default=60.0, gt=0)
    settlement_watch: bool = True
    settlement_interval_s: float = Field(default=30.0, gt=0)
    max_daily_loss_cents: int = Field(
        default=50_000, gt=0, description="today's realized + unrealized loss beyond this halts trading"
    )
    drawdown_interval_s: float = Field(default=5.0, gt=0)
