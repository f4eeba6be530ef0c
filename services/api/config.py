"""Settings of the API service (``API_*``)."""

from __future__ import annotations

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import SettingsConfigDict

from shared.config import ArbeesSettings

_PLACEHOLDERS = {"changeme", "change-me", "secret", "token", "password", "test"}


class ApiSettings(ArbeesSettings):
    """Where the API listens and the bearer token it requires."""

    model_config = SettingsConfigDict(env_prefix="API_")

    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=0, le=65535)
    token: SecretStr | None = None

    @field_validator("token")
    @classmethod
    def _no_placeholder(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None:
            return None
        raw = value.get_secret_value()
        if raw.lower() in _PLACEHOLDERS or len(raw) < 16:
            raise ValueError("must be a real secret of at least 16 characters")
        return value
