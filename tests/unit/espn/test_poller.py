"""GameStatePoller over a scripted ESPN: only changes are yielded, failures keep state, stop is honoured."""

from __future__ import annotations

import asyncio
import copy
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from markets.espn.client import EspnClient, RetryPolicy
from markets.espn.poller import GameStatePoller
from shared.errors import Rejected
from shared.messages.market_data import GameStateUpdated
from tests.support import eventually

NOW = datetime(2026, 1, 5, tzinfo=UTC)


def _event(event_id: str, home: int, away: int, state: str = "in") -> dict[str, Any]:
    return {
        "id": event_id,
        "status": {"clock": 100.0, "period": 1, "type": {"state": state, "completed": state == "post"}},
        "competitions": [
            {
                "competitors": [
                    {"homeAway": "home", "score": str(home), "team": {"id": "1", "abbreviation": f"H{event_id}"}},
                    {"homeAway": "away", "score": str(away), "team": {"id": "2", "abbreviation": f"A{event_id}"}},
                ]
            }
        ],
    }


class FakeEspn:
    """Scoreboards per league path segment that tests edit; optional failures and a hang."""

    def __init__(self) -> None:
        self.boards: dict[str, list[dict[str, Any]]] = {"nba": [], "nhl": []}
        self.fail: dict[str, int] = {}
        self.hang = asyncio.Event()
        self.hanging = False
        self.requests = 0

    async def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests += 1
        league = request.url.path.split("/")[-2]
        if self.hanging:
            await self.hang.wait()
        if league in self.fail:
            return httpx.Response(self.fail[league], json={"code": self.fail[league], "message": "scripted"})
        return httpx.Response(200, json={"events": copy.deepcopy(self.boards[league])})


@pytest.fixture
async def espn() -> AsyncIterator[tuple[FakeEspn, EspnClient]]:
    fake = FakeEspn()
    http = httpx.AsyncClient(transport=httpx.MockTransport(fake))
    yield fake, EspnClient("http://espn", http, retry=RetryPolicy(attempts=2, initial_s=0.001, max_s=0.002))
    fake.hang.set()
    await http.aclose()


def _scores(states: list[GameStateUpdated]) -> list[tuple[str, int, int]]:
    return sorted((s.game_id, s.home_score, s.away_score) for s in states)


async def test_first_round_yields_every_game_then_only_changes(espn: tuple[FakeEspn, EspnClient]) -> None:
    fake, client = espn
    fake.boards["nba"] = [_event("1", 0, 0), _event("2", 5, 3)]
    fake.boards["nhl"] = [_event("3", 1, 0)]
    poller = GameStatePoller(client, ["nba", "nhl"], interval_s=0.01, clock=lambda: NOW)
    assert _scores(await poller.poll_once()) == [("1", 0, 0), ("2", 5, 3), ("3", 1, 0)]
    assert await poller.poll_once() == []  # same content, new message ids and timestamps: not a change
    fake.boards["nba"][1] = _event("2", 7, 3)
    assert _scores(await poller.poll_once()) == [("2", 7, 3)]
    assert poller.health["nba"].last_success == NOW


async def test_a_transient_failure_keeps_previous_states_and_counts(espn: tuple[FakeEspn, EspnClient]) -> None:
    fake, client = espn
    fake.boards["nba"] = [_event("1", 0, 0)]
    fake.boards["nhl"] = [_event("3", 1, 0)]
    poller = GameStatePoller(client, ["nba", "nhl"], interval_s=0.01, clock=lambda: NOW)
    await poller.poll_once()
    fake.fail["nba"] = 503
    fake.boards["nhl"] = [_event("3", 2, 0)]
    assert _scores(await poller.poll_once()) == [("3", 2, 0)]  # the healthy league still flows
    assert poller.health["nba"].consecutive_failures == 1 and "503" in (poller.health["nba"].last_error or "")
    del fake.fail["nba"]
    assert await poller.poll_once() == []  # nba recovered with the same content: nothing new
    assert poller.health["nba"].consecutive_failures == 0


async def test_a_definitive_error_ends_the_feed(espn: tuple[FakeEspn, EspnClient]) -> None:
    fake, client = espn
    fake.fail["nhl"] = 404
    poller = GameStatePoller(client, ["nba", "nhl"], interval_s=0.01)
    with pytest.raises(Rejected):
        await poller.poll_once()


async def test_stream_yields_changes_until_stopped(espn: tuple[FakeEspn, EspnClient]) -> None:
    fake, client = espn
    fake.boards["nba"] = [_event("1", 0, 0)]
    poller = GameStatePoller(client, ["nba"], interval_s=0.01)
    stop = asyncio.Event()
    seen: list[GameStateUpdated] = []

    async def consume() -> None:
        async for state in poller.stream(stop):
            seen.append(state)

    task = asyncio.create_task(consume())
    await eventually(_home_scores_are(seen, [0]))
    fake.boards["nba"] = [_event("1", 2, 0)]
    await eventually(_home_scores_are(seen, [0, 2]))
    fake.boards["nba"] = [_event("1", 2, 0, state="post")]
    await eventually(_home_scores_are(seen, [0, 2, 2]))
    assert seen[-1].status == "post" and seen[-1].completed
    stop.set()
    await asyncio.wait_for(task, timeout=2)


def _home_scores_are(seen: list[GameStateUpdated], expected: list[int]) -> Callable[[], Awaitable[bool]]:
    async def probe() -> bool:
        return [s.home_score for s in seen] == expected

    return probe


async def test_stop_abandons_a_poll_in_flight(espn: tuple[FakeEspn, EspnClient]) -> None:
    fake, client = espn
    fake.hanging = True
    poller = GameStatePoller(client, ["nba"], interval_s=60)
    stop = asyncio.Event()
    seen: list[GameStateUpdated] = []

    async def consume() -> None:
        async for state in poller.stream(stop):
            seen.append(state)

    task = asyncio.create_task(consume())

    async def requested() -> bool:
        return fake.requests > 0

    await eventually(requested)
    stop.set()
    await asyncio.wait_for(task, timeout=2)
    assert seen == []


async def test_interval_must_be_positive(espn: tuple[FakeEspn, EspnClient]) -> None:
    with pytest.raises(ValueError, match="interval_s"):
        GameStatePoller(espn[1], ["nba"], interval_s=0)
