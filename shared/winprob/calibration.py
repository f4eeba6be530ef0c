"""Calibration layer: a monotone, symmetric, piecewise-linear map on the log-odds scale.

The map is fitted after the base model (see `shared.winprob.fitting.fit_calibration`) on out-of-fold
predictions of the training seasons: a continuous piecewise-linear map with a positive slope per segment
(so strictly increasing), fitted by maximum likelihood; for two-outcome sports it is odd,
``g(-z) = -g(z)``, so swapping home and away swaps the answer. Beyond the outer knots the map continues
with slope 1 (the fitted maps put their outer knots far out). The identity map (no knots) is valid.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class CalibrationMap:
    """Monotone map from raw to calibrated log-odds.

    Parameters
    ----------
    xs
        Raw log-odds at the knots, strictly increasing (empty for the identity).
    ys
        Calibrated log-odds at the knots, non-decreasing.
    """

    xs: tuple[float, ...] = ()
    ys: tuple[float, ...] = ()

    def __post_init__(self) -> None:
        if len(self.xs) != len(self.ys):
            raise ValueError("calibration knots xs and ys differ in length")
        if any(b <= a for a, b in zip(self.xs, self.xs[1:], strict=False)):
            raise ValueError("calibration knots xs must be strictly increasing")
        if any(b < a for a, b in zip(self.ys, self.ys[1:], strict=False)):
            raise ValueError("calibration values ys must be non-decreasing")

    def __call__(self, z: float) -> float:
        """Calibrated log-odds of raw log-odds `z`."""
        xs = self.xs
        if not xs:
            return z
        i = bisect_right(xs, z)
        if i == 0:
            return self.ys[0] + (z - xs[0])
        if i >= len(xs):
            return self.ys[-1] + (z - xs[-1])
        x0 = xs[i - 1]
        y0 = self.ys[i - 1]
        return y0 + (z - x0) * (self.ys[i] - y0) / (xs[i] - x0)

    def to_json(self) -> dict[str, list[float]]:
        """Knots as a JSON-ready mapping (rounded to 6 decimals)."""
        return {"logit_x": [round(x, 6) for x in self.xs], "logit_y": [round(y, 6) for y in self.ys]}

    @classmethod
    def from_json(cls, raw: Mapping[str, Any] | None) -> CalibrationMap:
        """Build from `to_json` output; ``None`` or empty gives the identity."""
        if not raw:
            return cls()
        return cls(tuple(float(x) for x in raw["logit_x"]), tuple(float(y) for y in raw["logit_y"]))
