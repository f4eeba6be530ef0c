"""Seeding markets: the control API's market factory, ``--demo-markets`` and ``--replay-data`` games.

Sports moneyline markets look like the venue's: event slug ``nba-lal-bos-2026-11-23``, outcomes the team
names (away first, as in ``"Lakers vs. Celtics"``), ``sportsMarketType: moneyline``, a
``gameStartTime``, a fee schedule, and makers quoting around a reference path. For a replayed game
token 0 (the away team) follows ``1 - P(home wins)`` of the shared replay timeline.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from markets.sim.common.makers import MakerParams, random_walk_reference
from markets.sim.polymarket import soccer
from markets.sim.polymarket.makers import Reference
from markets.sim.polymarket.market import SimMarket, new_event, new_market
from markets.sim.polymarket.state import SimState
from markets.sim.replay_types import ReplayClock, ReplayGame
from shared.fees import PolymarketFeeSchedule

EASTERN = ZoneInfo("America/New_York")
# Sports taker fee rate 0.03 -> 0.05 and maker rebate 25% -> 15% since 2026-07-10 (docs.polymarket.com/changelog).
SPORTS_FEE = PolymarketFeeSchedule(rate=Decimal("0.05"), exponent=1, taker_only=True)
SPORTS_REBATE_RATE = Decimal("0.15")
# league -> (its own tag id, label); every sports event also carries the shared tags 1 (Sports) and 100639 (Games).
SPORT_TAGS = {
    "nba": ("745", "NBA"),
    "wnba": ("100254", "WNBA"),
    "nfl": ("450", "NFL"),
    "cfb": ("100351", "NCAAF"),
    "cbb": ("101178", "NCAAB"),
    "nhl": ("899", "NHL"),
    "mlb": ("100381", "MLB"),
    "epl": ("82", "EPL"),
    "mls": ("100100", "MLS"),
}
# Our league keys where Polymarket's sport code differs.
POLYMARKET_CODES = {"ncaab": "cbb"}
SPORTS_TAG = {"id": "1", "label": "Sports", "slug": "sports"}
GAMES_TAG = {"id": "100639", "label": "Games", "slug": "games"}


@dataclass(frozen=True)
class MarketSpec:
    """What the control API (or a seeder) asks for."""

    away: str
    home: str
    league: str = "nba"
    away_abbr: str | None = None
    home_abbr: str | None = None
    start: datetime | None = None
    tick_size: Decimal = Decimal("0.01")
    min_order_size: Decimal = Decimal("5")
    neg_risk: bool = False
    fee: PolymarketFeeSchedule = SPORTS_FEE
    matching_delay_s: float = 0.0
    game_id: str | None = None


def _abbr(name: str) -> str:
    letters = "".join(ch for ch in name if ch.isalpha())
    return (letters[:3] or "tbd").lower()


def _slug(spec: MarketSpec, start: datetime) -> str:
    away, home = (spec.away_abbr or _abbr(spec.away)).lower(), (spec.home_abbr or _abbr(spec.home)).lower()
    code = POLYMARKET_CODES.get(spec.league, spec.league)
    return f"{code}-{away}-{home}-{start.astimezone(EASTERN):%Y-%m-%d}"


def _tags(league: str) -> list[dict[str, str]]:
    code = POLYMARKET_CODES.get(league, league)
    tag_id, label = SPORT_TAGS.get(code, ("100", code.upper()))
    return [SPORTS_TAG, {"id": tag_id, "label": label, "slug": code}, GAMES_TAG]


def create_market(state: SimState, spec: MarketSpec) -> SimMarket:
    """Open a sports moneyline market (and its event) on the exchange."""
    start = spec.start or datetime.now(UTC) + timedelta(hours=1)
    slug = _slug(spec, start)
    label = SPORT_TAGS.get(POLYMARKET_CODES.get(spec.league, spec.league), ("", spec.league.upper()))[1]
    event = new_event(
        slug=slug,
        title=f"{spec.away} vs. {spec.home}",
        start=start,
        tags=_tags(spec.league),
        game_id=spec.game_id,
        series_slug=spec.league,
    )
    market = new_market(
        seed=f"{state.config.seed}|{slug}|{spec.game_id or ''}",
        question=f"{spec.away} vs. {spec.home}",
        slug=slug,
        outcomes=(spec.away, spec.home),
        event=event,
        tick_size=spec.tick_size,
        min_order_size=spec.min_order_size,
        neg_risk=spec.neg_risk,
        fee=spec.fee,
        game_start_time=start,
        matching_delay_s=spec.matching_delay_s,
        description=moneyline_rules(label, spec.away, spec.home, start),
    )
    return state.exchange.add_market(market)


def moneyline_rules(label: str, away: str, home: str, start: datetime) -> str:
    """The venue's moneyline wording: who wins (overtime included), postponement waits, cancellation 50-50."""
    et = start.astimezone(EASTERN)
    return (
        f"In the upcoming {label} game, scheduled for {et:%B} {et.day} at {et:%I:%M%p} ET:\n\n"
        f"If the {away} win, the market will resolve to \u201c{away}\u201d.\n\n"
        f"If the {home} win, the market will resolve to \u201c{home}\u201d.\n\n"
        "The result includes any overtime or extra innings. If the game is postponed, this market will remain open "
        "until the game has been completed. If the game is canceled entirely, with no make-up game, this market "
        "will resolve 50-50."
    )


