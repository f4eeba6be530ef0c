"""Matching Kalshi game events to ESPN games, and each market's YES to a side of the game.

A Kalshi game event is ``{SERIES}-{YYMONDD}[HHMM]{AWAY}{HOME}`` with the date of the game in US Eastern
time; each market ``{EVENT}-{TEAM}`` pays YES if that team wins (``yes_sub_title`` names it, the rules
say it). The game is found among the league's ESPN games of that Eastern date by the team codes of the
ticker and, independently, by the two names in the title; the YES side by the ticker's team code, the
``yes_sub_title`` and the team named in the rules. Evidence that disagrees refuses the market; every
check is listed in the verdict's reasons.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from markets.kalshi.models import EventInfo, MarketInfo, SeriesInfo
from services.discovery_coordinator.catalogue import EspnGame, MarketMatch, MatchStatus
from services.discovery_coordinator.matching.leagues import league_of_series
from services.discovery_coordinator.matching.names import (
    Side,
    TeamAliases,
    default_aliases,
    pair_sides,
    side_of,
    split_matchup,
)
from services.discovery_coordinator.matching.terms import kalshi_terms
from shared.fees import KALSHI_TAKER_MULTIPLIER
from shared.messages import FeeSpec, InstrumentRef

EASTERN = ZoneInfo("America/New_York")
_EVENT = re.compile(r"^(?P<series>[A-Z0-9]+)-(?P<date>\d{2}[A-Z]{3}\d{2})(?P<time>\d{4})?(?P<teams>[A-Z0-9]+)$")
_MONTHS = {
    m: n for n, m in enumerate(("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"), 1)
}
_DRAW_CODES = frozenset({"tie", "draw"})


@dataclass(frozen=True, slots=True)
class EventTicker:
    """The parts of a game event ticker."""

    series: str
    day: date
    teams: str


def parse_event_ticker(ticker: str) -> EventTicker | None:
    """``KXNBAGAME-26NOV23LALBOS`` → series, Eastern date, team codes (``None`` if not a game ticker)."""
    m = _EVENT.match(ticker)
    if not m:
        return None
    raw = m.group("date")
    month = _MONTHS.get(raw[2:5])
    if month is None:
        return None
    try:
        day = date(2000 + int(raw[:2]), month, int(raw[5:7]))
    except ValueError:
        return None
    return EventTicker(m.group("series"), day, m.group("teams"))


def eastern_date(moment: datetime) -> date:
    """The US-Eastern calendar date of ``moment`` (Kalshi's and ESPN's game day)."""
    return moment.astimezone(EASTERN).date()


def match_kalshi(
    games: Sequence[EspnGame],
    events: Sequence[EventInfo],
    series: Mapping[str, SeriesInfo],
    aliases: TeamAliases | None = None,
) -> list[MarketMatch]:
    """A verdict for every market of every game event."""
    aliases = aliases or default_aliases()
    out: list[MarketMatch] = []
    for event in events:
        out.extend(_match_event(games, event, series.get(event.series_ticker), aliases))
    return out


def _codes_fit(teams: str, game: EspnGame, aliases: TeamAliases) -> bool:
    """The ticker's team segment is ``away code + home code`` (a repeat suffix such as ``G2`` allowed)."""
    segment = teams.lower()
    for a in aliases.codes(game.league, game.away):
        for h in aliases.codes(game.league, game.home):
            if segment == a + h or re.fullmatch(re.escape(a + h) + r"g\d{1,2}", segment):
                return True
    return False


