"""Settings of the game shard (``GAME_SHARD_*``)."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from shared.config import ArbeesSettings


class GameShardSettings(ArbeesSettings):
    """What one game shard watches, where its feeds come from and when it signals.

    ``espn_feed`` polls ESPN summaries of the assigned games; ``kalshi_feed`` holds the assigned Kalshi
    books (``auto``: the WebSocket when Kalshi credentials are set, else REST snapshots every
    ``kalshi_poll_s``). ``off`` leaves the feed to whoever publishes on the bus (the scripted demo).
    """

    model_config = SettingsConfigDict(env_prefix="GAME_SHARD_")

    shard_id: str = Field(default="0", min_length=1)
    strategy: str = "model_edge_v1"
    min_edge_cents: int = Field(default=3, ge=0, le=100)
    signal_ttl_s: float = Field(default=10.0, gt=0)
    signal_cooldown_s: float = Field(default=30.0, ge=0)
    max_book_age_s: float = Field(default=30.0, gt=0)
    max_state_age_s: float = Field(default=30.0, gt=0, description="no successful ESPN read this long: stale")
    model_weight: float = Field(default=0.5, ge=0, le=1)
    arbitrage: bool = Field(default=True, description="signal cross-venue arbitrage")
    arbitrage_strategy: str = "cross_venue_arb_v1"
    arbitrage_min_edge_cents: int = Field(default=1, ge=0, le=100)
    espn_feed: Literal["on", "off"] = "on"
    espn_poll_s: float = Field(default=2.0, gt=0)
    kalshi_feed: Literal["auto", "ws", "rest", "off"] = "auto"
    kalshi_poll_s: float = Field(default=2.0, gt=0)
    top_refresh_s: float = Field(default=5.0, gt=0, description="re-publish fresh Kalshi tops this often")
    price_flush_s: float = Field(default=5.0, gt=0, description="store sampled prices this often")
    models_dir: Path | None = Field(default=None, description="promoted models (default $ARBEES_DATA_DIR/models)")

    @property
    def models_path(self) -> Path:
        """Where the analytics service promotes models (the same default as ``ANALYTICS_MODELS_DIR``)."""
        return self.models_dir or self.data_dir / "models"