def add_makers(
    state: SimState,
    market: SimMarket,
    reference: Reference,
    params: MakerParams,
    seed: int = 0,
    settle_when: Callable[[float], int | None] | None = None,
) -> None:
    """Quote ``market`` around ``reference`` (probability of outcome 0); settle it when ``settle_when`` says."""
    state.makers.add(market, reference, params, seed, settle_when)


DEMO_GAMES = (
    ("nba", "Lakers", "Celtics", "lal", "bos", 0.42),
    ("nba", "Knicks", "Warriors", "nyk", "gsw", 0.55),
    ("nfl", "Chiefs", "Bills", "kc", "buf", 0.47),
    ("nhl", "Rangers", "Bruins", "nyr", "bos", 0.50),
    ("mlb", "Dodgers", "Yankees", "lad", "nyy", 0.52),
)


def seed_demo(state: SimState, *, matching_delay_s: float = 0.0) -> list[SimMarket]:
    """Open a handful of sports moneyline markets with resting liquidity on both sides at once."""
    markets = []
    for n, (league, away, home, away_abbr, home_abbr, p_away) in enumerate(DEMO_GAMES):
        spec = MarketSpec(
            away=away,
            home=home,
            league=league,
            away_abbr=away_abbr,
            home_abbr=home_abbr,
            start=datetime.now(UTC).replace(minute=0, second=0, microsecond=0) + timedelta(hours=2 + n),
            matching_delay_s=matching_delay_s,
        )
        market = create_market(state, spec)
        add_makers(state, market, random_walk_reference(p_away, seed=n), MakerParams(), seed=n)
        markets.append(market)
    return markets


def seed_replay(
    state: SimState, games: list[ReplayGame], clock: ReplayClock, *, matching_delay_s: float = 0.0
) -> list[SimMarket]:
    """One moneyline market per replayed game; makers follow the game's reference with lag and noise."""
    markets = []
    for n, game in enumerate(games):
        start = datetime.fromtimestamp(clock.start_epoch_s + game.start_offset_s / clock.speed, UTC)
        spec = MarketSpec(
            away=game.away_team,
            home=game.home_team,
            league=game.league,
            away_abbr=game.away_abbr,
            home_abbr=game.home_abbr,
            start=start,
            matching_delay_s=matching_delay_s,
            game_id=game.game_id,
        )
        if game.sport == "soccer":
            event = soccer.new_match_event(
                _slug(spec, start), game.home_team, game.away_team, start, _tags(spec.league), game.game_id
            )
            markets += soccer.seed_match(state, event, game, start, MakerParams(), n, matching_delay_s=matching_delay_s)
            continue
        market = create_market(state, spec)
        add_makers(state, market, _away_reference(game), MakerParams(), seed=n, settle_when=_winner(game))
        markets.append(market)
    return markets


def _winner(game: ReplayGame) -> Callable[[float], int | None]:
    """Outcome index that won (0 away, 1 home) once the replayed game is final; ties stay open."""

    def winner(t: float) -> int | None:
        if game.home_won is None or game.at(t).status != "post":
            return None
        return 1 if game.home_won else 0

    return winner


def _away_reference(game: ReplayGame) -> Reference:
    def reference(t: float) -> float:
        p_home = game.reference(t)
        return 1.0 - p_home if math.isfinite(p_home) else 0.5

    return reference
