"""Soccer games in the Polymarket simulator: three Yes/No markets per match, as the venue lists them.

A match can end in a draw, so the venue does not list a two-way moneyline: one event holds "Will HOME
win?", "Will AWAY win?" and "Will HOME vs. AWAY end in a draw?", each Yes/No (outcome 0 is Yes). For a
replayed match the makers quote each around a reference built from the replay's P(home wins) and the
score and clock (a level score makes the draw likelier as time runs out); each settles at full time.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

from markets.sim.common.makers import MakerParams
from markets.sim.polymarket.market import SimEvent, SimMarket, new_event, new_market
from markets.sim.polymarket.state import SimState
from markets.sim.replay_types import ReplayGame

EASTERN = ZoneInfo("America/New_York")
PREGAME_DRAW = 0.26
MATCH_S = 90 * 60.0
Result = str  # "home" | "away" | "draw"


def _rules(question: str, home: str, away: str, start: datetime, result: Result) -> str:
    et = start.astimezone(EASTERN)
    what = {"home": f"{home} wins", "away": f"{away} wins", "draw": "the match ends in a draw"}[result]
    return (
        f"This market refers to the match between {home} and {away} scheduled for {et:%B} {et.day}, "
        f"{et:%I:%M %p} ET. If {what} after 90 minutes of regulation time plus stoppage time, this market will "
        'resolve to "Yes". Otherwise this market will resolve to "No". If the match is postponed, this market will '
        "remain open until the match has been completed. If it is canceled entirely, with no make-up match, this "
        "market will resolve 50-50."
    )


def open_match(
    state: SimState, event: SimEvent, home: str, away: str, start: datetime, **options: object
) -> dict[Result, SimMarket]:
    """The three result markets of one match, on ``event``."""
    day = f"{start.astimezone(EASTERN):%Y-%m-%d}"
    questions = {
        "home": f"Will {home} win on {day}?",
        "away": f"Will {away} win on {day}?",
        "draw": f"Will {home} vs. {away} end in a draw?",
    }
    out: dict[Result, SimMarket] = {}
    for result, question in questions.items():
        market = new_market(
            seed=f"{state.config.seed}|{event.slug}|{result}",
            question=question,
            slug=f"{event.slug}-{result}",
            outcomes=("Yes", "No"),
            event=event,
            game_start_time=start,
            description=_rules(question, home, away, start, result),
            **options,
        )
        out[result] = state.exchange.add_market(market)
    return out


def new_match_event(
    slug: str, home: str, away: str, start: datetime, tags: list[dict[str, str]], game_id: str | None
) -> SimEvent:
    """The match's event (title ``HOME vs. AWAY``, as the venue writes soccer events)."""
    return new_event(
        slug=slug, title=f"{home} vs. {away}", start=start, tags=tags, game_id=game_id, series_slug=slug.split("-")[0]
    )


def result_references(game: ReplayGame) -> dict[Result, Callable[[float], float]]:
    """P(result) over replay time for each result."""

    def probs(t: float) -> tuple[float, float, float]:
        point = game.at(t)
        p_home = game.reference(t)
        p_home = p_home if math.isfinite(p_home) else 0.4
        if point.status == "pre":
            draw = PREGAME_DRAW
        else:
            elapsed = min(1.0, max(0.0, (point.clock_seconds or 0.0) / MATCH_S)) if point.status == "in" else 1.0
            level = point.home_score == point.away_score
            draw = PREGAME_DRAW + (1 - PREGAME_DRAW) * elapsed**2 if level else PREGAME_DRAW * (1 - elapsed) ** 2
        draw = min(draw, max(0.0, 1.0 - p_home - 0.01))
        return p_home, draw, max(0.01, 1.0 - p_home - draw)

    return {
        "home": lambda t: probs(t)[0],
        "draw": lambda t: probs(t)[1],
        "away": lambda t: probs(t)[2],
    }


def result_settlement(game: ReplayGame, result: Result) -> Callable[[float], int | None]:
    """Outcome index that won (0 = Yes) once the replayed match is over."""
    final = game.points[-1]
    actual = (
        "draw" if final.home_score == final.away_score else "home" if final.home_score > final.away_score else "away"
    )

    def winner(t: float) -> int | None:
        if game.at(t).status != "post":
            return None
        return 0 if actual == result else 1

    return winner


def seed_match(
    state: SimState,
    event: SimEvent,
    game: ReplayGame,
    start: datetime,
    params: MakerParams,
    seed: int,
    **options: object,
) -> list[SimMarket]:
    """Open and quote the three markets of a replayed match."""
    markets = open_match(state, event, game.home_team, game.away_team, start, **options)
    refs = result_references(game)
    for n, (result, market) in enumerate(markets.items()):
        state.makers.add(market, refs[result], params, seed * 3 + n, result_settlement(game, result))
    return list(markets.values())
