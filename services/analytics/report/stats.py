"""Small exact and float statistics: percentiles, Brier scores, reliability bins."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

BINS = 10


def percentile(values: Sequence[float], q: float) -> float:
    """Linear-interpolated percentile ``q`` (0..100) of non-empty ``values``."""
    xs = sorted(values)
    pos = (len(xs) - 1) * q / 100
    lo, hi = math.floor(pos), math.ceil(pos)
    return xs[lo] + (xs[hi] - xs[lo]) * (pos - lo)


def brier(forecasts: Sequence[float], outcomes: Sequence[int]) -> float | None:
    """Mean squared error of probability forecasts against 0/1 outcomes (``None`` without any)."""
    if not forecasts:
        return None
    return sum((f - o) ** 2 for f, o in zip(forecasts, outcomes, strict=True)) / len(forecasts)


@dataclass(frozen=True, slots=True)
class Bin:
    """One reliability bin: mean forecast, observed frequency, count."""

    lo: float
    hi: float
    mean_forecast: float
    observed: float
    count: int


def reliability(forecasts: Sequence[float], outcomes: Sequence[int], bins: int = BINS) -> list[Bin]:
    """Equal-width bins of the forecasts with their observed win frequency (empty bins left out)."""
    grouped: list[list[tuple[float, int]]] = [[] for _ in range(bins)]
    for f, o in zip(forecasts, outcomes, strict=True):
        grouped[min(int(f * bins), bins - 1)].append((f, o))
    out = []
    for i, pairs in enumerate(grouped):
        if pairs:
            out.append(
                Bin(i / bins, (i + 1) / bins, sum(f for f, _ in pairs) / len(pairs),
                    sum(o for _, o in pairs) / len(pairs), len(pairs))
            )  # fmt: skip
    return out
