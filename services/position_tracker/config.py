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
    exits: bool = Field(default=True, description="take-profit, stop-loss and model-flip exit signals")
    exit_take_profit_cents: int = Field(default=20, gt=0, le=99)
    exit_stop_loss_cents: int = Field(default=25, gt=0, le=99)
    exit_model_flip_cents: int = Field(default=8, gt=0, le=99)
    exit_interval_s: float = Field(default=2.0, gt=0)
    exit_ttl_s: float = Field(default=10.0, gt=0)
