"""Value types of the win-probability models: the game situation asked about and the answer.

Both are frozen, slotted dataclasses so that a game shard can build one per market tick cheaply and share
it between threads. Every field carries its unit in the docstring; nothing here performs I/O.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from shared.winprob.leagues import regulation_periods

SPORTS: tuple[str, ...] = ("nfl", "cfb", "nba", "wnba", "ncaab", "nhl", "mlb", "soccer")
"""Sports with a model behind `load_model`, in the order the fleet lists them."""

Bases = int | tuple[bool, bool, bool]
"""Runners on base: a bitmask (1 = first, 2 = second, 4 = third) or three booleans (first, second, third)."""


@dataclass(frozen=True, slots=True)
class GameSituation:
    """The state of one game at one instant, as seen by the home team.

    Parameters
    ----------
    sport
        One of `SPORTS`.
    home_score, away_score
        Points, goals or runs so far.
    period
        Quarter, half, period or inning, starting at 1. A period above the league's regulation count is
        overtime (extra innings in baseball).
    seconds_left_in_period
        Game-clock seconds left in the current period; ``None`` when unknown (start of the period is then
        assumed) or for clockless sports. Soccer callers convert the running clock (``45:00`` minus elapsed);
        stoppage time is 0.
    game_seconds_left
        Regulation seconds left in the game. Optional: derived from `period` and `seconds_left_in_period`
        when ``None``. In overtime it is the seconds left in the overtime period.
    is_final
        The game is over; the answer is then exactly 0/1 (or a draw).
    home_spread
        Points the home team is favoured by before the game (its expected margin); negative for an
        underdog. ``None`` if unknown. Goals for soccer.
    home_moneyline, away_moneyline, draw_moneyline
        Pre-game American odds (e.g. ``-150``, ``+130``); de-vigged proportionally when used.
    prior_home_prob, prior_draw_prob
        Pre-game probabilities, e.g. the market price at kick-off (preferred over odds and spread).
    home_timeouts, away_timeouts
        Timeouts left (basketball, football).
    possession
        ``"home"``, ``"away"`` or ``None`` when unknown.
    down, distance, yards_to_goal
        Football: down (1-4), yards to a first down, yards from the line of scrimmage to the goal line of
        the team in possession.
    outs, bases, top_of_inning
        Baseball: outs in the half-inning (0-3), runners on base, ``True`` while the visitor bats.
    home_red_cards, away_red_cards
        Soccer: players sent off so far.
    """

    sport: str
    home_score: int
    away_score: int
    period: int
    seconds_left_in_period: float | None = None
    game_seconds_left: float | None = None
    is_final: bool = False
    home_spread: float | None = None
    home_moneyline: int | None = None
    away_moneyline: int | None = None
    draw_moneyline: int | None = None
    prior_home_prob: float | None = None
    prior_draw_prob: float | None = None
    home_timeouts: int | None = None
    away_timeouts: int | None = None
    possession: str | None = None
    down: int | None = None
    distance: int | None = None
    yards_to_goal: int | None = None
    outs: int | None = None
    bases: Bases | None = None
    top_of_inning: bool | None = None
    home_red_cards: int = 0
    away_red_cards: int = 0

    @property
    def margin(self) -> int:
        """Home score minus away score."""
        return self.home_score - self.away_score

    @property
    def is_overtime(self) -> bool:
        """Whether `period` is past regulation (overtime, extra innings) for this sport."""
        return self.period > regulation_periods(self.sport)

    @property
    def bases_mask(self) -> int:
        """Runners on base as a bitmask: 1 = first, 2 = second, 4 = third; 0 when empty or unknown."""
        b = self.bases
        if b is None:
            return 0
        if isinstance(b, int):
            return b & 7
        return (1 if b[0] else 0) | (2 if b[1] else 0) | (4 if b[2] else 0)


@dataclass(frozen=True, slots=True)
class WinProbability:
    """Probabilities of the final result, summing to 1.

    Parameters
    ----------
    home, away, draw
        Probabilities of a home win, an away win and a draw (soccer's regular-time result; 0 elsewhere
        except for a game that ended level).
    model, model_version
        Name and version of the model that answered, for audit trails.

    Raises
    ------
    ValueError
        If a probability lies outside [0, 1] or the three do not sum to 1 (within 1e-9).
    """

    home: float
    away: float
    draw: float = 0.0
    model: str = field(default="", kw_only=True)
    model_version: str = field(default="", kw_only=True)

    def __post_init__(self) -> None:
        total = self.home + self.away + self.draw
        if not (-1e-9 < total - 1.0 < 1e-9) or min(self.home, self.away, self.draw) < 0.0:
            raise ValueError(f"probabilities must be >= 0 and sum to 1, not {self.home}, {self.away}, {self.draw}")
