"""Labelled game states shared by every data-folder loader, and small CSV helpers.

A loader turns one folder in the layout of ``../shared/data/winprob/<folder>`` into `LabeledState`s: a
`GameSituation` as a game shard would see it, the final result, the checkpoint it belongs to (end of a
quarter, a period, half-time, an inning, or a band of time left for play-by-play), the season and date used
to split training from validation, and the recorded model's probability where the data has one.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from shared.winprob.types import GameSituation

PREGAME = "pregame"
OVERTIME = "overtime"


@dataclass(frozen=True, slots=True)
class LabeledState:
    """One in-game (or pre-game) state with its known result.

    Parameters
    ----------
    situation
        The state as the model sees it.
    outcome
        Home result: 1 win, 0 loss, 0.5 tie (only where the data records ties).
    result
        0 home win, 1 draw/tie, 2 away win.
    checkpoint
        Name of the checkpoint or time band (``"pregame"`` for the synthetic kick-off state).
    season, date, game_id
        Season label, ISO date and game identifier.
    recorded
        Home-win probability of a model recorded in the data, if any.
    final_score
        (home, away) score at the end of regulation, where the layout has it.
    """

    situation: GameSituation
    outcome: float
    result: int
    checkpoint: str
    season: str
    date: str
    game_id: str
    recorded: float | None = None
    final_score: tuple[int, int] | None = None


@dataclass(slots=True)
class Dataset:
    """All states of one data folder.

    Parameters
    ----------
    sport, layout, source
        Sport the states are for, layout name and folder path.
    states
        States in file order (pre-game states included, flagged by checkpoint).
    checkpoints
        Checkpoint names in game order.
    recorded_name
        Name of the recorded model column, if the layout has one.
    """

    sport: str
    layout: str
    source: str
    states: list[LabeledState] = field(default_factory=list)
    checkpoints: tuple[str, ...] = ()
    recorded_name: str | None = None

    @property
    def games(self) -> int:
        """Number of distinct games."""
        return len({s.game_id for s in self.states})

    def seasons(self) -> list[str]:
        """Distinct seasons, sorted."""
        return sorted({s.season for s in self.states})

    def subset(self, keep: set[str]) -> Dataset:
        """The states of the games whose id is in `keep`."""
        return Dataset(
            self.sport,
            self.layout,
            self.source,
            [s for s in self.states if s.game_id in keep],
            self.checkpoints,
            self.recorded_name,
        )


def fnum(text: str | None) -> float | None:
    """Float of a CSV cell, or ``None`` for empty, ``NA`` or ``nan``."""
    if text is None:
        return None
    t = text.strip()
    if not t or t.upper() in {"NA", "NAN", "NONE"}:
        return None
    v = float(t)
    return None if math.isnan(v) else v


def inum(text: str | None) -> int | None:
    """Integer of a CSV cell (``"140.0"`` allowed), or ``None`` when missing."""
    v = fnum(text)
    return None if v is None else int(round(v))


def moneyline(text: str | None) -> int | None:
    """American moneyline of a CSV cell, or ``None`` when missing or not valid odds."""
    v = inum(text)
    if v is None or -100 < v < 100:
        return None
    return v


def result_of(outcome: float) -> int:
    """0 home win, 1 tie, 2 away win for a home outcome of 1, 0.5 or 0."""
    return 0 if outcome > 0.75 else 2 if outcome < 0.25 else 1
