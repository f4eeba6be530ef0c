"""League clocks: periods, period length and overtime length per sport, and time-left arithmetic.

Sources for the clock rules are the leagues' rule books (NFL and NCAA football 4 x 15 min; NBA 4 x 12 min
with 5-min overtime; WNBA 4 x 10 min with 5-min overtime; NCAA men's basketball 2 x 20 min with 5-min
overtime; NHL 3 x 20 min with a 5-min regular-season overtime; soccer 2 x 45 min; baseball 9 innings).
College-football overtime has no clock; a nominal length stands in for it (see `LeagueClock`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from shared.winprob.types import GameSituation


@dataclass(frozen=True, slots=True)
class LeagueClock:
    """Clock rules of one league.

    Parameters
    ----------
    sport
        Sport code (see `shared.winprob.types.SPORTS`).
    periods
        Regulation periods (innings for baseball).
    period_seconds
        Length of one regulation period in seconds (0 for baseball).
    overtime_seconds
        Length of one overtime period in seconds; for untimed overtimes (college football) a nominal
        length used to place the state on the model's time axis.
    """

    sport: str
    periods: int
    period_seconds: float
    overtime_seconds: float

    @property
    def regulation_seconds(self) -> float:
        """Regulation length in seconds."""
        return self.periods * self.period_seconds


CLOCKS: dict[str, LeagueClock] = {
    "nfl": LeagueClock("nfl", 4, 900.0, 600.0),
    "cfb": LeagueClock("cfb", 4, 900.0, 600.0),
    "nba": LeagueClock("nba", 4, 720.0, 300.0),
    "wnba": LeagueClock("wnba", 4, 600.0, 300.0),
    "ncaab": LeagueClock("ncaab", 2, 1200.0, 300.0),
    "nhl": LeagueClock("nhl", 3, 1200.0, 300.0),
    "mlb": LeagueClock("mlb", 9, 0.0, 0.0),
    "soccer": LeagueClock("soccer", 2, 2700.0, 900.0),
}


def clock_for(sport: str) -> LeagueClock:
    """Return the clock of `sport`.

    Raises
    ------
    ValueError
        If the sport is unknown.
    """
    try:
        return CLOCKS[sport]
    except KeyError:
        raise ValueError(f"unknown sport {sport!r}; expected one of {sorted(CLOCKS)}") from None


def regulation_periods(sport: str) -> int:
    """Number of regulation periods (innings) of `sport`."""
    return clock_for(sport).periods


def seconds_left(state: GameSituation, clock: LeagueClock) -> tuple[float, bool]:
    """Seconds left and whether the state is in overtime.

    In regulation the value is regulation seconds left in the game; in overtime it is the seconds left in
    the current overtime period. A missing period clock means the period has just started.

    Returns
    -------
    tuple of float and bool
        ``(seconds, in_overtime)``, seconds never negative.
    """
    in_ot = state.period > clock.periods
    if in_ot:
        left = state.seconds_left_in_period
        if left is None:
            left = state.game_seconds_left if state.game_seconds_left is not None else clock.overtime_seconds
        return (left if left > 0.0 else 0.0), True
    if state.game_seconds_left is not None:
        g = state.game_seconds_left
        return (g if g > 0.0 else 0.0), False
    in_period = state.seconds_left_in_period
    if in_period is None:
        in_period = clock.period_seconds
    g = (clock.periods - state.period) * clock.period_seconds + in_period
    return (g if g > 0.0 else 0.0), False
