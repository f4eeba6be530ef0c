"""Settings of the game shard (``GAME_SHARD_*``)."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from shared.config import ArbeesSettings


class GameShardSettings(ArbeesSettings):
    """What one game shard watches and when it signals."""

    model_config = SettingsConfigDict(env_prefix="GAME_SHARD_")

    shard_id: str = Field(default="0", min_length=1)
    strategy: str = "model_edge_v1"
    min_edge_cents: int = Field(default=3, ge=0, le=100)
    signal_ttl_s: float = Field(default=10.0, gt=0)
    signal_cooldown_s: float = Field(default=30.0, ge=0)
    max_book_age_s: float = Field(default=30.0, gt=0)
    model_weight: float = Field(default=0.5, ge=0, le=1)
