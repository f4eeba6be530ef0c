"""CSV rows, names, odds and priors: helpers every replay reader uses."""

from __future__ import annotations

import csv
import gzip
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from markets.sim.replay.common import _PHI, LeagueClock, Row
from markets.sim.replay.reference import mu_from_prior
from markets.sim.replay_types import ReplayPoint

# -- shared helpers -------------------------------------------------------------------------------


def _read_csv(path: Path) -> Iterator[Row]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", newline="", encoding="utf-8") as fh:
        yield from csv.DictReader(fh)


def _num(row: Row, key: str) -> float | None:
    raw = (row.get(key) or "").strip()
    if raw.lower() in ("", "na", "nan", "none"):
        return None
    try:
        value = float(raw)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _int(row: Row, key: str) -> int | None:
    value = _num(row, key)
    return int(value) if value is not None and value == int(value) and value >= 0 else None


def _flag(row: Row, key: str) -> bool:
    return (row.get(key) or "").strip().lower() in ("true", "1", "yes")


def display_name(raw: str) -> str:
    """Words of a name split: ``"SanAntonio"`` -> ``"San Antonio"``, ``"LAClippers"`` -> ``"LA Clippers"``."""
    return " ".join(_words(raw))


def abbreviation(raw: str) -> str:
    """A short code from a team name: ``Boston`` -> ``BOS``, ``San Antonio`` -> ``SA``, ``LA Lakers`` -> ``LAL``."""
    words = _words(raw)
    if not words:
        return "TBD"
    if len(words) == 1:
        return words[0][:3].upper()
    if words[0].isupper() and len(words[0]) <= 3:
        return (words[0] + "".join(w[0] for w in words[1:])).upper()[:4]
    return "".join(w[0] for w in words).upper()[:4]


def _words(raw: str) -> list[str]:
    return re.findall(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+\.?|[A-Z]+\.?|\d+", raw.replace(".", ". "))


def _slug(raw: str) -> str:
    return re.sub(r"[^a-z0-9]+", "", raw.lower())


def _abbrs(home: str, away: str) -> tuple[str, str]:
    h, a = abbreviation(home), abbreviation(away)
    return (h, a) if h != a else (h + "H", a + "A")


def _point(
    t: float, status: str, period: int, clock: float | None, home: int, away: int, ref: float, **extra: object
) -> ReplayPoint:
    return ReplayPoint(t, status, period, clock, home, away, ref, dict(extra))


def _devig(*decimal_odds: float | None) -> list[float] | None:
    if any(d is None or d <= 1.0 for d in decimal_odds):
        return None
    inverse = [1.0 / d for d in decimal_odds if d is not None]
    total = sum(inverse)
    return [x / total for x in inverse]


def american_from_decimal(odds: float | None) -> int | None:
    """Decimal odds (e.g. 2.5) as American odds (+150); ``None`` when absent or invalid."""
    if odds is None or odds <= 1.0:
        return None
    return round((odds - 1) * 100) if odds >= 2.0 else -round(100 / (odds - 1))


@dataclass(frozen=True)
class _Prior:
    mu: float
    p_home: float


def _prior(clock: LeagueClock, p_home: float | None, home_spread: float | None) -> _Prior:
    if p_home is not None and 0 < p_home < 1:
        return _Prior(mu_from_prior(p_home, clock), p_home)
    if home_spread is not None:
        return _Prior(home_spread, _PHI.cdf(home_spread / clock.sigma))
    return _Prior(mu_from_prior(clock.home_rate, clock), clock.home_rate)
