"""Settings of the futures monitor (``FUTURES_*``): how often, how far ahead, what counts as a line movement."""

from __future__ import annotations

from decimal import Decimal

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from shared.config import ArbeesSettings


class FuturesSettings(ArbeesSettings):
    """Cadence in seconds, look-ahead in hours, the movement threshold on the probability scale.

    A line movement is a change of a market's pre-game home-win mid of at least ``movement_threshold``
    (0.03 = 3 points) between a point seen within the last ``movement_window_s`` and the newest one.
    """

    model_config = SettingsConfigDict(env_prefix="FUTURES_")

    poll_interval_s: float = Field(default=60.0, gt=0, description="read every pre-game market this often")
    lookahead_h: float = Field(default=48.0, gt=0, description="watch games starting within this many hours")
    movement_threshold: Decimal = Field(default=Decimal("0.03"), gt=0, lt=1, description="probability points")
    movement_window_s: float = Field(default=3600.0, gt=0, description="a move counts within this many seconds")
    min_confidence: float = Field(default=0.8, ge=0, le=1, description="only markets matched at least this well")
    max_concurrent_reads: int = Field(default=8, ge=1, description="venue reads in flight at once")
    start_grace_s: float = Field(
        default=1800.0, ge=0, description="hand off this long after the scheduled start if ESPN never says in play"
    )
