"""Fixtures for discovery's matching tests: recorded venue payloads (copied under tests/contract) and ESPN games."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from markets.espn.leagues import get_league
from markets.espn.schemas import EspnScoreboard
from markets.kalshi import schemas as kw
from markets.kalshi.models import EventInfo, MarketInfo
from markets.kalshi.parsing import parse_market
from services.discovery_coordinator.catalogue import EspnGame, TeamRef
from services.discovery_coordinator.espn_games import games_from_scoreboard

CONTRACT = Path(__file__).resolve().parents[2] / "contract"
KALSHI_WNBA = CONTRACT / "kalshi/resources/http/2026-07_wnba-analytics-engine/markets_list_KXWNBAGAME.json"
GAMMA_WNBA_EVENTS = (
    CONTRACT / "polymarket/resources/http/gamma_2026-07_wnba-analytics-engine/gamma_events_wnba_TRIMMED.json"
)
GAMMA_DRAW_MARKET = CONTRACT / "polymarket/resources/http/gamma_2025-11_cassettes/get_gamma_markets__200.json"
ESPN_WNBA_BOARD = CONTRACT / "espn/resources/wnba-analytics-engine/espn_scoreboard_wnba_min_lynx.json"


def load(path: Path) -> Any:
    """A recorded payload."""
    return json.loads(path.read_text(encoding="utf-8"))


def kalshi_markets() -> list[dict[str, Any]]:
    """The recorded ``GET /markets?series_ticker=KXWNBAGAME`` markets (raw dicts)."""
    return list(load(KALSHI_WNBA)["markets"])


def kalshi_events(markets: list[dict[str, Any]] | None = None) -> list[EventInfo]:
    """The recorded markets grouped into their events, as ``GET /events?with_nested_markets`` gives them."""
    parsed: list[MarketInfo] = [parse_market(kw.Market.model_validate(m)) for m in (markets or kalshi_markets())]
    events: dict[str, list[MarketInfo]] = {}
    for m in parsed:
        events.setdefault(m.event_ticker, []).append(m)
    return [EventInfo(ticker, "KXWNBAGAME", ms[0].title, "", True, tuple(ms)) for ticker, ms in events.items()]


def team(abbr: str, location: str, nickname: str) -> TeamRef:
    """An ESPN team as the scoreboard gives it."""
    return TeamRef(abbr, f"{location} {nickname}", location, location, nickname)


def game(game_id: str, league: str, away: TeamRef, home: TeamRef, start: datetime, status: str = "pre") -> EspnGame:
    """An ESPN game."""
    lg = get_league(league)
    return EspnGame(
        game_id, league, lg.sport, start, status, False, home, away, f"{away.display_name} at {home.display_name}"
    )  # type: ignore[arg-type]


def wnba_games_of_jul_9() -> list[EspnGame]:
    """The ESPN games behind the recorded Kalshi events (7 pm Phoenix = 02:00 UTC the next day)."""
    return [
        game(
            "401820001",
            "wnba",
            team("IND", "Indiana", "Fever"),
            team("PHX", "Phoenix", "Mercury"),
            datetime(2026, 7, 10, 2, 0, tzinfo=UTC),
        ),
        game(
            "401820002",
            "wnba",
            team("LV", "Las Vegas", "Aces"),
            team("POR", "Portland", "Fire"),
            datetime(2026, 7, 10, 2, 30, tzinfo=UTC),
        ),
    ]


def espn_wnba_games() -> list[EspnGame]:
    """The recorded ESPN WNBA scoreboard (Valkyries at Lynx, 2026-08-25 00:00 UTC)."""
    return games_from_scoreboard(EspnScoreboard.model_validate(load(ESPN_WNBA_BOARD)), get_league("wnba"))
