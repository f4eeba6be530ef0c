"""Settings of the API service (``API_*``)."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import SettingsConfigDict

from shared.config import ArbeesSettings

REPO_DASHBOARD = Path(__file__).resolve().parents[2] / "frontend" / "dist"
_PLACEHOLDERS = {"changeme", "change-me", "secret", "token", "password", "test"}


class ApiSettings(ArbeesSettings):
    """Where the API listens and the bearer tokens it requires (read scope, and the control scope)."""

    model_config = SettingsConfigDict(env_prefix="API_")

    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=0, le=65535)
    token: SecretStr | None = None
    control_token: SecretStr | None = None
    dashboard_dir: Path | None = Field(
        default=None, description="the built dashboard served at / (default: <repo>/frontend/dist when built)"
    )

    reports_dir: Path | None = Field(
        default=None,
        description="where the analytics jobs write the daily reports (default: <ARBEES_DATA_DIR>/reports)",
    )

    @property
    def reports(self) -> Path:
        """The reports directory: the setting, else ``<data dir>/reports``."""
        return self.reports_dir if self.reports_dir is not None else self.data_dir / "reports"

    @property
    def dashboard(self) -> Path | None:
        """The dashboard directory to serve: the setting, else the repo's build output when it exists."""
        if self.dashboard_dir is not None:
            return self.dashboard_dir
        return REPO_DASHBOARD if (REPO_DASHBOARD / "index.html").is_file() else None

    @field_validator("token", "control_token")
    @classmethod
    def _no_placeholder(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None:
            return None
        raw = value.get_secret_value()
        if raw.lower() in _PLACEHOLDERS or len(raw) < 16:
            raise ValueError("must be a real secret of at least 16 characters")
        return value

    @model_validator(mode="after")
    def _separate_scopes(self) -> ApiSettings:
        if self.token and self.control_token and self.token.get_secret_value() == self.control_token.get_secret_value():
            raise ValueError("API_CONTROL_TOKEN must differ from API_TOKEN (separate scopes)")
        return self
