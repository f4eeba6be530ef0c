"""Settings of the discovery coordinator (``DISCOVERY_*``): which leagues, how often, how far ahead."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, field_validator
from pydantic_settings import NoDecode, SettingsConfigDict

from markets.espn.leagues import LEAGUES
from shared.config import ArbeesSettings

DEFAULT_LEAGUES = ("nfl", "cfb", "nba", "wnba", "ncaab", "nhl", "mlb", "epl", "mls")


class DiscoverySettings(ArbeesSettings):
    """Cadences in seconds; ``leagues`` are ESPN league keys (``markets.espn.leagues``)."""

    model_config = SettingsConfigDict(env_prefix="DISCOVERY_")

    leagues: Annotated[tuple[str, ...], NoDecode] = DEFAULT_LEAGUES
    interval_s: float = Field(default=120.0, gt=0, description="ESPN scoreboards and venue listings")
    assign_interval_s: float = Field(default=5.0, gt=0, description="shard health check and reassignment")
    lookahead_h: float = Field(default=36.0, gt=0, description="assign games starting within this many hours")
    post_grace_s: float = Field(default=300.0, ge=0, description="keep a finished game assigned this long")
    min_confidence: float = Field(default=0.8, ge=0, le=1, description="a match below this is not traded")

    @field_validator("leagues", mode="before")
    @classmethod
    def _split(cls, value: object) -> object:
        if isinstance(value, str):
            return tuple(v.strip() for v in value.replace(",", " ").split() if v.strip())
        return value

    @field_validator("leagues")
    @classmethod
    def _known(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        unknown = sorted(set(value) - set(LEAGUES))
        if unknown:
            raise ValueError(f"unknown league(s) {unknown}; known: {', '.join(sorted(LEAGUES))}")
        if not value:
            raise ValueError("at least one league")
        return value
