"""Shapes shared by every route: the pagination envelope, health, and the trading state."""

from __future__ import annotations

from datetime import datetime
from typing import Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field, field_validator

T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    """One page of a list route; ``next_offset`` is the offset of the next page, ``None`` on the last one."""

    items: list[T]
    next_offset: int | None


class HealthOut(BaseModel):
    """Liveness of the API and its dependencies."""

    status: str
    database: bool
    redis: bool


class TradingStateOut(BaseModel):
    """The fleet's trading state (kill switch): ``halted`` also when missing or unreadable."""

    state: str
    halted: bool
    reason: str
    source: str
    since: datetime | None


class StateChangeIn(BaseModel):
    """Why trading is halted or resumed (stored with the change; blank is refused)."""

    model_config = ConfigDict(extra="forbid")

    reason: str = Field(min_length=1, max_length=500)

    @field_validator("reason")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("reason must not be blank")
        return value.strip()
