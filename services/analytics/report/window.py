"""The report's day: the trading day (US-Eastern midnight to midnight, as the daily-loss limit counts it)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from shared.pnl import EASTERN

SEASON_DAYS = 365


@dataclass(frozen=True, slots=True)
class Window:
    """``[start, end)`` of the day, and the start of the season-to-date window ending with it."""

    day: date
    start: datetime
    end: datetime
    season_start: datetime


def day_window(day: date) -> Window:
    """The trading day ``day`` as UTC-aware bounds."""
    start = datetime.combine(day, time(0), EASTERN)
    end = datetime.combine(day + timedelta(days=1), time(0), EASTERN)
    return Window(day, start, end, end - timedelta(days=SEASON_DAYS))