def _match_event(
    games: Sequence[EspnGame], event: EventInfo, series: SeriesInfo | None, aliases: TeamAliases
) -> list[MarketMatch]:
    def refuse(market: MarketInfo, code: str, why: str, game_id: str = "") -> MarketMatch:
        return MarketMatch(
            game_id, "kalshi", market.ticker, "refused", 0.0, (why,), event.event_ticker, market.title, code
        )

    league = league_of_series(event.series_ticker)
    ticker = parse_event_ticker(event.event_ticker)
    if league is None or ticker is None:
        return [
            refuse(m, "not_a_game", f"{event.event_ticker} is not a game event of a league we trade")
            for m in event.markets
        ]
    same_day = [g for g in games if g.league == league and eastern_date(g.scheduled_start) == ticker.day]
    names = split_matchup(event.title)
    by_code = [g for g in same_day if _codes_fit(ticker.teams, g, aliases)]
    by_name = [g for g in same_day if names is not None and pair_sides(names[0], names[1], g, aliases) is not None]
    found = list(dict.fromkeys(by_code + by_name))
    if not found:
        why = f"no {league} game on {ticker.day} (US Eastern) with teams {ticker.teams} / {event.title!r}"
        return [refuse(m, "no_game", why) for m in event.markets]
    if len(found) > 1:
        why = f"{event.title!r} fits {len(found)} games on {ticker.day}: " + ", ".join(g.game_id for g in found)
        return [refuse(m, "ambiguous_teams", why) for m in event.markets]
    (game,) = found
    evidence = []
    if game in by_code:
        evidence.append(f"ticker teams {ticker.teams} = {game.away.abbreviation} at {game.home.abbreviation}")
    if game in by_name:
        evidence.append(f"title {event.title!r} names both teams")
    evidence.append(f"date {ticker.day} = ESPN start {eastern_date(game.scheduled_start)} US Eastern")
    return [_match_market(game, event, market, series, evidence, aliases) for market in event.markets]


def _match_market(
    game: EspnGame,
    event: EventInfo,
    market: MarketInfo,
    series: SeriesInfo | None,
    evidence: list[str],
    aliases: TeamAliases,
) -> MarketMatch:
    def verdict(code: str | None, reasons: list[str], confidence: float = 0.0, side: str | None = None) -> MarketMatch:
        instruments = () if code is not None or side is None else _instruments(market, side, series)
        status: MatchStatus = "matched" if code is None else "refused"
        return MarketMatch(
            game.game_id,
            "kalshi",
            market.ticker,
            status,
            confidence,
            tuple(reasons),
            event.event_ticker,
            market.title,
            code,
            {"home": "yes", "away": "no"}.get(side or ""),  # the outcome that pays if the home team wins
            instruments,
        )

    reasons = list(evidence)
    if market.market_type != "binary" or market.mve_legs:
        return verdict("not_moneyline", [*reasons, f"a {market.market_type} market with {len(market.mve_legs)} legs"])
    terms = kalshi_terms(market.rules_primary, market.rules_secondary, game.sport)
    if not terms.ok:
        return verdict(terms.code, [*reasons, terms.reason])
    reasons.append(terms.reason)
    suffix = market.ticker.removeprefix(event.event_ticker).lstrip("-")
    if terms.draw or suffix.lower() in _DRAW_CODES:
        if game.sport != "soccer" or not terms.draw:
            return verdict("orientation_unknown", [*reasons, f"a draw market ({suffix}) on a game that cannot draw"])
        return verdict(None, [*reasons, "YES pays on a draw"], 1.0, "draw")
    votes: dict[str, Side | None] = {
        f"ticker team {suffix}": side_of(suffix, game, aliases, codes_only=True),
        f"yes_sub_title {market.yes_sub_title!r}": side_of(market.yes_sub_title, game, aliases),
        f"rules team {terms.team!r}": side_of(terms.team or "", game, aliases),
    }
    sides = {s for s in votes.values() if s is not None}
    if len(sides) != 1:
        what = "disagree" if sides else "name neither team"
        return verdict("orientation_unknown", [*reasons, f"YES side: {', '.join(votes)} {what}"])
    (side,) = sides
    agreeing = [k for k, v in votes.items() if v == side]
    reasons.append(f"YES is the {side} team ({', '.join(agreeing)})")
    confidence = (
        1.0 if len(agreeing) >= 2 and len(evidence) >= 3 else 0.9 if len(agreeing) >= 2 or len(evidence) >= 3 else 0.8
    )
    return verdict(None, reasons, confidence, side)


def _instruments(market: MarketInfo, side: str, series: SeriesInfo | None) -> tuple[InstrumentRef, ...]:
    # ``fee_multiplier`` scales the published schedule (1 = standard); FeeSpec.rate is the taker rate itself.
    scale = series.fee_multiplier if series else None
    fees = FeeSpec(
        schedule="kalshi",
        fee_type=(series.fee_type if series and series.fee_type else "quadratic"),
        rate=None if scale is None or scale == 1 else KALSHI_TAKER_MULTIPLIER * scale,
    )
    pays_on = "draw" if side == "draw" else side
    common = {
        "venue": "kalshi",
        "market_id": market.ticker,
        "pays_on": pays_on,
        "tick_size": market.tick_size,
        "fees": fees,
    }
    return (
        InstrumentRef(outcome_id="yes", **common),
        InstrumentRef(outcome_id="no", negated=True, **common),
    )
