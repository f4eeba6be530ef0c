"""Pure functions from ESPN wire models to :class:`GameStateUpdated` (every ESPN string is read here).

Mapping decisions (each a documented ESPN quirk, shared/docs/venues.md §3.2–3.3):

- Sides are chosen by ``homeAway``, never by list position; a competition without exactly one home and
  one away competitor is refused.
- Scores arrive as strings (``"34"``) on the scoreboard and in the summary header; they are parsed as
  exact integers. A missing score counts as 0 only before the game.
- ``status`` is ESPN's ``type.state`` (``pre | in | post``), never its ``name``. A postponed, cancelled
  or suspended game is ``post`` with ``completed=False`` (ESPN: ``STATUS_POSTPONED`` is ``post`` but
  not completed): consumers must not settle or score such a game.
- ``clock_seconds`` is ESPN's ``clock``: seconds left in the period, elapsed seconds for soccer. It is
  ``None`` before the game and for a game not played (ESPN's placeholder ``0.0`` is not a time), and
  for baseball (no clock).
- Odds: ``competitions[0].odds`` may be ``[null]``; the entry with ESPN's best provider ``priority``
  is used. ``spread`` is the home line (negative = home favoured) and becomes ``home_spread``, the
  expected home margin (positive = home favoured). Moneylines are read from the legacy layout
  (``homeTeamOdds.moneyLine``) or the newer one (``moneyline.home.close.odds``, strings such as
  ``"+150"``/``"EVEN"``).
- Football: possession from ``situation.possession`` (a team id); ``yards_to_goal`` from
  ``possessionText`` ("LAC 33": own half when the team named is the one with the ball), falling back to
  ``lastPlay.end.yardsToEndzone``. ``situation.yardLine`` is not used: its orientation is undocumented.
- Baseball: the half inning comes from the status detail ("Top 5th", "Bot 5th"). Between halves ESPN
  says "Mid 5th" (next: bottom of the 5th) or "End 5th" (next: top of the 6th); those map to the half
  about to start, with 0 outs and empty bases (``period`` becomes 6 for "End 5th").
- Soccer red cards are counted from ``competitions[0].details`` entries with ``redCard: true``.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any, Literal, cast

from pydantic import ValidationError

from markets.espn.leagues import League
from markets.espn.schemas import (
    EspnCompetition,
    EspnCompetitor,
    EspnEvent,
    EspnOdds,
    EspnQuoteHistory,
    EspnScoreboard,
    EspnSidedQuotes,
    EspnSituation,
    EspnStatus,
    EspnSummary,
)
from shared.messages.market_data import GameStateUpdated, GameStatus

log = logging.getLogger(__name__)

Side = Literal["home", "away"]
_STATES: frozenset[str] = frozenset({"pre", "in", "post"})
_FOOTBALL = frozenset({"nfl", "cfb"})


class EspnParseError(ValueError):
    """An ESPN payload cannot be read as a game state (the message says which field and why)."""


@dataclass(frozen=True, slots=True)
class ParsedScoreboard:
    """A scoreboard's game states, and the events that could not be read as ``(event_id, reason)``."""

    states: tuple[GameStateUpdated, ...]
    rejected: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class GameSummary:
    """What Arbees reads from a summary: the game state and ESPN's latest P(home wins), if published."""

    state: GameStateUpdated
    espn_home_win_probability: float | None
    plays: int


# -- entry points -----------------------------------------------------------------------------------


def parse_scoreboard(board: EspnScoreboard, league: League, *, observed_at: datetime) -> ParsedScoreboard:
    """Every event of a scoreboard as a :class:`GameStateUpdated` stamped ``ts_event=observed_at``.

    An event that cannot be read is left out and listed in ``rejected`` (one odd event must not hide
    the others); this function never raises for a single event.
    """
    states: list[GameStateUpdated] = []
    rejected: list[tuple[str, str]] = []
    for event in board.events:
        try:
            states.append(parse_event(event, league, observed_at=observed_at))
        except EspnParseError as e:
            rejected.append((event.id, str(e)))
    return ParsedScoreboard(tuple(states), tuple(rejected))


