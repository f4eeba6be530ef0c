"""The production EspnClient and GameStatePoller against the ESPN simulator over real loopback HTTP."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn

from markets.espn.client import EspnClient, RetryPolicy
from markets.espn.poller import GameStatePoller
from markets.sim.espn.app import ReplayTimeline, create_app
from markets.sim.replay import load_replay
from markets.sim.replay_types import ReplayGame
from shared.errors import Rejected, Retryable
from shared.messages.market_data import GameStateUpdated
from shared.runtime.health import EmbeddedServer, wait_started
from tests.support import eventually
from tests.unit.espn.synthetic_winprob import write_winprob

NBA_GAME = "nba-20141028-sanantonio-dallas"
NCAAB_GAME = "ncaab-401000001"


@dataclass
class Sim:
    base_url: str
    games: dict[str, ReplayGame]
    control: httpx.AsyncClient

    async def at_game_time(self, game_id: str, game_t_s: float) -> None:
        """Pause the replay where ``game_id`` has run ``game_t_s`` seconds of game time."""
        t_s = max(0.0, self.games[game_id].start_offset_s + game_t_s)
        response = await self.control.post("/_sim/clock", json={"t_s": t_s, "paused": True})
        response.raise_for_status()

    async def fault(self, **fault: Any) -> None:
        (await self.control.post("/_sim/faults", json=fault)).raise_for_status()

    async def active_faults(self) -> list[dict[str, Any]]:
        return list((await self.control.get("/_sim/faults")).json())


@pytest.fixture
async def sim(tmp_path: Path) -> AsyncIterator[Sim]:
    loaded = load_replay(write_winprob(tmp_path), sports=["nba", "ncaab", "epl"], seed=0)
    # Start every game after replay time 0 so a test can show any moment of it (replay time is never < 0).
    games = [dataclasses.replace(g, start_offset_s=1000.0 + 10_000.0 * i) for i, g in enumerate(loaded)]
    timeline = ReplayTimeline(time.time(), speed=1.0)
    timeline.set(paused=True)
    config = uvicorn.Config(create_app(games, timeline), host="127.0.0.1", port=0, log_level="warning", lifespan="off")
    server = EmbeddedServer(config)
    task = asyncio.create_task(server.serve())
    await wait_started(server, task)
    base_url = f"http://127.0.0.1:{server.bound_port}"
    async with httpx.AsyncClient(base_url=base_url) as control:
        yield Sim(base_url, {g.game_id: g for g in games}, control)
    server.should_exit = True
    with contextlib.suppress(asyncio.CancelledError):
        await asyncio.wait_for(task, timeout=5)


@pytest.fixture
async def client(sim: Sim) -> AsyncIterator[EspnClient]:
    async with EspnClient(sim.base_url, retry=RetryPolicy(attempts=4, initial_s=0.01, max_s=0.05)) as espn:
        yield espn


async def _nba_state(client: EspnClient) -> GameStateUpdated:
    return next(s for s in await client.scoreboard("nba") if s.game_id == NBA_GAME)


async def test_scores_advance_as_the_replay_clock_advances(sim: Sim, client: EspnClient) -> None:
    await sim.at_game_time(NBA_GAME, -60)
    pre = await _nba_state(client)
    assert (pre.status, pre.period, pre.home_score, pre.away_score, pre.clock_seconds) == ("pre", 0, 0, 0, None)
    assert (pre.home_team, pre.away_team, pre.home_spread, pre.home_moneyline) == ("SA", "DAL", 3.5, -165)
    seen = []
    for game_t, expected in (
        (100, ("in", 1, 720.0, 0, 0)),
        (800, ("in", 1, 0.0, 26, 24)),
        (1500, ("in", 2, 0.0, 45, 53)),
        (2200, ("in", 3, 0.0, 76, 73)),
    ):
        await sim.at_game_time(NBA_GAME, game_t)
        state = await _nba_state(client)
        seen.append((state.status, state.period, state.clock_seconds, state.home_score, state.away_score))
        assert seen[-1] == expected


async def test_a_final_game_is_post_and_completed(sim: Sim, client: EspnClient) -> None:
    await sim.at_game_time(NBA_GAME, 10_000)
    state = await _nba_state(client)
    assert (state.status, state.completed, state.period, state.home_score, state.away_score) == (
        "post",
        True,
        4,
        101,
        100,
    )
    assert state.home_spread is None  # ESPN drops the odds once a game is over
    summary = await client.summary("nba", NBA_GAME)
    assert (summary.state.status, summary.state.completed, summary.state.home_score) == ("post", True, 101)


async def test_play_by_play_summary_grows_with_the_replay(sim: Sim, client: EspnClient) -> None:
    await sim.at_game_time(NCAAB_GAME, 1200)
    half = await client.summary("ncaab", NCAAB_GAME)
    assert (half.state.period, half.state.home_score, half.state.away_score, half.plays) == (1, 30, 28, 3)
    assert half.espn_home_win_probability == 0.85
    await sim.at_game_time(NCAAB_GAME, 3000)
    final = await client.summary("ncaab", NCAAB_GAME)
    assert (final.state.status, final.state.home_score, final.plays) == ("post", 70, 5)


@pytest.mark.parametrize("status", [500, 503])
async def test_injected_server_errors_are_retried(sim: Sim, client: EspnClient, status: int) -> None:
    await sim.at_game_time(NBA_GAME, 800)
    await sim.fault(kind="http_status", status=status, path="/scoreboard", count=2)
    state = await _nba_state(client)
    assert (state.home_score, state.away_score) == (26, 24)
    assert await sim.active_faults() == []  # both injected answers were consumed by the retries


async def test_a_persistent_fault_surfaces_as_retryable(sim: Sim, client: EspnClient) -> None:
    await sim.fault(kind="http_status", status=503, path="/summary", count=None)
    with pytest.raises(Retryable) as info:
        await client.summary("nba", NBA_GAME)
    assert (info.value.status, info.value.venue) == (503, "espn")
    assert (await sim.active_faults())[0]["applied"] == 4  # every attempt reached the simulator
    await sim.control.delete("/_sim/faults")
    assert (await client.summary("nba", NBA_GAME)).state.game_id == NBA_GAME


async def test_unknown_event_and_league_are_rejected(sim: Sim, client: EspnClient) -> None:
    with pytest.raises(Rejected) as info:
        await client.summary("nba", "no-such-event")
    assert info.value.status == 404
    assert await client.scoreboard("nhl") == []  # a known league with no replayed games: an empty day
    response = await sim.control.get("/apis/site/v2/sports/curling/world/scoreboard")
    assert response.status_code == 404 and response.json()["code"] == 404


async def test_dates_select_the_eastern_day_of_the_start(sim: Sim, client: EspnClient) -> None:
    await sim.at_game_time(NBA_GAME, 0)
    start = (await _nba_state(client)).scheduled_start
    assert start is not None
    from zoneinfo import ZoneInfo

    day = start.astimezone(ZoneInfo("America/New_York")).date()
    assert NBA_GAME in {s.game_id for s in await client.scoreboard("nba", day)}
    assert await client.scoreboard("nba", datetime(2001, 1, 1, tzinfo=UTC).date()) == []


async def test_the_poller_follows_the_replay_to_the_final(sim: Sim, client: EspnClient) -> None:
    await sim.at_game_time(NBA_GAME, -30)
    poller = GameStatePoller(client, ["nba", "epl"], interval_s=0.02)
    stop = asyncio.Event()
    seen: list[GameStateUpdated] = []

    async def consume() -> None:
        async for state in poller.stream(stop):
            if state.game_id == NBA_GAME:
                seen.append(state)

    task = asyncio.create_task(consume())
    try:
        for game_t, score in ((-30, (0, 0)), (800, (26, 24)), (1500, (45, 53)), (3000, (101, 100))):
            await sim.at_game_time(NBA_GAME, game_t)
            await eventually(_last_score_is(seen, score))
        assert [s.status for s in seen] == ["pre", "in", "in", "post"]  # one message per change, none repeated
        assert seen[-1].completed
    finally:
        stop.set()
        await asyncio.wait_for(task, timeout=5)


def _last_score_is(seen: list[GameStateUpdated], score: tuple[int, int]) -> Callable[[], Awaitable[bool]]:
    async def probe() -> bool:
        return bool(seen) and (seen[-1].home_score, seen[-1].away_score) == score

    return probe


async def test_control_lists_games_with_their_current_state(sim: Sim) -> None:
    await sim.at_game_time(NBA_GAME, 1500)
    listed = {g["game_id"]: g for g in (await sim.control.get("/_sim/games")).json()}
    assert set(listed) == set(sim.games)
    nba = listed[NBA_GAME]
    assert (nba["status"], nba["home_score"], nba["away_score"], nba["path"]) == (
        "in",
        45,
        53,
        "/apis/site/v2/sports/basketball/nba",
    )
    assert nba["reference_home_prob"] == sim.games[NBA_GAME].points[3].reference_home_prob
    clock = (await sim.control.get("/_sim/clock")).json()
    assert clock["paused"] is True
