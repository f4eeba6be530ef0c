"""Opening markets in the Kalshi simulator: demo game markets, or one market per replayed game.

Tickers follow Kalshi's game-winner form ``{SERIES}-{YYMONDD}{AWAY}{HOME}-{TEAM}`` (venues.md §1.9,
e.g. ``KXNBAGAME-26NOV23LALBOS-BOS``): the event is the game, each market pays if its team wins.
Demo markets (``--demo-markets``) open both teams' markets of three games, quoted around a slow random
walk so a client can trade at once. Replay seeding opens the home team's market of every replayed game,
its makers following ``game.reference`` on the shared :class:`ReplayClock`; when the replayed game ends
the market settles.
"""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from markets.sim.common.makers import MakerParams, random_walk_reference
from markets.sim.kalshi.exchange import KalshiExchange, SimEvent, SimMarket, SimSeries
from markets.sim.kalshi.makers import MakerDesk, Quoter
from markets.sim.replay_types import ReplayClock, ReplayGame

EASTERN = ZoneInfo("America/New_York")
TEAM_NAMESPACE = uuid.UUID("b0a8f3c2-11d4-5e6f-8a9b-0c1d2e3f4a5b")

SERIES: dict[str, tuple[str, str, str]] = {
    # league -> (series ticker, series title, tag)
    "nba": ("KXNBAGAME", "Professional Basketball Game", "Basketball"),
    "wnba": ("KXWNBAGAME", "Women's Pro Basketball Game", "Basketball"),
    "ncaab": ("KXNCAAMBGAME", "Men's College Basketball Game", "Basketball"),
    "nfl": ("KXNFLGAME", "Professional Football Game", "Football"),
    "cfb": ("KXNCAAFGAME", "College Football Game", "Football"),
    "nhl": ("KXNHLGAME", "Professional Hockey Game", "Hockey"),
    "mlb": ("KXMLBGAME", "Professional Baseball Game", "Baseball"),
    "epl": ("KXEPLGAME", "English Premier League Game", "Soccer"),
    "mls": ("KXMLSGAME", "Major League Soccer Game", "Soccer"),
    "ucl": ("KXUCLGAME", "UEFA Champions League Game", "Soccer"),
}

SHARDS: dict[str, int] = {
    # league -> exchange shard (``exchange_index``) of its markets; any other league is on the default shard 0.
    # Kalshi puts new baseball and tennis events on another shard (docs.kalshi.com/getting_started/exchange_sharding).
    "mlb": 1,
    "atp": 1,
    "wta": 1,
}


@dataclass(frozen=True)
class DemoGame:
    """One demo game: league, teams (abbreviation, name) and the home team's starting win probability."""

    league: str
    away: tuple[str, str]
    home: tuple[str, str]
    home_prob: float


DEMO_GAMES = (
    DemoGame("nba", ("LAL", "Los Angeles L"), ("BOS", "Boston"), 0.62),
    DemoGame("nfl", ("KC", "Kansas City"), ("DAL", "Dallas"), 0.44),
    DemoGame("nhl", ("NYR", "New York R"), ("TOR", "Toronto"), 0.55),
)


def date_code(moment: datetime) -> str:
    """Kalshi's date segment, the game's US-Eastern calendar day: ``26NOV23``."""
    return moment.astimezone(EASTERN).strftime("%y%b%d").upper()


def rules_date(moment: datetime) -> str:
    """The game day as Kalshi's rules write it: ``Jul 9, 2026`` (US Eastern)."""
    day = moment.astimezone(EASTERN)
    return f"{day:%b} {day.day}, {day.year}"


def _clean(abbr: str) -> str:
    return re.sub(r"[^A-Z0-9]", "", abbr.upper()) or "TEAM"


def _series(exchange: KalshiExchange, league: str) -> SimSeries:
    ticker, title, tag = SERIES.get(league, (f"KX{league.upper()}GAME", f"{league.upper()} Game", league.title()))
    return exchange.add_series(SimSeries(ticker, title, tags=(tag,)))


