"""Reading the three sources discovery joins: ESPN scoreboards, Kalshi game events, Polymarket sports events.

Each read is isolated: a league or venue that fails this round is reported in ``failures`` and its
previous verdicts stay in the database (a transient outage must not unassign live games).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from markets.espn.client import EspnClient
from markets.espn.leagues import get_league
from markets.kalshi.models import EventInfo, SeriesInfo
from markets.kalshi.rest import KalshiRestClient, paginate
from markets.polymarket.gamma import GammaClient
from markets.polymarket.types import GammaEvent
from services.discovery_coordinator.catalogue import EspnGame
from services.discovery_coordinator.espn_games import games_from_scoreboard
from services.discovery_coordinator.matching import kalshi_series_for, polymarket_tag_ids
from shared.errors import VenueError

log = logging.getLogger(__name__)


@dataclass(slots=True)
class Catalogue:
    """One round of reads."""

    games: list[EspnGame] = field(default_factory=list)
    kalshi_events: list[EventInfo] = field(default_factory=list)
    kalshi_series: dict[str, SeriesInfo] = field(default_factory=dict)
    polymarket_events: list[GammaEvent] = field(default_factory=list)
    failures: dict[str, str] = field(default_factory=dict)

    @property
    def kalshi_ok(self) -> bool:
        """True when every Kalshi read of the round succeeded."""
        return not any(k.startswith("kalshi") for k in self.failures)

    @property
    def polymarket_ok(self) -> bool:
        """True when every Polymarket read of the round succeeded."""
        return not any(k.startswith("polymarket") for k in self.failures)


class Sources:
    """The venue and ESPN readers for the configured leagues."""

    def __init__(self, espn: EspnClient, kalshi: KalshiRestClient, gamma: GammaClient, leagues: Sequence[str]) -> None:
        self._espn = espn
        self._kalshi = kalshi
        self._gamma = gamma
        self._leagues = tuple(leagues)
        self._series_info: dict[str, SeriesInfo] = {}

    async def read(self, today: date) -> Catalogue:
        """Read everything for the US-Eastern day ``today`` (ESPN: the day before through the day after)."""
        out = Catalogue()
        await asyncio.gather(self._read_espn(out, today), self._read_kalshi(out), self._read_polymarket(out))
        return out

    async def _read_espn(self, out: Catalogue, today: date) -> None:
        dates = (today - timedelta(days=1), today + timedelta(days=1))

        async def one(league: str) -> None:
            try:
                board = await self._espn.scoreboard_raw(league, dates)
            except VenueError as e:
                out.failures[f"espn:{league}"] = str(e)
                return
            out.games.extend(games_from_scoreboard(board, get_league(league)))

        await asyncio.gather(*(one(league) for league in self._leagues))

    async def _read_kalshi(self, out: Catalogue) -> None:
        async def one(series: str) -> None:
            try:
                if series not in self._series_info:
                    self._series_info[series] = await self._kalshi.get_series(series)
                out.kalshi_series[series] = self._series_info[series]
                events = paginate(
                    self._kalshi.list_events, series_ticker=series, status="open", with_nested_markets=True
                )
                out.kalshi_events.extend([e async for e in events])
            except VenueError as e:
                out.failures[f"kalshi:{series}"] = str(e)

        series = sorted({s for league in self._leagues for s in kalshi_series_for(league)})
        await asyncio.gather(*(one(s) for s in series))

    async def _read_polymarket(self, out: Catalogue) -> None:
        try:
            tags = polymarket_tag_ids(await self._gamma.sports(), self._leagues)
        except VenueError as e:
            out.failures["polymarket:sports"] = str(e)
            return

        async def one(league: str, tag_id: str) -> None:
            try:
                out.polymarket_events.extend(await self._gamma.sports_events(tag_id))
            except VenueError as e:
                out.failures[f"polymarket:{league}"] = str(e)

        await asyncio.gather(*(one(league, tag) for league, tag in tags.items()))
        seen: set[str] = set()
        unique = []
        for event in out.polymarket_events:
            if event.id not in seen:
                seen.add(event.id)
                unique.append(event)
        out.polymarket_events = unique
