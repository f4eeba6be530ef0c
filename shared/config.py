"""Settings: one frozen pydantic-settings object per service, loaded once at start-up.

Names carry their units (``heartbeat_interval_s``, ``max_trade_notional_cents``); secrets are
``SecretStr``. A few well-known settings are read without a prefix (``REDIS_URL``, ``DATABASE_URL``,
``PAPER_TRADING``, ``LIVE_TRADING_CONFIRMED``, ``LOG_LEVEL``); everything else is ``ARBEES_*`` or the
service's own prefix (``GAME_SHARD_``, ``SIGNAL_``, ``EXEC_``, ``POSITIONS_``, ``API_``).

A bad or missing setting raises :class:`ConfigError` whose message names the environment variable,
so start-up stops with something an operator can act on.
"""

from __future__ import annotations

import os
import socket
from pathlib import Path
from typing import Any, Literal, TypeVar
from urllib.parse import parse_qs, urlsplit

from pydantic import AliasChoices, Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

T = TypeVar("T", bound=BaseSettings)


class ConfigError(Exception):
    """A setting is missing or invalid; the message names the environment variable."""


def default_data_dir() -> Path:
    """Per-user data directory (embedded database, generated API token), XDG style."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "arbees"


def _default_instance_id() -> str:
    return f"{socket.gethostname()}-{os.getpid()}"


def _env(name: str) -> AliasChoices:
    return AliasChoices(name, name.lower())


class ArbeesSettings(BaseSettings):
    """Settings every service shares: infrastructure, trading mode, runtime.

    Each service subclasses this with its own ``env_prefix`` for its own fields; the shared fields keep
    their explicit names whatever the prefix.
    """

    model_config = SettingsConfigDict(env_prefix="ARBEES_", frozen=True, extra="forbid", populate_by_name=True)

    redis_url: str | None = Field(default=None, validation_alias=_env("REDIS_URL"))
    database_url: SecretStr | None = Field(default=None, validation_alias=_env("DATABASE_URL"))
    paper_trading: bool = Field(default=True, validation_alias=_env("PAPER_TRADING"))
    live_trading_confirmed: bool = Field(default=False, validation_alias=_env("LIVE_TRADING_CONFIRMED"))
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = Field(default="INFO", validation_alias=_env("LOG_LEVEL"))
    data_dir: Path = Field(validation_alias=_env("ARBEES_DATA_DIR"), default_factory=default_data_dir)
    instance_id: str = Field(
        validation_alias=_env("ARBEES_INSTANCE_ID"), default_factory=_default_instance_id, min_length=1
    )
    auto_migrate: bool = Field(default=True, validation_alias=_env("ARBEES_AUTO_MIGRATE"))
    heartbeat_interval_s: float = Field(validation_alias=_env("ARBEES_HEARTBEAT_INTERVAL_S"), default=5.0, gt=0, le=300)
    health_host: str = Field(default="127.0.0.1", validation_alias=_env("ARBEES_HEALTH_HOST"))
    health_port: int = Field(validation_alias=_env("ARBEES_HEALTH_PORT"), default=9100, ge=0, le=65535)
    stream_block_ms: int = Field(validation_alias=_env("ARBEES_STREAM_BLOCK_MS"), default=1000, ge=10, le=60_000)
    stream_batch_size: int = Field(validation_alias=_env("ARBEES_STREAM_BATCH_SIZE"), default=32, ge=1, le=1000)
    stream_claim_idle_ms: int = Field(validation_alias=_env("ARBEES_STREAM_CLAIM_IDLE_MS"), default=30_000, ge=100)
    stream_max_deliveries: int = Field(validation_alias=_env("ARBEES_STREAM_MAX_DELIVERIES"), default=5, ge=1, le=100)
    stream_retention_s: int = Field(validation_alias=_env("ARBEES_STREAM_RETENTION_S"), default=86_400, ge=0)
    drain_timeout_s: float = Field(validation_alias=_env("ARBEES_DRAIN_TIMEOUT_S"), default=20.0, gt=0)

    @field_validator("redis_url")
    @classmethod
    def _valid_redis_url(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("redis://", "rediss://", "unix://")):
            raise ValueError("must start with redis://, rediss:// or unix://")
        if value:
            parts = urlsplit(value)
            if parts.scheme != "unix":
                _check_ports(parts.netloc)
                _check_redis_db(parts.path.strip("/"), "the database in the path")
            for db in parse_qs(parts.query).get("db", []):
                _check_redis_db(db, "the db query parameter")
        return value or None

    @field_validator("database_url")
    @classmethod
    def _valid_database_url(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not value.get_secret_value().startswith(("postgres://", "postgresql://")):
            raise ValueError("must start with postgresql:// or postgres://")
        if value is not None:
            _check_ports(urlsplit(value.get_secret_value()).netloc)
        return value

    @model_validator(mode="after")
    def _live_needs_second_opt_in(self) -> ArbeesSettings:
        if not self.paper_trading and not self.live_trading_confirmed:
            raise ValueError(
                "PAPER_TRADING=0 selects real money and also needs LIVE_TRADING_CONFIRMED=1; "
                "leave PAPER_TRADING unset (paper) unless you mean to trade for real"
            )
        return self

    @property
    def trading_mode(self) -> Literal["paper", "live"]:
        """``live`` only when both opt-ins are set."""
        return "live" if not self.paper_trading and self.live_trading_confirmed else "paper"


def _check_ports(netloc: str) -> None:
    """Every ``host[:port]`` of a URL's authority (libpq allows a comma-separated list) has a valid port."""
    for host in netloc.rpartition("@")[2].split(","):
        port = host.rpartition("]")[2] if host.startswith("[") else host
        _, colon, port = port.rpartition(":")
        # The value is not echoed: a malformed authority may put part of a password where the port goes.
        if colon and port and not (port.isascii() and port.isdigit() and 0 < int(port) <= 65535):
            raise ValueError("the port must be a number from 1 to 65535")


def _check_redis_db(db: str, what: str) -> None:
    if db and not (db.isascii() and db.isdigit()):
        raise ValueError(f"{what} must be a Redis database number (e.g. /0), not {db!r}")


def _env_name(cls: type[BaseSettings], loc: tuple[Any, ...]) -> str:
    if not loc:
        return "settings"
    field_name = str(loc[0])
    field = cls.model_fields.get(field_name)
    if field is not None and isinstance(field.validation_alias, AliasChoices):
        first = field.validation_alias.choices[0]
        return str(first)
    if field is None and field_name.isupper():
        return field_name
    prefix = str(cls.model_config.get("env_prefix", ""))
    return f"{prefix}{field_name}".upper()


def describe_validation_error(cls: type[BaseSettings], error: ValidationError) -> str:
    """Turn a pydantic error into ``NAME: problem`` lines that name the environment variable."""
    lines = []
    for item in error.errors(include_url=False, include_input=False):
        loc = tuple(item.get("loc", ()))
        message = str(item["msg"]).removeprefix("Value error, ")
        lines.append(f"{_env_name(cls, loc)}: {message}" if loc else message)
    return "; ".join(lines)


def load_settings(cls: type[T], **overrides: Any) -> T:
    """Build a settings object from the environment (and explicit overrides).

    Raises
    ------
    ConfigError
        When a value is missing or invalid; the message names the environment variable.
    """
    try:
        return cls(**overrides)
    except ValidationError as e:
        raise ConfigError(describe_validation_error(cls, e)) from None
