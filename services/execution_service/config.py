"""Settings of the execution service (``EXEC_*``)."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from shared.config import ArbeesSettings


class ExecutionSettings(ArbeesSettings):
    """Execution limits and the paper engine's view of the book."""

    model_config = SettingsConfigDict(env_prefix="EXEC_")

    max_book_age_s: float = Field(default=30.0, gt=0)
