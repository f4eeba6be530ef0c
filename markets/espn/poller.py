"""The ESPN game-state feed: poll chosen leagues' scoreboards at an interval, yield what changed.

Game states are latest-value data (a missed one is replaced by the next), so the feed compares each
game's content (everything but the message envelope) with what it last yielded and yields only the
games whose content changed; the first round yields every game. A league whose scoreboard fails
transiently (:class:`shared.errors.Retryable` after the client's own retries) is skipped for that round
and its previous states are kept; its :class:`LeagueHealth` says how stale it is so a consumer can stop
trading on a game whose feed is stale. Any other error ends the feed: it means a configuration
problem (:class:`Rejected`, e.g. an unknown league) or an ESPN answer nobody understands (:class:`Fatal`).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable, Coroutine, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from markets.espn.client import Dates, EspnClient
from markets.espn.leagues import League, get_league
from shared.aio import wait_event
from shared.errors import Retryable
from shared.messages.base import utc_now
from shared.messages.market_data import GameStateUpdated

log = logging.getLogger(__name__)

_ENVELOPE = frozenset({"message_id", "correlation_id", "causation_id", "ts_event", "ts_init"})


@dataclass(frozen=True, slots=True)
class LeagueHealth:
    """Freshness of one league's feed: last successful poll (UTC), failures since, last error text."""

    last_success: datetime | None = None
    consecutive_failures: int = 0
    last_error: str | None = None


def content_of(state: GameStateUpdated) -> dict[str, Any]:
    """The part of a state that makes it "changed": every field except the message envelope."""
    return state.model_dump(exclude=set(_ENVELOPE))


class GameStatePoller:
    """Polls ``leagues`` every ``interval_s`` seconds and yields changed :class:`GameStateUpdated`.

    Parameters
    ----------
    client
        The ESPN client (its retry policy applies to each poll).
    leagues
        League keys (``"nba"``, ``"epl"``, ...) or :class:`League` objects, polled concurrently.
    interval_s
        Seconds between the end of one round and the start of the next.
    dates
        ``dates`` parameter for every scoreboard (default: ESPN's current day).
    clock
        UTC clock for :attr:`health`.
    """

    def __init__(
        self,
        client: EspnClient,
        leagues: Sequence[str | League],
        *,
        interval_s: float = 10.0,
        dates: Dates | None = None,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        if interval_s <= 0:
            raise ValueError("interval_s must be positive")
        self._client = client
        self._leagues = tuple(get_league(lg) for lg in leagues)
        self._interval_s = interval_s
        self._dates = dates
        self._clock = clock
        self._last: dict[str, dict[str, dict[str, Any]]] = {lg.key: {} for lg in self._leagues}
        self._health: dict[str, LeagueHealth] = {lg.key: LeagueHealth() for lg in self._leagues}

    @property
    def health(self) -> dict[str, LeagueHealth]:
        """Per league key, the freshness of its feed."""
        return dict(self._health)

    async def stream(self, stop: asyncio.Event) -> AsyncIterator[GameStateUpdated]:
        """Yield changed game states until ``stop`` is set (a poll in flight is abandoned at once).

        Raises
        ------
        shared.errors.VenueError
            Any non-retryable error of a poll (see the module docstring).
        """
        while not stop.is_set():
            changed = await _until_stopped(self.poll_once(), stop)
            if changed is None:
                return
            for state in changed:
                yield state
            await wait_event(stop, self._interval_s)

    async def poll_once(self) -> list[GameStateUpdated]:
        """One round over every league: the states that changed since the last round (idempotent reads).

        Raises
        ------
        shared.errors.VenueError
            The first non-retryable error among the leagues (other leagues' results are still recorded).
        """
        results = await asyncio.gather(
            *(self._client.scoreboard(lg, self._dates) for lg in self._leagues), return_exceptions=True
        )
        changed: list[GameStateUpdated] = []
        fatal: BaseException | None = None
        for league, result in zip(self._leagues, results, strict=True):
            if isinstance(result, Retryable):
                self._record_failure(league, result)
            elif isinstance(result, BaseException):
                fatal = fatal or result
            else:
                changed.extend(self._record_states(league, result))
        if fatal is not None:
            raise fatal
        return changed

    def _record_states(self, league: League, states: list[GameStateUpdated]) -> list[GameStateUpdated]:
        previous = self._last[league.key]
        current: dict[str, dict[str, Any]] = {}
        changed: list[GameStateUpdated] = []
        for state in states:
            content = content_of(state)
            current[state.game_id] = content
            if previous.get(state.game_id) != content:
                changed.append(state)
        self._last[league.key] = current  # games gone from the scoreboard are forgotten
        self._health[league.key] = LeagueHealth(last_success=self._clock())
        return changed

    def _record_failure(self, league: League, error: Retryable) -> None:
        before = self._health[league.key]
        self._health[league.key] = LeagueHealth(before.last_success, before.consecutive_failures + 1, str(error))
        log.warning(
            "ESPN scoreboard poll failed; keeping previous states",
            extra={"venue": "espn", "league": league.key, "failures": before.consecutive_failures + 1},
        )


async def _until_stopped(
    work: Coroutine[Any, Any, list[GameStateUpdated]], stop: asyncio.Event
) -> list[GameStateUpdated] | None:
    """Run ``work`` unless ``stop`` is set first (then cancel it and return ``None``)."""
    work_task: asyncio.Task[list[GameStateUpdated]] = asyncio.ensure_future(work)
    stop_task = asyncio.ensure_future(stop.wait())
    try:
        await asyncio.wait({work_task, stop_task}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for task in (work_task, stop_task):
            if not task.done():
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
    if work_task.done() and not work_task.cancelled():
        return work_task.result()
    return None
