"""ESPN client settings (``ESPN_*``): where the site API lives and how long a read may take."""

from __future__ import annotations

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from markets.espn.client import DEFAULT_BASE_URL


class EspnSettings(BaseSettings):
    """``ESPN_BASE_URL`` defaults to the production site API; tests and replays point it at the simulator."""

    model_config = SettingsConfigDict(env_prefix="ESPN_", frozen=True, extra="forbid")

    base_url: str = DEFAULT_BASE_URL
    timeout_s: float = Field(default=10.0, gt=0)

    @field_validator("base_url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://")
        return value.rstrip("/")
