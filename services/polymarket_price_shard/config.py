"""Settings of the Polymarket price shard (``PRICE_SHARD_*``)."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from shared.config import ArbeesSettings


class PriceShardSettings(ArbeesSettings):
    """``refresh_s``: a fresh book's top is re-published this often (its age then says the feed is alive)."""

    model_config = SettingsConfigDict(env_prefix="PRICE_SHARD_")

    refresh_s: float = Field(default=5.0, gt=0)
    resubscribe_debounce_s: float = Field(default=1.0, ge=0)
