"""Polling ESPN summaries of the assigned games: only changed states go on, and each game's freshness.

A game's state is fresh while its summary reads succeed (a quiet game that did not change is still
fresh); a failing read leaves the previous state and ages it, so the shard stops signalling on a game
whose feed is gone. Finished games are read once more after they end, then left alone.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from markets.espn.client import EspnClient
from markets.espn.poller import content_of
from shared.aio import wait_event
from shared.errors import VenueError
from shared.messages import GameAssignment, GameStateUpdated

log = logging.getLogger(__name__)
StateHandler = Callable[[GameStateUpdated], Awaitable[None]]


class SummaryFeed:
    """ESPN summaries of the games in :meth:`follow`, every ``interval_s``; ``on_state`` gets the changes."""

    def __init__(
        self,
        client: EspnClient,
        on_state: StateHandler,
        *,
        interval_s: float,
        concurrency: int = 8,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._client = client
        self._on_state = on_state
        self._interval_s = interval_s
        self._limit = asyncio.Semaphore(concurrency)
        self._clock = clock
        self._games: dict[str, GameAssignment] = {}
        self._last: dict[str, dict[str, Any]] = {}
        self._done: set[str] = set()
        self._failing: set[str] = set()
        self.fresh_at: dict[str, float] = {}
        self.reads = 0
        self.failures = 0

    def follow(self, games: Mapping[str, GameAssignment]) -> None:
        """Poll exactly ``games`` from the next round on."""
        self._games = dict(games)
        for gone in set(self._last) - set(games):
            self._last.pop(gone, None)
            self.fresh_at.pop(gone, None)
            self._done.discard(gone)

    def age_s(self, game_id: str) -> float | None:
        """Seconds since the last successful read of ``game_id`` (``None`` before the first)."""
        at = self.fresh_at.get(game_id)
        return None if at is None else self._clock() - at

    async def run(self, stopping: asyncio.Event) -> None:
        """Poll until ``stopping``."""
        while not stopping.is_set():
            games = [g for g in self._games.values() if g.game_id not in self._done]
            await asyncio.gather(*(self._poll(g) for g in games))
            await wait_event(stopping, self._interval_s)

    async def _poll(self, game: GameAssignment) -> None:
        async with self._limit:
            try:
                summary = await self._client.summary(game.league, game.game_id)
            except VenueError as e:
                self.failures += 1
                if game.game_id not in self._failing:
                    self._failing.add(game.game_id)
                    log.warning("ESPN summary read failed", extra={"game_id": game.game_id, "error": str(e)})
                return
        self.reads += 1
        self._failing.discard(game.game_id)
        if game.game_id not in self._games:
            return
        self.fresh_at[game.game_id] = self._clock()
        state = summary.state
        content = content_of(state)
        if self._last.get(game.game_id) == content:
            if state.status == "post":
                self._done.add(game.game_id)
            return
        self._last[game.game_id] = content
        await self._on_state(state)
