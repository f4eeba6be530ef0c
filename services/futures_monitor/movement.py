"""Line-movement detection: a market's home-win mid moved by at least a threshold within a window.

Per market the detector keeps the points of the last ``window``. A new point is compared with every
kept one; the largest change, if at least ``threshold`` in size, is a movement from that point to the new
one. After a movement the market's history restarts at the new point, so a line that moved once and then
holds raises one event, and a further event needs a further move of the threshold from there.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal


@dataclass(frozen=True, slots=True)
class Movement:
    """A move from ``from_price`` at ``from_ts`` to ``to_price`` at ``ts``."""

    from_ts: datetime
    from_price: Decimal
    ts: datetime
    to_price: Decimal

    @property
    def change(self) -> Decimal:
        """``to_price - from_price``."""
        return self.to_price - self.from_price


class MovementDetector:
    """Points per key within the window; :meth:`observe` returns a movement when one happened."""

    def __init__(self, threshold: Decimal, window: timedelta) -> None:
        self.threshold = threshold
        self.window = window
        self._points: dict[str, deque[tuple[datetime, Decimal]]] = {}

    def observe(self, key: str, ts: datetime, mid: Decimal) -> Movement | None:
        """Add the point ``(ts, mid)`` of ``key``; the movement it completes, if any."""
        points = self._points.setdefault(key, deque())
        while points and points[0][0] < ts - self.window:
            points.popleft()
        best = max(points, key=lambda p: abs(mid - p[1]), default=None)
        if best is not None and abs(mid - best[1]) >= self.threshold:
            points.clear()
            points.append((ts, mid))
            return Movement(from_ts=best[0], from_price=best[1], ts=ts, to_price=mid)
        points.append((ts, mid))
        return None

    def forget(self, key: str) -> None:
        """Drop the history of ``key`` (its game was handed off)."""
        self._points.pop(key, None)
