"""The shared timeline of a replayed game, so the ESPN replay and the venue simulators agree.

The ESPN simulator serves each :class:`ReplayGame`'s states; the Kalshi and Polymarket simulators seed
markets for the same games and make their prices follow ``reference_home_prob``. All of them place
game time on the wall clock with the same :class:`ReplayClock` (same ``start_epoch_s`` and ``speed``),
so a client sees the score change on ESPN and the prices react on the venues, with the makers' lag.
"""

from __future__ import annotations

import bisect
import time
from dataclasses import dataclass, field


@dataclass(frozen=True)
class ReplayPoint:
    """The game at ``t_s`` seconds of replay time after the game's own start."""

    t_s: float
    status: str  # "pre" | "in" | "post"
    period: int
    clock_seconds: float | None
    home_score: int
    away_score: int
    reference_home_prob: float
    extra: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class ReplayGame:
    """One recorded game as a timeline; ``start_offset_s`` places its tip-off after the replay starts."""

    game_id: str
    sport: str
    league: str
    home_team: str
    away_team: str
    home_abbr: str
    away_abbr: str
    start_offset_s: float
    points: tuple[ReplayPoint, ...]
    home_won: bool | None
    home_spread: float | None = None
    home_moneyline: int | None = None
    away_moneyline: int | None = None
    source: str = ""

    def at(self, replay_t_s: float) -> ReplayPoint:
        """The latest point at or before ``replay_t_s`` (replay time since the replay began)."""
        t = replay_t_s - self.start_offset_s
        times = [p.t_s for p in self.points]
        i = bisect.bisect_right(times, t) - 1
        return self.points[max(0, i)]

    def reference(self, replay_t_s: float) -> float:
        """Reference P(home wins) at replay time ``replay_t_s``."""
        return self.at(replay_t_s).reference_home_prob


@dataclass(frozen=True)
class ReplayClock:
    """Wall clock <-> replay time: replay time runs ``speed`` times faster from ``start_epoch_s``."""

    start_epoch_s: float
    speed: float = 1.0

    def now(self, wall_s: float | None = None) -> float:
        """Replay seconds elapsed at wall time ``wall_s`` (default: now)."""
        wall = time.time() if wall_s is None else wall_s
        return (wall - self.start_epoch_s) * self.speed