def parse_event(event: EspnEvent, league: League, *, observed_at: datetime) -> GameStateUpdated:
    """One scoreboard event as a game state.

    Raises
    ------
    EspnParseError
        No competition, no status, unknown ``state``, sides not one home and one away, or a bad score.
    """
    if not event.competitions:
        raise EspnParseError(f"event {event.id}: no competitions")
    comp = event.competitions[0]
    status = comp.status or event.status
    if status is None:
        raise EspnParseError(f"event {event.id}: no status")
    return _game_state(
        event.id,
        comp,
        status,
        league,
        observed_at=observed_at,
        scheduled=parse_time(event.date or comp.date),
        odds=comp.odds,
        situation=comp.situation,
    )


def parse_summary(summary: EspnSummary, league: League, *, observed_at: datetime) -> GameSummary:
    """A summary's header (plus ``pickcenter`` odds and any ``situation``) as a :class:`GameSummary`.

    Raises
    ------
    EspnParseError
        The header has no competition or no status (trimmed captures), or the header itself is bad.
    """
    header = summary.header
    if not header.competitions:
        raise EspnParseError(f"summary {header.id}: header has no competition")
    comp = header.competitions[0]
    game_id = header.id or comp.id
    if not game_id:
        raise EspnParseError("summary: header has no id")
    if comp.status is None:
        raise EspnParseError(f"summary {game_id}: header has no status")
    state = _game_state(
        game_id,
        comp,
        comp.status,
        league,
        observed_at=observed_at,
        scheduled=parse_time(comp.date),
        odds=summary.pickcenter or summary.odds or comp.odds,
        situation=summary.situation or comp.situation,
    )
    probability = None
    if summary.winprobability:
        probability = summary.winprobability[-1].home_win_percentage
    return GameSummary(state, probability, len(summary.plays or ()))


# -- the game state ---------------------------------------------------------------------------------


def _game_state(
    game_id: str,
    comp: EspnCompetition,
    status: EspnStatus,
    league: League,
    *,
    observed_at: datetime,
    scheduled: datetime | None,
    odds: Sequence[EspnOdds | None] | None,
    situation: EspnSituation | None,
) -> GameStateUpdated:
    state = status.type.state
    if state not in _STATES:
        raise EspnParseError(f"game {game_id}: unknown status state {state!r}")
    game_status = cast(GameStatus, state)
    home, away = competitors_by_side(comp, game_id)
    fields: dict[str, Any] = {
        "game_id": game_id,
        "sport": league.sport,
        "league": league.key,
        "home_team": _team_name(home, game_id),
        "away_team": _team_name(away, game_id),
        "status": game_status,
        "completed": game_status == "post" and bool(status.type.completed),
        "period": _period(status, home, away),
        "clock_seconds": _clock(status, league, game_status, game_id),
        "home_score": _score(home, game_status, game_id),
        "away_score": _score(away, game_status, game_id),
        "scheduled_start": scheduled,
        "ts_event": observed_at,
    }
    fields.update(odds_fields(select_odds(odds)))
    if game_status == "in":
        fields.update(_situation_fields(league, status, situation, home, away, fields["period"]))
    if league.sport == "soccer" and comp.details is not None:
        fields.update(_red_cards(comp, home, away))
    try:
        return GameStateUpdated(**fields)
    except ValidationError as e:
        raise EspnParseError(f"game {game_id}: {e.error_count()} invalid field(s): {e.errors()[0]['msg']}") from e


def competitors_by_side(comp: EspnCompetition, game_id: str) -> tuple[EspnCompetitor, EspnCompetitor]:
    """``(home, away)`` chosen by ``homeAway``; raises :class:`EspnParseError` unless exactly one each."""
    homes = [c for c in comp.competitors if c.home_away == "home"]
    aways = [c for c in comp.competitors if c.home_away == "away"]
    if len(homes) != 1 or len(aways) != 1:
        raise EspnParseError(f"game {game_id}: expected one home and one away competitor")
    return homes[0], aways[0]


def _team_name(c: EspnCompetitor, game_id: str) -> str:
    name = c.team.abbreviation or c.team.display_name or c.team.id or c.id
    if not name:
        raise EspnParseError(f"game {game_id}: competitor without team")
    return name


def _period(status: EspnStatus, home: EspnCompetitor, away: EspnCompetitor) -> int:
    # Final summary headers omit period; the line score then says how many periods were played.
    if status.period is not None:
        return max(0, status.period)
    return max(len(home.linescores), len(away.linescores))


def _clock(status: EspnStatus, league: League, state: GameStatus, game_id: str) -> float | None:
    not_played = state == "pre" or (state == "post" and not status.type.completed)
    if not_played or league.sport == "mlb" or status.clock is None:
        return None
    if status.clock < 0:
        raise EspnParseError(f"game {game_id}: negative clock {status.clock}")
    return float(status.clock)


