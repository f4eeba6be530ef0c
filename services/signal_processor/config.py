"""Settings of the signal processor (``SIGNAL_*``): the hard risk limits."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from shared.config import ArbeesSettings


class SignalProcessorSettings(ArbeesSettings):
    """Per-trade and per-game limits, in integer cents."""

    model_config = SettingsConfigDict(env_prefix="SIGNAL_")

    max_trade_notional_cents: int = Field(default=2_000, gt=0)
    max_game_exposure_cents: int = Field(default=5_000, gt=0)
    max_contracts_per_order: int = Field(default=1_000, gt=0)
    min_edge_cents: int = Field(default=1, ge=0)
