"""EspnClient against a scripted transport: URLs, retries with back-off, and the error taxonomy."""

from __future__ import annotations

import copy
import time
from collections.abc import AsyncIterator, Callable
from datetime import UTC, date, datetime
from typing import Any

import httpx
import pytest

from markets.espn.client import EspnClient, RetryPolicy, format_dates
from shared.errors import Fatal, Rejected, Retryable

NOW = datetime(2026, 1, 5, tzinfo=UTC)
FAST = RetryPolicy(attempts=3, initial_s=0.001, max_s=0.01)
BOARD: dict[str, Any] = {
    "events": [
        {
            "id": "9",
            "status": {"clock": 300.0, "period": 2, "type": {"state": "in", "completed": False}},
            "competitions": [
                {
                    "competitors": [
                        {"homeAway": "home", "score": "50", "team": {"id": "1", "abbreviation": "DUKE"}},
                        {"homeAway": "away", "score": "48", "team": {"id": "2", "abbreviation": "UNC"}},
                    ]
                }
            ],
        }
    ]
}


class Scripted:
    """A mock transport answering from a script (the last entry repeats) and recording requests."""

    def __init__(self, *script: httpx.Response | Exception) -> None:
        self.script = list(script)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        answer = self.script.pop(0) if len(self.script) > 1 else self.script[0]
        if isinstance(answer, Exception):
            raise answer
        return answer


@pytest.fixture
async def make_client() -> AsyncIterator[Callable[[Scripted], EspnClient]]:
    opened: list[httpx.AsyncClient] = []

    def make(transport: Scripted, retry: RetryPolicy = FAST) -> EspnClient:
        http = httpx.AsyncClient(transport=httpx.MockTransport(transport))
        opened.append(http)
        return EspnClient("https://site.api.espn.com/", http, retry=retry, clock=lambda: NOW)

    yield make
    for http in opened:
        await http.aclose()


async def test_scoreboard_url_carries_league_params_and_dates(make_client: Callable[[Scripted], EspnClient]) -> None:
    transport = Scripted(httpx.Response(200, json=BOARD))
    (state,) = await make_client(transport).scoreboard("ncaab", date(2026, 1, 4))
    url = transport.requests[0].url
    assert url.path == "/apis/site/v2/sports/basketball/mens-college-basketball/scoreboard"
    assert dict(url.params) == {"groups": "50", "limit": "400", "dates": "20260104"}
    assert (state.game_id, state.home_team, state.home_score, state.away_score) == ("9", "DUKE", 50, 48)
    assert (state.sport, state.league, state.ts_event) == ("ncaab", "ncaab", NOW)


async def test_summary_url(make_client: Callable[[Scripted], EspnClient]) -> None:
    event = copy.deepcopy(BOARD["events"][0])
    event["competitions"][0]["status"] = event["status"]
    header = {"header": {"id": "9", "competitions": event["competitions"]}}
    transport = Scripted(httpx.Response(200, json=header))
    summary = await make_client(transport).summary("nhl", "9")
    assert transport.requests[0].url.path == "/apis/site/v2/sports/hockey/nhl/summary"
    assert dict(transport.requests[0].url.params) == {"event": "9"}
    assert summary.state.league == "nhl" and summary.state.home_score == 50


def test_format_dates() -> None:
    assert format_dates(date(2026, 3, 1)) == "20260301"
    assert format_dates((date(2026, 3, 1), date(2026, 3, 7))) == "20260301-20260307"
    assert format_dates("20260301") == "20260301"


@pytest.mark.parametrize(
    "failure",
    [
        httpx.Response(503, json={"code": 503, "message": "Service Unavailable"}),
        httpx.Response(500, text="oops"),
        httpx.ConnectError("refused"),
        httpx.ReadTimeout("slow"),
        httpx.Response(200, text="<html>cut"),
    ],
)
async def test_transient_failures_are_retried_then_succeed(
    make_client: Callable[[Scripted], EspnClient], failure: httpx.Response | Exception
) -> None:
    transport = Scripted(failure, failure, httpx.Response(200, json=BOARD))
    states = await make_client(transport).scoreboard("nba")
    assert len(states) == 1 and len(transport.requests) == 3


async def test_a_persistent_5xx_surfaces_as_retryable_after_the_attempts(
    make_client: Callable[[Scripted], EspnClient],
) -> None:
    transport = Scripted(httpx.Response(503, json={"code": 503, "message": "Service Unavailable"}))
    with pytest.raises(Retryable) as info:
        await make_client(transport).scoreboard("nba")
    assert (info.value.venue, info.value.status, info.value.code) == ("espn", 503, "server_error")
    assert "Service Unavailable" in str(info.value)
    assert len(transport.requests) == FAST.attempts


@pytest.mark.parametrize(("status", "code"), [(404, "not_found"), (400, "bad_request"), (403, "bad_request")])
async def test_client_errors_are_rejected_without_retry(
    make_client: Callable[[Scripted], EspnClient], status: int, code: str
) -> None:
    transport = Scripted(httpx.Response(status, json={"code": status, "message": "nope"}))
    with pytest.raises(Rejected) as info:
        await make_client(transport).summary("nba", "1")
    assert (info.value.status, info.value.code) == (status, code)
    assert len(transport.requests) == 1


async def test_json_of_the_wrong_shape_is_fatal(make_client: Callable[[Scripted], EspnClient]) -> None:
    transport = Scripted(httpx.Response(200, json={"events": "not a list"}))
    with pytest.raises(Fatal) as info:
        await make_client(transport).scoreboard("nba")
    assert info.value.code == "schema" and len(transport.requests) == 1


async def test_429_waits_for_retry_after(make_client: Callable[..., EspnClient]) -> None:
    transport = Scripted(
        httpx.Response(429, headers={"Retry-After": "0.2"}, json={"message": "slow down"}),
        httpx.Response(200, json=BOARD),
    )
    client = make_client(transport, RetryPolicy(attempts=2, initial_s=0.001, max_s=1.0))
    started = time.monotonic()
    await client.scoreboard("nba")
    assert time.monotonic() - started >= 0.2
    assert len(transport.requests) == 2


async def test_retry_after_is_capped_by_the_policy(make_client: Callable[..., EspnClient]) -> None:
    transport = Scripted(httpx.Response(429, headers={"Retry-After": "3600"}), httpx.Response(200, json=BOARD))
    client = make_client(transport, RetryPolicy(attempts=2, initial_s=0.001, max_s=0.05))
    started = time.monotonic()
    await client.scoreboard("nba")
    assert time.monotonic() - started < 1.0


async def test_owned_http_client_is_closed() -> None:
    client = EspnClient("http://127.0.0.1:9")
    async with client:
        pass
    assert client._http.is_closed


async def test_unknown_league_key_is_a_key_error(make_client: Callable[[Scripted], EspnClient]) -> None:
    with pytest.raises(KeyError, match="unknown league"):
        await make_client(Scripted(httpx.Response(200, json=BOARD))).scoreboard("curling")
