"""League clocks, folders, game selection and staggering shared by the replay readers."""

from __future__ import annotations

import dataclasses
import hashlib
import random
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from statistics import NormalDist

from markets.sim.replay_types import ReplayGame

MLB_HALF_INNING_S = 600.0
_PHI = NormalDist()
_TABLE_MIN_SITUATIONS = 30
Row = dict[str, str]


@dataclass(frozen=True)
class LeagueClock:
    """Regulation of a league and its reference constants (sigma: final-margin sd; home_rate: P(home))."""

    sport: str
    periods: int
    period_s: float
    overtime_s: float
    sigma: float
    home_rate: float
    draws: bool = False

    @property
    def regulation_s(self) -> float:
        """Regulation length in seconds of game time."""
        return self.periods * self.period_s


CLOCKS: dict[str, LeagueClock] = {
    "ncaab": LeagueClock("ncaab", 2, 1200.0, 300.0, 11.0, 0.720),
    "nba": LeagueClock("nba", 4, 720.0, 300.0, 13.0, 0.586),
    "nhl": LeagueClock("nhl", 3, 1200.0, 300.0, 2.3, 0.544),
    "nfl": LeagueClock("nfl", 4, 900.0, 600.0, 13.5, 0.569),
    "epl": LeagueClock("soccer", 2, 2700.0, 0.0, 1.7, 0.459, draws=True),
    "mlb": LeagueClock("mlb", 9, 2 * MLB_HALF_INNING_S, 2 * MLB_HALF_INNING_S, 4.4, 0.523),
}
FOLDERS: dict[str, str] = {
    "ncaab": "ncaab_pbp_2018_19",
    "nba": "nba_quarters_lines",
    "nhl": "nhl_periods_lines",
    "nfl": "nfl_quarters_lines",
    "epl": "epl_ht_ft_odds",
    "mlb": "mlb",
}


@dataclass(frozen=True)
class _Selection:
    """Which games of a league to build: the first ``limit`` readable ones in ``sha256(seed:id)`` order."""

    seed: int
    limit: int | None

    def order(self, ids: Iterable[str]) -> list[str]:
        return sorted(set(ids), key=lambda gid: hashlib.sha256(f"{self.seed}:{gid}".encode()).hexdigest())

    def take(self, ids: Iterable[str], build: Callable[[str], ReplayGame | None]) -> list[ReplayGame]:
        games: list[ReplayGame] = []
        for game_id in self.order(ids):
            if self.limit is not None and len(games) >= self.limit:
                break
            game = build(game_id)
            if game is not None:
                games.append(game)
        return games


def _wanted_leagues(sports: Sequence[str] | None) -> list[str]:
    if sports is None:
        return list(FOLDERS)
    wanted: list[str] = []
    for name in sports:
        keys = [k for k, c in CLOCKS.items() if name in (k, c.sport)]
        if not keys:
            raise ValueError(f"unknown sport {name!r}; known: {', '.join(FOLDERS)} (or soccer)")
        wanted.extend(k for k in keys if k not in wanted)
    return wanted


def start_offset_s(game_id: str, length_s: float, seed: int) -> float:
    """Replay time of a game's start: uniform in ``[-1.33, 1.33] x length_s``, a pure function of its inputs."""
    length = max(length_s, 1.0)
    return round(random.Random(f"{seed}:{game_id}").uniform(-1.33 * length, 1.33 * length), 3)


def _stagger(game: ReplayGame, seed: int) -> ReplayGame:
    return dataclasses.replace(game, start_offset_s=start_offset_s(game.game_id, game.points[-1].t_s, seed))
