"""Polymarket connection settings (environment prefix ``POLYMARKET_``), frozen, secrets as ``SecretStr``.

Secrets (private key, API secret and passphrase) are registered with the central log redaction on
load, are never part of ``repr`` and are refused when they look like placeholders.
"""

from __future__ import annotations

import re

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from shared.logs import register_secret

_PRIVATE_KEY = re.compile(r"^(0x)?[0-9a-fA-F]{64}$")
_ADDRESS = re.compile(r"^0x[0-9a-fA-F]{40}$")
_PLACEHOLDERS = {"changeme", "change-me", "secret", "xxx", "your-api-secret", "your-passphrase", "todo"}


class PolymarketSettings(BaseSettings):
    """Where and how to reach Polymarket. Field names carry their units.

    ``private_key`` signs L1 auth and orders (EIP-712); ``funder`` is the address holding the funds
    (the proxy/Safe address for ``signature_type`` 1/2, the signer for 0). API credentials are optional:
    without them they are created or derived from the key at start-up.
    """

    model_config = SettingsConfigDict(env_prefix="POLYMARKET_", frozen=True, extra="forbid")

    clob_url: str = "https://clob.polymarket.com"
    gamma_url: str = "https://gamma-api.polymarket.com"
    ws_market_url: str = "wss://ws-subscriptions-clob.polymarket.com/ws/market"
    ws_user_url: str = "wss://ws-subscriptions-clob.polymarket.com/ws/user"
    geoblock_url: str = "https://polymarket.com/api/geoblock"
    chain_id: int = Field(default=137, description="Polygon 137; Amoy testnet 80002")
    private_key: SecretStr | None = None
    funder: str | None = None
    signature_type: int = Field(default=0, ge=0, le=3, description="0 EOA, 1 POLY_PROXY, 2 GNOSIS_SAFE, 3 1271")
    api_key: SecretStr | None = None
    api_secret: SecretStr | None = None
    api_passphrase: SecretStr | None = None
    api_nonce: int = Field(default=0, ge=0)
    http_timeout_s: float = Field(default=10.0, gt=0)
    order_timeout_s: float = Field(
        default=5.0, gt=0, description="POST /order timeout; a timeout after sending is an ambiguous submit"
    )
    read_attempts: int = Field(default=6, ge=1, le=20)
    read_backoff_base_s: float = Field(default=0.2, gt=0)
    read_backoff_cap_s: float = Field(default=10.0, gt=0)
    ws_ping_interval_s: float = Field(default=10.0, gt=0, description="text PING period (venue: 10 s)")
    ws_pong_timeout_s: float = Field(default=25.0, gt=0)
    ws_stale_after_s: float = Field(default=30.0, gt=0, description="no data this long -> freeze probe")
    ws_max_assets_per_connection: int = Field(default=200, ge=1, le=500)
    ws_reconnect_base_s: float = Field(default=0.5, gt=0)
    ws_reconnect_cap_s: float = Field(default=30.0, gt=0)

    @field_validator("private_key")
    @classmethod
    def _key_shape(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not _PRIVATE_KEY.match(value.get_secret_value()):
            raise ValueError("must be a 32-byte hex private key (64 hex digits, optional 0x)")
        return value

    @field_validator("funder")
    @classmethod
    def _funder_shape(cls, value: str | None) -> str | None:
        if value is not None and not _ADDRESS.match(value):
            raise ValueError("must be a 0x-prefixed 20-byte address")
        return value

    @field_validator("api_key", "api_secret", "api_passphrase")
    @classmethod
    def _no_placeholder(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and value.get_secret_value().strip().lower() in _PLACEHOLDERS:
            raise ValueError("is a placeholder; set the real value or leave it unset")
        return value

    @model_validator(mode="after")
    def _creds_all_or_none(self) -> PolymarketSettings:
        given = [v is not None for v in (self.api_key, self.api_secret, self.api_passphrase)]
        if any(given) and not all(given):
            raise ValueError("POLYMARKET_API_KEY, _API_SECRET and _API_PASSPHRASE go together")
        for secret in (self.private_key, self.api_key, self.api_secret, self.api_passphrase):
            if secret is not None:
                register_secret(secret.get_secret_value())
        return self
