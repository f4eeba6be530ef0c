"""Which outcome of each matched market gives a game's home-win price, and the games to watch.

A market's home-win price comes from the instrument that pays on the home team (a Kalshi ``yes`` on the
home team, a Polymarket home token), from a negated one (its complement), or, for a two-way sport only,
from the away team's outcome (its complement).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from shared.messages import InstrumentRef


@dataclass(frozen=True, slots=True)
class LineSource:
    """One market's outcome to read; ``flip`` means the home price is ``1 - price`` of that outcome."""

    venue: str
    market_id: str
    outcome_id: str
    flip: bool

    @property
    def key(self) -> str:
        """``venue:market``."""
        return f"{self.venue}:{self.market_id}"


@dataclass(frozen=True, slots=True)
class WatchedGame:
    """A discovered game not yet handed off, with the markets its pre-game line is read from."""

    game_id: str
    sport: str
    scheduled_start: datetime
    status: str
    sources: tuple[LineSource, ...]

    def is_live(self, now: datetime, start_grace: timedelta = timedelta(0)) -> bool:
        """True once ESPN says the game has started, or ``start_grace`` after its scheduled start without a word.

        Games often start minutes after their scheduled time (and ESPN gives it to the minute): the line is
        pre-game until ESPN's status leaves ``pre``; the clock only decides when the status never comes.
        """
        return self.status != "pre" or now >= self.scheduled_start + start_grace


def home_source(venue: str, market_id: str, instruments: Iterable[InstrumentRef], sport: str) -> LineSource | None:
    """The outcome of one market to read the home-win price from, or ``None`` when none gives it."""
    items = list(instruments)
    ranked = (
        [(i, False) for i in items if i.pays_on == "home" and not i.negated]
        + [(i, True) for i in items if i.pays_on == "home" and i.negated]
        + ([(i, True) for i in items if i.pays_on == "away" and not i.negated] if sport != "soccer" else [])
    )
    if not ranked:
        return None
    instrument, flip = ranked[0]
    return LineSource(venue=venue, market_id=market_id, outcome_id=instrument.outcome_id, flip=flip)
