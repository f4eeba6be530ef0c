"""Kalshi client settings (``KALSHI_*``): endpoints, credentials, rate budgets and timeouts.

One frozen object, built at start-up and passed in. The private key is a ``SecretStr`` (the PEM itself,
or the path of the ``.key`` file downloaded at key creation) and never appears in a repr or a log.
Placeholder secrets are refused so a copied example configuration cannot reach the venue.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from markets.kalshi.auth import KalshiSigner, load_private_key, load_private_key_file

PRODUCTION_REST_URL = "https://external-api.kalshi.com/trade-api/v2"
PRODUCTION_WS_URL = "wss://external-api-ws.kalshi.com/trade-api/ws/v2"
DEMO_REST_URL = "https://external-api.demo.kalshi.co/trade-api/v2"
DEMO_WS_URL = "wss://external-api-ws.demo.kalshi.co/trade-api/ws/v2"
_PLACEHOLDERS = frozenset({"changeme", "change-me", "placeholder", "your-key", "your_api_key", "xxx", "todo", "secret"})


class KalshiSettings(BaseSettings):
    """Everything the Kalshi REST and WebSocket clients need.

    Rates are Kalshi tokens per second (Basic tier: 200 read, 100 write; a request costs 10 tokens);
    durations are seconds.
    """

    model_config = SettingsConfigDict(env_prefix="KALSHI_", frozen=True, extra="forbid")

    base_url: str = PRODUCTION_REST_URL
    ws_url: str = PRODUCTION_WS_URL
    api_key_id: str | None = None
    private_key_path: SecretStr | None = None
    private_key_pem: SecretStr | None = None
    read_tokens_per_s: float = Field(default=200.0, gt=0)
    write_tokens_per_s: float = Field(default=100.0, gt=0)
    burst_s: float = Field(default=1.0, gt=0, le=10)
    connect_timeout_s: float = Field(default=5.0, gt=0)
    request_timeout_s: float = Field(default=10.0, gt=0)
    max_read_attempts: int = Field(default=6, ge=1, le=20)
    max_write_attempts: int = Field(default=4, ge=1, le=10)
    backoff_base_s: float = Field(default=0.25, gt=0)
    backoff_cap_s: float = Field(default=8.0, gt=0)
    ws_staleness_s: float = Field(default=30.0, gt=0)
    ws_open_timeout_s: float = Field(default=10.0, gt=0)
    ws_ping_interval_s: float = Field(default=10.0, gt=0)
    ws_reconnect_cap_s: float = Field(default=30.0, gt=0)

    @field_validator("base_url", "ws_url")
    @classmethod
    def _no_trailing_slash(cls, value: str) -> str:
        return value.rstrip("/")

    @field_validator("api_key_id", "private_key_pem", "private_key_path")
    @classmethod
    def _refuse_placeholders(cls, value: str | SecretStr | None) -> str | SecretStr | None:
        raw = value.get_secret_value() if isinstance(value, SecretStr) else value
        if raw is not None and raw.strip().lower() in _PLACEHOLDERS:
            raise ValueError("is a placeholder; set the real value or leave it unset")
        return value

    @model_validator(mode="after")
    def _key_pairing(self) -> KalshiSettings:
        if self.private_key_path is not None and self.private_key_pem is not None:
            raise ValueError("set KALSHI_PRIVATE_KEY_PATH or KALSHI_PRIVATE_KEY_PEM, not both")
        has_key = self.private_key_path is not None or self.private_key_pem is not None
        if has_key != (self.api_key_id is not None):
            raise ValueError("KALSHI_API_KEY_ID and a private key must be set together")
        return self

    @property
    def has_credentials(self) -> bool:
        """True when authenticated calls are possible."""
        return self.api_key_id is not None

    def signer(self) -> KalshiSigner | None:
        """A signer built from the configured key, or ``None`` without credentials.

        Raises
        ------
        markets.kalshi.auth.KeyLoadError
            When the key cannot be loaded; the message carries no key material.
        """
        if self.api_key_id is None:
            return None
        if self.private_key_pem is not None:
            key = load_private_key(self.private_key_pem.get_secret_value())
        else:
            assert self.private_key_path is not None
            key = load_private_key_file(Path(self.private_key_path.get_secret_value()))
        return KalshiSigner(self.api_key_id, key)
