"""ESPN scoreboard events as :class:`EspnGame` records (both teams with every name ESPN gives them).

An event that cannot be read (no competition, no status, sides not one home and one away, no date) is
skipped with a log line: one odd event must not hide the rest of the scoreboard.
"""

from __future__ import annotations

import logging
from typing import cast

from markets.espn.leagues import League
from markets.espn.parsing import EspnParseError, competitors_by_side, parse_time
from markets.espn.schemas import EspnCompetitor, EspnEvent, EspnScoreboard
from services.discovery_coordinator.catalogue import EspnGame, TeamRef
from shared.messages.market_data import GameStatus

log = logging.getLogger(__name__)
_STATES = ("pre", "in", "post")


def games_from_scoreboard(board: EspnScoreboard, league: League) -> list[EspnGame]:
    """Every readable event of ``board`` as a game of ``league``."""
    games = []
    for event in board.events:
        try:
            games.append(game_from_event(event, league))
        except EspnParseError as e:
            log.warning("ESPN event skipped", extra={"league": league.key, "event_id": event.id, "error": str(e)})
    return games


def game_from_event(event: EspnEvent, league: League) -> EspnGame:
    """One scoreboard event; raises :class:`EspnParseError` when it cannot be read."""
    if not event.competitions:
        raise EspnParseError(f"event {event.id}: no competitions")
    comp = event.competitions[0]
    status = comp.status or event.status
    if status is None or status.type.state not in _STATES:
        raise EspnParseError(f"event {event.id}: no readable status")
    start = parse_time(event.date or comp.date)
    if start is None:
        raise EspnParseError(f"event {event.id}: no start time")
    home, away = competitors_by_side(comp, event.id)
    state = cast(GameStatus, status.type.state)
    return EspnGame(
        game_id=event.id,
        league=league.key,
        sport=league.sport,
        scheduled_start=start,
        status=state,
        completed=state == "post" and bool(status.type.completed),
        home=_team(home, event.id),
        away=_team(away, event.id),
        name=event.name or "",
    )


def _team(c: EspnCompetitor, game_id: str) -> TeamRef:
    t = c.team
    abbreviation = t.abbreviation or t.short_display_name or t.display_name
    if not abbreviation:
        raise EspnParseError(f"game {game_id}: competitor without a team name")
    return TeamRef(
        abbreviation=abbreviation,
        display_name=t.display_name or "",
        short_display_name=t.short_display_name or "",
        location=t.location or "",
        nickname=t.name or "",
        espn_id=t.id or c.id or "",
    )
