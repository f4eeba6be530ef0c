"""Risk gauges against the signal processor's limits, and the recent denials."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel

from services.api.schemas.common import TradingStateOut
from shared.prices import Money


class GaugeOut(BaseModel):
    """How much of one limit is used (``limit`` is ``None`` when the limits were not published)."""

    name: str
    label: str
    used: Money
    limit: Money | None
    unit: Literal["usd", "contracts", "count"]


class DenialCount(BaseModel):
    """How many intents the risk gate denied for one reason (last 24 hours)."""

    reason_code: str
    count: int


class RiskOut(BaseModel):
    """Trading state, gauges, the published limits (setting name -> value) and recent denials."""

    trading: TradingStateOut
    gauges: list[GaugeOut]
    limits: dict[str, str]
    recent_denials: list[DenialCount]