def _score(c: EspnCompetitor, state: GameStatus, game_id: str) -> int:
    score = parse_score(c.score)
    if score is None:
        if state == "pre":
            return 0
        raise EspnParseError(f"game {game_id}: {c.home_away} score missing while {state}")
    return score


def parse_score(raw: object) -> int | None:
    """An ESPN score (``"34"``, ``34``, ``34.0`` or ``{"value": 34.0}``) as an int; ``None`` if absent.

    Raises
    ------
    EspnParseError
        Not a non-negative whole number.
    """
    if isinstance(raw, dict):
        raw = raw.get("value", raw.get("displayValue"))
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if isinstance(raw, bool) or not isinstance(raw, str | int | float):
        raise EspnParseError(f"score {raw!r} is not a number")
    try:
        value = Decimal(raw.strip()) if isinstance(raw, str) else Decimal(repr(raw))
    except InvalidOperation:
        raise EspnParseError(f"score {raw!r} is not a number") from None
    if not value.is_finite() or value != value.to_integral_value() or value < 0:
        raise EspnParseError(f"score {raw!r} is not a non-negative whole number")
    return int(value)


def parse_time(raw: str | None) -> datetime | None:
    """An ESPN timestamp (``2026-07-10T02:00Z``) as an aware datetime; ``None`` when missing or unreadable."""
    if not raw:
        return None
    try:
        parsed = datetime.fromisoformat(raw)
    except ValueError:
        log.debug("unreadable ESPN date", extra={"value": raw})
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


# -- odds -------------------------------------------------------------------------------------------


def select_odds(entries: Sequence[EspnOdds | None] | None) -> EspnOdds | None:
    """The odds entry of ESPN's preferred provider (lowest ``priority``), skipping ``null`` entries."""
    present = [o for o in entries or () if o is not None]
    if not present:
        return None
    return min(
        present, key=lambda o: o.provider.priority if o.provider and o.provider.priority is not None else 1 << 30
    )


def odds_fields(odds: EspnOdds | None) -> dict[str, Any]:
    """``home_spread`` and moneylines from one odds entry; only the fields ESPN actually gave."""
    if odds is None:
        return {}
    out: dict[str, Any] = {}
    spread = odds.spread
    if spread is None and odds.point_spread is not None:
        spread = _quote_line(odds.point_spread.home)
    if spread is not None:
        out["home_spread"] = 0.0 - spread  # home line -3.5 => home expected to win by 3.5
    home_legacy = odds.home_team_odds.money_line if odds.home_team_odds else None
    away_legacy = odds.away_team_odds.money_line if odds.away_team_odds else None
    draw_legacy = odds.draw_odds.money_line if odds.draw_odds else None
    sided = odds.moneyline or EspnSidedQuotes()
    for key, legacy, newer in (
        ("home_moneyline", home_legacy, sided.home),
        ("away_moneyline", away_legacy, sided.away),
        ("draw_moneyline", draw_legacy, sided.draw),
    ):
        value = parse_moneyline(legacy)
        if value is None:
            value = parse_moneyline(_quote_odds(newer))
        if value is not None:
            out[key] = value
    return out


def parse_moneyline(raw: object) -> int | None:
    """American odds as an int: ``-230``, ``750.0``, ``"+150"``, ``"EVEN"`` (=+100); ``None`` if off/absent.

    Values with ``|odds| < 100`` are not American odds and read as absent.
    """
    if raw is None or isinstance(raw, bool):
        return None
    if isinstance(raw, str):
        text = raw.strip().upper()
        if text in ("EVEN", "EV"):
            return 100
        raw = text.removeprefix("+")
    try:
        value = Decimal(str(raw))
    except InvalidOperation:
        return None
    if not value.is_finite() or abs(value) < 100:
        return None
    return int(value.to_integral_value())


def _quote_odds(history: EspnQuoteHistory | None) -> object:
    for quote in _quotes(history):
        if quote.odds is not None:
            return quote.odds
    return None


def _quote_line(history: EspnQuoteHistory | None) -> float | None:
    for quote in _quotes(history):
        if quote.line is None:
            continue
        text = str(quote.line).strip().upper().removeprefix("+")
        if text in ("PK", "PICK", "EVEN"):
            return 0.0
        try:
            return float(Decimal(text))
        except InvalidOperation:
            return None  # "OFF": the book pulled the line
    return None


