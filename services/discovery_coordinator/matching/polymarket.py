"""Matching Polymarket sports events to ESPN games, and each token to the game result it pays on.

Two shapes of game-winner market (venues.md §2.2): a two-way moneyline whose outcomes are the team names
(``["Lakers", "Celtics"]``, US sports), and, where a draw is possible (soccer), one Yes/No market per
result (``Will Arsenal FC win?``, ``Will the match be a draw?``). The game is found by start time
(``gameStartTime``) and the two team names of the event title or the outcomes; each token is oriented
by the name it carries. A two-way market on a game that can end in a draw settles differently from the
game (a draw has no winner) and is refused as ``three_way``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime, timedelta

from markets.polymarket.types import GammaEvent, GammaMarket
from services.discovery_coordinator.catalogue import EspnGame, MarketMatch
from services.discovery_coordinator.matching.leagues import league_of_polymarket_code
from services.discovery_coordinator.matching.names import (
    Side,
    TeamAliases,
    default_aliases,
    pair_sides,
    side_of,
    split_matchup,
)
from services.discovery_coordinator.matching.terms import polymarket_terms
from shared.messages import FeeSpec, InstrumentRef

START_TOLERANCE = timedelta(hours=3)
EVENT_DATE_TOLERANCE = timedelta(hours=36)
_YES_NO = ("yes", "no")
_DRAW = re.compile(r"\b(draw|tie)\b", re.IGNORECASE)
_WILL_WIN = re.compile(r"^will (?:the )?(?P<team>.+?) (?:win|beat|defeat)\b", re.IGNORECASE)


def match_polymarket(
    games: Sequence[EspnGame], events: Sequence[GammaEvent], aliases: TeamAliases | None = None
) -> list[MarketMatch]:
    """A verdict for every market of every sports event."""
    aliases = aliases or default_aliases()
    out: list[MarketMatch] = []
    for event in events:
        out.extend(_match_market(games, event, market, aliases) for market in event.markets)
    return out


def _league_hint(event: GammaEvent) -> str | None:
    for code in (*event.tags, event.slug.split("-", 1)[0]):
        league = league_of_polymarket_code(code)
        if league is not None:
            return league
    return None


def _start_of(event: GammaEvent, market: GammaMarket) -> tuple[datetime | None, timedelta]:
    if market.game_start_time is not None:
        return market.game_start_time, START_TOLERANCE
    if market.event_start_time is not None:
        return market.event_start_time, START_TOLERANCE
    return event.start_date, EVENT_DATE_TOLERANCE


def _is_yes_no(market: GammaMarket) -> bool:
    return tuple(o.lower() for o in market.outcomes) == _YES_NO


def _names(event: GammaEvent, market: GammaMarket) -> list[tuple[str, str]]:
    """Pairs of names that should be the two teams: the event title, the question, two-way outcomes."""
    pairs = [p for p in (split_matchup(event.title), split_matchup(market.question)) if p is not None]
    if len(market.outcomes) == 2 and not _is_yes_no(market):
        pairs.append((market.outcomes[0], market.outcomes[1]))
    return pairs


def _match_market(
    games: Sequence[EspnGame], event: GammaEvent, market: GammaMarket, aliases: TeamAliases
) -> MarketMatch:
    def refuse(code: str, why: str, game_id: str = "", reasons: Sequence[str] = ()) -> MarketMatch:
        return MarketMatch(
            game_id,
            "polymarket",
            market.condition_id or market.id,
            "refused",
            0.0,
            (*reasons, why),
            event.id,
            market.question,
            code,
        )

    if not market.condition_id or len(market.token_ids) != len(market.outcomes) or len(market.outcomes) < 2:
        return refuse("not_tradable", "no condition id or no token per outcome")
    league = _league_hint(event)
    start, tolerance = _start_of(event, market)
    near = [
        g
        for g in games
        if (league is None or g.league == league) and (start is None or abs(g.scheduled_start - start) <= tolerance)
    ]
    pairs = _names(event, market)
    found = list(dict.fromkeys(g for g in near for a, b in pairs if pair_sides(a, b, g, aliases) is not None))
    if not found:
        return refuse("no_game", f"no {league or 'ESPN'} game near {start} with teams {pairs or event.title!r}")
    if len(found) > 1:
        return refuse(
            "ambiguous_teams", f"{event.title!r} fits {len(found)} games: " + ", ".join(g.game_id for g in found)
        )
    (game,) = found
    reasons = [f"teams of {event.title!r} = {game.away.abbreviation} at {game.home.abbreviation}"]
    if start is not None:
        reasons.append(
            f"start {start:%Y-%m-%d %H:%M} UTC within {tolerance} of ESPN {game.scheduled_start:%Y-%m-%d %H:%M}"
        )
    terms = polymarket_terms(
        market.description, game.sport, market_type=market.sports_market_type, has_line=market.line is not None
    )
    if not terms.ok:
        return refuse(terms.code or "settlement_terms", terms.reason, game.game_id, reasons)
    reasons.append(terms.reason)
    sides = _outcome_sides(game, market, aliases)
    if isinstance(sides, str):
        code, why = sides.split(":", 1)
        return refuse(code, why, game.game_id, reasons)
    instruments = tuple(
        InstrumentRef(
            venue="polymarket",
            market_id=market.condition_id,
            outcome_id=token,
            pays_on=pays_on,
            negated=negated,
            tick_size=market.tick_size or InstrumentRef.model_fields["tick_size"].default,
            fees=_fees(market),
        )
        for token, (pays_on, negated) in zip(market.token_ids, sides, strict=True)
    )
    home = next((o for o, (p, n) in zip(market.outcomes, sides, strict=True) if p == "home" and not n), None)
    reasons.append(
        "outcomes: "
        + ", ".join(f"{o} pays on {'not ' if n else ''}{p}" for o, (p, n) in zip(market.outcomes, sides, strict=True))
    )
    confidence = (1.0 if start is not None and tolerance == START_TOLERANCE else 0.85) - (
        0.0 if terms.postponement_stated else 0.05
    )
    return MarketMatch(
        game.game_id,
        "polymarket",
        market.condition_id,
        "matched",
        round(confidence, 2),
        tuple(reasons),
        event.id,
        market.question,
        None,
        home,
        instruments,
    )


def _outcome_sides(game: EspnGame, market: GammaMarket, aliases: TeamAliases) -> list[tuple[str, bool]] | str:
    """``(pays_on, negated)`` per outcome, or ``"code:reason"`` when the market cannot be oriented."""
    if not _is_yes_no(market):
        if game.sport == "soccer":
            return "three_way:a two-way market on a match that can end in a draw (no draw outcome)"
        if len(market.outcomes) != 2:
            return f"not_moneyline:{len(market.outcomes)} outcomes"
        a, b = side_of(market.outcomes[0], game, aliases), side_of(market.outcomes[1], game, aliases)
        if a is None or b is None or a == b:
            return f"orientation_unknown:outcomes {list(market.outcomes)} do not name one team each"
        return [(a, False), (b, False)]
    pays_on: Side | str | None
    if _DRAW.search(market.question):
        if game.sport != "soccer":
            return "orientation_unknown:a draw market on a game that cannot draw"
        pays_on = "draw"
    else:
        m = _WILL_WIN.match(market.question.strip())
        pays_on = side_of(m.group("team"), game, aliases) if m else None
        if pays_on is None:
            return f"orientation_unknown:question {market.question!r} does not name one team's win"
    yes_first = market.outcomes[0].lower() == "yes"
    return [(pays_on, not yes_first), (pays_on, yes_first)]


def _fees(market: GammaMarket) -> FeeSpec:
    schedule = market.fee_schedule
    if schedule is None:
        return FeeSpec(schedule="polymarket", fee_type="none", rate=None)
    return FeeSpec(schedule="polymarket", fee_type="taker", rate=schedule.rate, exponent=schedule.exponent)
