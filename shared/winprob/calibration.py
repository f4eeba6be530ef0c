"""Calibration layer: monotone, piecewise-linear maps on the log-odds scale, optionally per time band.

A `CalibrationMap` is a continuous piecewise-linear map with a positive slope per segment (so strictly
increasing); for two-outcome sports it is odd, ``g(-z) = -g(z)``, so swapping home and away swaps the
answer. Beyond the outer knots the map continues with slope 1 (the fitted maps put their outer knots far
out). The identity map (no knots) is valid.

A `CalibrationLayer` is what a model applies: the identity, one global map, or one map per band of the
model's time axis ``t`` (fraction of regulation left for the margin model, share of regulation goals left
for the Poisson model, share of regulation outs left for baseball). Between band centres the two
neighbouring maps are blended linearly in ``t``, so the answer is continuous in time and still monotone
and odd in the log-odds. Which of the three a sport ships is chosen on out-of-fold predictions of the
training seasons by nested cross-validation (`shared.winprob.fitting.select_calibration`); the artifact
records the evidence.
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
        if not raw or not raw.get("logit_x"):
            return cls()
        return cls(tuple(float(x) for x in raw["logit_x"]), tuple(float(y) for y in raw["logit_y"]))


IDENTITY = "identity"
GLOBAL = "global"
TIME_BANDS = "time_bands"


@dataclass(frozen=True, slots=True)
class CalibrationLayer:
    """The calibration a model applies: identity, one global map, or maps per time band.

    Parameters
    ----------
    centers
        Time-axis values (see module docstring) at which `maps` apply, strictly increasing; empty with a
        single global map or the identity.
    maps
        One map per centre, or a single global map, or none (identity).
    """

    centers: tuple[float, ...] = ()
    maps: tuple[CalibrationMap, ...] = ()

    def __post_init__(self) -> None:
        if self.centers and len(self.centers) != len(self.maps):
            raise ValueError("a time-band calibration needs one map per band centre")
        if not self.centers and len(self.maps) > 1:
            raise ValueError("several calibration maps need band centres")
        if any(b <= a for a, b in zip(self.centers, self.centers[1:], strict=False)):
            raise ValueError("calibration band centres must be strictly increasing")

    @property
    def kind(self) -> str:
        """``"identity"``, ``"global"`` or ``"time_bands"``."""
        if not self.maps or all(not m.xs for m in self.maps):
            return IDENTITY
        return TIME_BANDS if self.centers else GLOBAL

    def __call__(self, z: float, t: float) -> float:
        """Calibrated log-odds of raw log-odds `z` at time-axis value `t`."""
        maps = self.maps
        if not maps:
            return z
        if not self.centers or len(maps) == 1:
            return maps[0](z)
        centers = self.centers
        i = bisect_right(centers, t)
        if i == 0:
            return maps[0](z)
        if i >= len(centers):
            return maps[-1](z)
        c0 = centers[i - 1]
        w = (t - c0) / (centers[i] - c0)
        return (1.0 - w) * maps[i - 1](z) + w * maps[i](z)

    def to_json(self) -> dict[str, Any]:
        """JSON-ready mapping: ``{"kind": ...}`` plus the knots (see `from_json`)."""
        kind = self.kind
        if kind == IDENTITY:
            return {"kind": IDENTITY}
        if kind == GLOBAL:
            return {"kind": GLOBAL, **self.maps[0].to_json()}
        return {
            "kind": TIME_BANDS,
            "t_centers": [round(c, 6) for c in self.centers],
            "maps": [m.to_json() for m in self.maps],
        }

    @classmethod
    def from_json(cls, raw: Mapping[str, Any] | None) -> CalibrationLayer:
        """Build from `to_json` output (or a bare `CalibrationMap` mapping); ``None`` or empty: identity."""
        if not raw or raw.get("kind") == IDENTITY:
            return cls()
        if raw.get("kind") == TIME_BANDS:
            maps = tuple(CalibrationMap.from_json(m) for m in raw["maps"])
            return cls(tuple(float(c) for c in raw["t_centers"]), maps)
        single = CalibrationMap.from_json(raw)
        return cls((), (single,)) if single.xs else cls()
