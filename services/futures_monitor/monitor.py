"""One tick of the futures monitor, driven by an explicit clock: read pre-game lines, detect moves, hand off.

At each :meth:`FuturesMonitor.tick` (``now`` given by the caller) every watched game that has not started
has each of its markets read once; the quotes are stored as line-history points at ``now`` and fed to the
movement detector, whose movements are stored and published (``line_movement``). A game that has started
(ESPN no longer says ``pre``, or ``FUTURES_START_GRACE_S`` after its ``scheduled_start`` without a word)
is handed off instead: its last pre-game mids, averaged over venues, are published as a
:class:`PregameLine` (``pregame_line``, key: the game) for the game shards' model prior, and the hand-off
is recorded so it happens once.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import cast

import asyncpg

from services.futures_monitor import store
from services.futures_monitor.config import FuturesSettings
from services.futures_monitor.movement import Movement, MovementDetector
from services.futures_monitor.quotes import HomeQuote, LineReader
from services.futures_monitor.sources import LineSource, WatchedGame
from shared.bus import keys
from shared.bus.pubsub import MarketDataBus
from shared.messages import LineMoved, PregameLine
from shared.prices import Venue

log = logging.getLogger(__name__)


@dataclass(slots=True)
class TickResult:
    """What one tick did."""

    watched: int = 0
    points: int = 0
    read_failures: int = 0
    movements: list[LineMoved] = field(default_factory=list)
    handoffs: list[PregameLine] = field(default_factory=list)


class FuturesMonitor:
    """The monitor's state across ticks: the movement detector and the games that started without a line."""

    def __init__(self, settings: FuturesSettings, pool: asyncpg.Pool, bus: MarketDataBus, reader: LineReader) -> None:
        self.settings = settings
        self._pool = pool
        self._bus = bus
        self._reader = reader
        self._detector = MovementDetector(settings.movement_threshold, timedelta(seconds=settings.movement_window_s))
        self._limit = asyncio.Semaphore(settings.max_concurrent_reads)
        self._no_line: set[str] = set()

    async def tick(self, now: datetime) -> TickResult:
        """Read, store, detect and hand off once at ``now``."""
        async with self._pool.acquire() as conn:
            games = await store.watched_games(
                conn,
                now=now,
                lookahead=timedelta(hours=self.settings.lookahead_h),
                min_confidence=self.settings.min_confidence,
            )
        result = TickResult(watched=len(games))
        grace = timedelta(seconds=self.settings.start_grace_s)
        for game in (g for g in games if g.is_live(now, grace) and g.game_id not in self._no_line):
            line = await self._hand_off(game, now)
            if line is not None:
                result.handoffs.append(line)
        pending = [(g, s) for g in games if not g.is_live(now, grace) for s in g.sources]
        quotes = await asyncio.gather(*(self._read(source) for _, source in pending))
        points = [(g.game_id, q) for (g, _), q in zip(pending, quotes, strict=True) if isinstance(q, HomeQuote)]
        result.read_failures = sum(1 for q in quotes if q is False)
        if points:
            async with self._pool.acquire() as conn:
                await store.insert_points(conn, points, now)
        result.points = len(points)
        for game_id, quote in points:
            moved = self._detector.observe(f"{game_id}:{quote.venue}:{quote.market_id}", now, quote.mid)
            if moved is not None:
                result.movements.append(await self._publish_movement(game_id, quote, moved))
        return result

    async def _read(self, source: LineSource) -> HomeQuote | None | bool:
        async with self._limit:
            try:
                return await self._reader.read(source)
            except Exception:  # noqa: BLE001 - one market's failed read must not stop the others; the next tick retries
                log.warning("pre-game line read failed", extra={"venue": source.venue, "market_id": source.market_id})
                return False

    async def _publish_movement(self, game_id: str, quote: HomeQuote, moved: Movement) -> LineMoved:
        event = LineMoved(
            game_id=game_id,
            venue=cast(Venue, quote.venue),
            market_id=quote.market_id,
            from_ts=moved.from_ts,
            from_price=moved.from_price,
            to_price=moved.to_price,
            change=moved.change,
            window_s=self.settings.movement_window_s,
            ts_event=moved.ts,
        )
        async with self._pool.acquire() as conn:
            await store.insert_movement(conn, event)
        await self._bus.publish(keys.LINE_MOVEMENT, event.key, event)
        log.info(
            "line moved",
            extra={"game_id": game_id, "venue": quote.venue, "market_id": quote.market_id, "change": str(moved.change)},
        )
        return event

    async def _hand_off(self, game: WatchedGame, now: datetime) -> PregameLine | None:
        # Every stored point is pre-game (points are read only while the game has not started), also those
        # after a late start's scheduled time.
        async with self._pool.acquire() as conn:
            points = await store.last_points(conn, game.game_id, game.sources, now)
        if not points:
            self._no_line.add(game.game_id)
            log.warning("game started without a pre-game line", extra={"game_id": game.game_id})
            return None
        by_venue: dict[str, list[Decimal]] = {}
        for venue, _ts, mid in points:
            by_venue.setdefault(venue, []).append(mid)
        venue_mids = [sum(mids) / len(mids) for mids in by_venue.values()]
        line = PregameLine(
            game_id=game.game_id,
            home_prob=float(sum(venue_mids) / len(venue_mids)),
            venues=tuple(cast(Venue, v) for v in sorted(by_venue)),
            line_ts=max(ts for _, ts, _ in points),
            scheduled_start=game.scheduled_start,
        )
        await self._bus.publish(keys.PREGAME_LINE, game.game_id, line)
        async with self._pool.acquire() as conn:
            await store.record_handoff(conn, line)
        for source in game.sources:
            self._detector.forget(f"{game.game_id}:{source.key}")
        log.info("game handed off", extra={"game_id": game.game_id, "home_prob": line.home_prob})
        return line