def open_game(
    exchange: KalshiExchange,
    *,
    league: str,
    away: tuple[str, str],
    home: tuple[str, str],
    start: datetime,
    teams: Iterable[str] = ("home",),
) -> list[SimMarket]:
    """Open the event of one game and the markets of ``teams`` (``home``/``away``); returns the markets."""
    series = _series(exchange, league)
    away_abbr, home_abbr = _clean(away[0]), _clean(home[0])
    base = f"{series.ticker}-{date_code(start)}{away_abbr}{home_abbr}"
    event_ticker = base
    for n in range(2, 100):
        if event_ticker not in exchange.events:
            break
        event_ticker = f"{base}G{n}"
    title = f"{away[1]} at {home[1]} Winner?"
    day = start.astimezone(EASTERN)
    exchange.add_event(SimEvent(event_ticker, series.ticker, title, f"{away_abbr} at {home_abbr} ({day:%b} {day.day})"))
    markets = []
    now = exchange.now()
    for side in teams:
        (abbr, name), (_, other) = (home, away) if side == "home" else (away, home)
        market = SimMarket(
            ticker=f"{event_ticker}-{_clean(abbr)}",
            event_ticker=event_ticker,
            title=title,
            yes_sub_title=name,
            no_sub_title=other,
            open_time=min(now, start) - timedelta(days=2),
            close_time=start + timedelta(days=14),
            expected_expiration_time=start + timedelta(hours=3),
            created_time=now,
            rules_primary=f"If {name} wins the {away[1]} at {home[1]} game originally scheduled for "
            f"{rules_date(start)}, then the market resolves to Yes.",
            custom_strike={f"{series.tags[0].lower()}_team": str(uuid.uuid5(TEAM_NAMESPACE, f"{league}:{abbr}"))},
            exchange_index=SHARDS.get(league, 0),
        )
        markets.append(exchange.add_market(market))
    return markets


def seed_demo(
    exchange: KalshiExchange, desk: MakerDesk, *, seed: int = 0, params: MakerParams | None = None
) -> list[str]:
    """Open the demo games (both teams' markets) with makers quoting at once; returns the tickers."""
    params = params or MakerParams(lag_s=0.0, noise_sd=0.004, size=Decimal("100"), levels=5)
    start_wall = time.time()

    def since_start() -> float:
        return time.time() - start_wall

    tickers = []
    start = exchange.now().replace(minute=0, second=0, microsecond=0) + timedelta(hours=2)
    for n, game in enumerate(DEMO_GAMES):
        home_market, away_market = open_game(
            exchange, league=game.league, away=game.away, home=game.home, start=start, teams=("home", "away")
        )
        walk = random_walk_reference(game.home_prob, seed + n)
        desk.add(Quoter(home_market.ticker, walk, since_start, params))
        desk.add(Quoter(away_market.ticker, walk, since_start, params, invert=True))
        tickers += [home_market.ticker, away_market.ticker]
    for ticker in tickers:
        desk.refresh(ticker)
    return tickers


def seed_replay(
    exchange: KalshiExchange,
    desk: MakerDesk,
    games: Iterable[ReplayGame],
    clock: ReplayClock,
    *,
    params: MakerParams | None = None,
) -> dict[str, str]:
    """Open the home team's market of every replayed game; returns ``ticker -> game_id``."""
    params = params or MakerParams()
    replay_now: Callable[[], float] = clock.now
    opened: dict[str, str] = {}
    for game in games:
        start = datetime.fromtimestamp(clock.start_epoch_s + game.start_offset_s / clock.speed, UTC)
        (market,) = open_game(
            exchange,
            league=game.league,
            away=(game.away_abbr, game.away_team),
            home=(game.home_abbr, game.home_team),
            start=start,
        )
        desk.add(Quoter(market.ticker, game.reference, replay_now, params, game=game))
        opened[market.ticker] = game.game_id
    desk.refresh_all()
    return opened
