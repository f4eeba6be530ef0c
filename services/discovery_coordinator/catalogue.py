"""The game catalogue: what discovery knows about each ESPN game and its teams, and how a match is recorded.

:class:`EspnGame` is built from an ESPN scoreboard event (names of both teams in every form ESPN gives);
:class:`MarketMatch` is the verdict on one venue market for one game: matched (with the instruments a
shard trades, oriented so each says which game result it pays on) or refused (with the reason).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from shared.messages import InstrumentRef
from shared.messages.market_data import GameStatus, Sport
from shared.prices import Venue

MatchStatus = Literal["matched", "refused"]


@dataclass(frozen=True, slots=True)
class TeamRef:
    """One side of a game with every name ESPN gives it (``"BOS"``, ``"Boston Celtics"``, ``"Celtics"``...)."""

    abbreviation: str
    display_name: str = ""
    short_display_name: str = ""
    location: str = ""
    nickname: str = ""
    espn_id: str = ""

    @property
    def names(self) -> tuple[str, ...]:
        """Every non-empty name, most specific first."""
        raw = (self.display_name, self.short_display_name, self.location, self.nickname, self.abbreviation)
        return tuple(dict.fromkeys(n for n in raw if n))


@dataclass(frozen=True, slots=True)
class EspnGame:
    """A game on an ESPN scoreboard: league, scheduled start (UTC), status and both teams."""

    game_id: str
    league: str
    sport: Sport
    scheduled_start: datetime
    status: GameStatus
    completed: bool
    home: TeamRef
    away: TeamRef
    name: str = ""


@dataclass(frozen=True, slots=True)
class MarketMatch:
    """The verdict on one venue market for one game.

    ``instruments`` are the tradable outcomes when matched (Kalshi: ``yes``/``no`` of the ticker;
    Polymarket: one per token), each oriented (``pays_on``/``negated``) and carrying its fees.
    ``home_outcome`` is the outcome that pays if the home team wins (Kalshi ``yes``/``no``, a Polymarket
    outcome name). ``reason_code`` is a short machine code for a refusal (``settlement_terms``, ``three_way``,
    ``settlement_terms_unrecognised``, ``postponement_rule``, ``ambiguous_teams``, ``orientation_unknown``,
    ``no_game``, ``not_moneyline``...); ``reasons`` are
    sentences for people, for a match too (what was checked).
    """

    game_id: str
    venue: Venue
    market_id: str
    status: MatchStatus
    confidence: float
    reasons: tuple[str, ...]
    event_id: str = ""
    title: str = ""
    reason_code: str | None = None
    home_outcome: str | None = None
    instruments: tuple[InstrumentRef, ...] = field(default=())