def _quotes(history: EspnQuoteHistory | None) -> list[Any]:
    if history is None:
        return []
    return [q for q in (history.close, history.current, history.open) if q is not None]


# -- situation --------------------------------------------------------------------------------------


def _situation_fields(
    league: League,
    status: EspnStatus,
    situation: EspnSituation | None,
    home: EspnCompetitor,
    away: EspnCompetitor,
    period: int,
) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if league.sport == "mlb":
        return _baseball(status, situation, period)
    possession = _possession(situation, home, away)
    if possession is not None:
        out["possession"] = possession
    if situation is None:
        return out
    for key, value in (("home_timeouts", situation.home_timeouts), ("away_timeouts", situation.away_timeouts)):
        if value is not None and value >= 0:
            out[key] = value
    if league.key in _FOOTBALL:
        out.update(_football(situation, possession, home, away))
    return out


def _possession(situation: EspnSituation | None, home: EspnCompetitor, away: EspnCompetitor) -> Side | None:
    team_id = situation.possession if situation else None
    if team_id:
        if team_id in (home.team.id, home.id):
            return "home"
        if team_id in (away.team.id, away.id):
            return "away"
        return None
    if home.possession and not away.possession:
        return "home"
    if away.possession and not home.possession:
        return "away"
    return None


def _football(
    situation: EspnSituation, possession: Side | None, home: EspnCompetitor, away: EspnCompetitor
) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if situation.down is not None and 1 <= situation.down <= 4:
        out["down"] = situation.down
    if situation.distance is not None and situation.distance >= 0:
        out["distance"] = situation.distance
    with_ball = {"home": home, "away": away}.get(possession or "")
    yards = _yards_to_goal(situation, with_ball.team.abbreviation if with_ball else None)
    if yards is not None:
        out["yards_to_goal"] = yards
    return out


def _yards_to_goal(situation: EspnSituation, possessor: str | None) -> int | None:
    text = situation.possession_text
    if not text and situation.down_distance_text and " at " in situation.down_distance_text:
        text = situation.down_distance_text.rsplit(" at ", 1)[1]
    yards = _field_position(text, possessor)
    if yards is None and situation.last_play and situation.last_play.end:
        yards = situation.last_play.end.yards_to_endzone
    return yards if yards is not None and 0 <= yards <= 100 else None


def _field_position(text: str | None, possessor: str | None) -> int | None:
    if not text:
        return None
    parts = text.strip().split()
    if len(parts) == 1 and parts[0].isdigit():
        return int(parts[0])  # "50": midfield carries no team
    if len(parts) != 2 or not parts[1].isdigit() or possessor is None:
        return None
    yard = int(parts[1])
    return 100 - yard if parts[0].upper() == possessor.upper() else yard


_HALF_WORDS: dict[str, Literal["top", "bottom", "mid", "end"]] = {
    "top": "top",
    "bot": "bottom",
    "bottom": "bottom",
    "mid": "mid",
    "middle": "mid",
    "end": "end",
}


def _baseball(status: EspnStatus, situation: EspnSituation | None, period: int) -> dict[str, Any]:
    detail = (status.type.short_detail or status.type.detail or "").strip().lower()
    word = _HALF_WORDS.get(detail.split(" ", 1)[0] if detail else "")
    if word is None:
        return {}
    if word == "mid":
        return {"inning_half": "bottom", "outs": 0, "bases": 0}
    if word == "end":
        return {"inning_half": "top", "period": period + 1, "outs": 0, "bases": 0}
    out: dict[str, Any] = {"inning_half": word}
    if situation is not None:
        if situation.outs is not None and 0 <= situation.outs <= 3:
            out["outs"] = situation.outs
        runners = (situation.on_first, situation.on_second, situation.on_third)
        if any(r is not None for r in runners):
            out["bases"] = sum(1 << i for i, on in enumerate(runners) if on)
    return out


def _red_cards(comp: EspnCompetition, home: EspnCompetitor, away: EspnCompetitor) -> dict[str, int]:
    counts = {"home_red_cards": 0, "away_red_cards": 0}
    for detail in comp.details or ():
        if not detail.red_card or detail.team is None:
            continue
        if detail.team.id == home.team.id:
            counts["home_red_cards"] += 1
        elif detail.team.id == away.team.id:
            counts["away_red_cards"] += 1
    return counts
