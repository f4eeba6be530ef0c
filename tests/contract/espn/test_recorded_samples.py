"""Every recorded ESPN sample, served to the production client through a mock transport and parsed.

Samples and their provenance: resources/PROVENANCE.md.
"""

from __future__ import annotations

import copy
import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from types import MappingProxyType
from typing import Any

import httpx
import pytest

from markets.espn.client import EspnClient
from markets.espn.leagues import LEAGUES, League
from markets.espn.parsing import EspnParseError, parse_scoreboard, parse_summary
from markets.espn.schemas import EspnScoreboard, EspnSummary
from shared.errors import Fatal
from shared.messages.market_data import GameStateUpdated

RESOURCES = Path(__file__).parent / "resources"
OBSERVED = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
WORLD_CUP = League("wc", "soccer", "soccer", "fifa.world", MappingProxyType({}))
LALIGA = League("laliga", "soccer", "soccer", "esp.1", MappingProxyType({}))

SCOREBOARDS: dict[str, League] = {
    "sportsdataverse/scoreboard_nfl_2025wk6_first_event_excerpt.json": LEAGUES["nfl"],
    "wc2026-tracker/scoreboard_soccer_fifa.world_2026-06-12.json": WORLD_CUP,
    "world-cup-tui/scoreboard_soccer_fifa.world.json": WORLD_CUP,
    "webscraping-experimentation/scoreboard_soccer_finished.json": LEAGUES["epl"],
    "webscraping-experimentation/scoreboard_soccer_live.json": LEAGUES["epl"],
    "webscraping-experimentation/scoreboard_soccer_scheduled.json": LALIGA,
    "wnba-analytics-engine/espn_scoreboard.json": LEAGUES["wnba"],
    "wnba-analytics-engine/espn_scoreboard_nba.json": LEAGUES["nba"],
    "wnba-analytics-engine/espn_scoreboard_wnba_min_lynx.json": LEAGUES["wnba"],
}
SUMMARIES: dict[str, tuple[League, str]] = {
    "world-cup-tui/summary_soccer_fifa.world_event760415.json": (WORLD_CUP, "760415"),
    "wnba-analytics-engine/espn_summary_with_game_info.json": (LEAGUES["wnba"], "401736393"),
}
TRIMMED_SUMMARY = "wnba-analytics-engine/espn_summary.json"  # header.id + boxscore only


def _load(name: str) -> Any:
    return json.loads((RESOURCES / name).read_text(encoding="utf-8"))


_OPEN: list[httpx.AsyncClient] = []


@pytest.fixture(autouse=True)
async def _close_clients() -> AsyncIterator[None]:
    yield
    while _OPEN:
        await _OPEN.pop().aclose()


def _serving(name: str) -> EspnClient:
    """A production client whose every request is answered with the recorded sample ``name``."""
    body = (RESOURCES / name).read_bytes()

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=body, headers={"content-type": "application/json"})

    http = httpx.AsyncClient(transport=httpx.MockTransport(handler))
    _OPEN.append(http)
    return EspnClient("https://site.api.espn.com", http, clock=lambda: OBSERVED)


def _by_id(states: list[GameStateUpdated]) -> dict[str, GameStateUpdated]:
    return {s.game_id: s for s in states}


def test_every_sample_is_listed() -> None:
    on_disk = {str(p.relative_to(RESOURCES)) for p in RESOURCES.rglob("*.json")}
    assert on_disk == set(SCOREBOARDS) | set(SUMMARIES) | {TRIMMED_SUMMARY}


@pytest.mark.parametrize("name", sorted(SCOREBOARDS))
async def test_every_scoreboard_sample_parses_through_the_client_without_rejects(name: str) -> None:
    league = SCOREBOARDS[name]
    client = _serving(name)
    parsed = await client.scoreboard_parsed(league)
    assert parsed.rejected == ()
    assert [s.game_id for s in parsed.states] == [e["id"] for e in _load(name)["events"]]
    for state in parsed.states:
        assert state.league == league.key and state.sport == league.sport and state.ts_event == OBSERVED


@pytest.mark.parametrize("name", sorted(SUMMARIES))
async def test_every_summary_sample_parses_through_the_client(name: str) -> None:
    league, event_id = SUMMARIES[name]
    summary = await _serving(name).summary(league, event_id)
    assert summary.state.game_id == event_id and summary.state.status == "post" and summary.state.completed


async def test_the_trimmed_summary_is_a_schema_error_not_a_crash() -> None:
    raw = EspnSummary.model_validate(_load(TRIMMED_SUMMARY))
    assert raw.header.id == "401736228" and "boxscore" in (raw.model_extra or {})
    with pytest.raises(EspnParseError, match="no competition"):
        parse_summary(raw, LEAGUES["wnba"], observed_at=OBSERVED)
    with pytest.raises(Fatal) as info:
        await _serving(TRIMMED_SUMMARY).summary("wnba", "401736228")
    assert info.value.venue == "espn" and info.value.code == "schema"


async def test_nfl_final_scores_are_strings_parsed_exactly() -> None:
    (state,) = await _serving("sportsdataverse/scoreboard_nfl_2025wk6_first_event_excerpt.json").scoreboard("nfl")
    assert (state.game_id, state.home_team, state.away_team) == ("401772940", "NYG", "PHI")
    assert (state.home_score, state.away_score) == (34, 17)
    assert (state.status, state.completed, state.period, state.clock_seconds) == ("post", True, 4, 0.0)
    assert state.scheduled_start == datetime(2025, 10, 10, 0, 15, tzinfo=UTC)
    assert state.possession is None and state.down is None  # no situation after the game


async def test_competitors_are_chosen_by_home_away_not_by_order() -> None:
    name = "sportsdataverse/scoreboard_nfl_2025wk6_first_event_excerpt.json"
    original = _load(name)
    swapped = copy.deepcopy(original)
    competitors = swapped["events"][0]["competitions"][0]["competitors"]
    competitors.reverse()
    assert competitors[0]["homeAway"] == "away"  # the variant really lists the visitor first
    league = LEAGUES["nfl"]
    as_recorded = parse_scoreboard(EspnScoreboard.model_validate(original), league, observed_at=OBSERVED)
    reversed_ = parse_scoreboard(EspnScoreboard.model_validate(swapped), league, observed_at=OBSERVED)
    keep = {"message_id", "correlation_id", "ts_init"}
    assert [s.model_dump(exclude=keep) for s in reversed_.states] == [
        s.model_dump(exclude=keep) for s in as_recorded.states
    ]


async def test_a_postponed_game_is_post_but_not_completed() -> None:
    states = _by_id(await _serving("webscraping-experimentation/scoreboard_soccer_finished.json").scoreboard("epl"))
    postponed = states["740902"]
    assert (postponed.status, postponed.completed) == ("post", False)
    assert (postponed.period, postponed.clock_seconds, postponed.home_score, postponed.away_score) == (0, None, 0, 0)
    assert (postponed.home_team, postponed.away_team) == ("MNC", "CRY")
    finished = states["740898"]
    assert (finished.status, finished.completed, finished.clock_seconds) == ("post", True, 5400.0)
    assert (finished.home_score, finished.away_score) == (2, 1)


async def test_null_odds_are_no_odds() -> None:
    name = "world-cup-tui/scoreboard_soccer_fifa.world.json"
    raw = EspnScoreboard.model_validate(_load(name))
    assert raw.events[0].competitions[0].odds == [None]
    for state in await _serving(name).scoreboard(WORLD_CUP):
        assert (state.home_spread, state.home_moneyline, state.away_moneyline, state.draw_moneyline) == (
            None,
            None,
            None,
            None,
        )


async def test_red_cards_are_counted_per_side() -> None:
    states = _by_id(await _serving("webscraping-experimentation/scoreboard_soccer_finished.json").scoreboard("epl"))
    assert (states["740905"].home_red_cards, states["740905"].away_red_cards) == (0, 1)
    assert (states["740898"].home_red_cards, states["740898"].away_red_cards) == (0, 0)


async def test_scheduled_games_are_pre_with_no_clock() -> None:
    scheduled = await _serving("webscraping-experimentation/scoreboard_soccer_scheduled.json").scoreboard(LALIGA)
    assert {(s.status, s.completed, s.period, s.clock_seconds) for s in scheduled} == {("pre", False, 0, None)}
    (nba,) = await _serving("wnba-analytics-engine/espn_scoreboard_nba.json").scoreboard("nba")
    assert (nba.game_id, nba.home_team, nba.away_team, nba.status, nba.clock_seconds) == (
        "401909088",
        "DET",
        "BOS",
        "pre",
        None,
    )
    assert nba.scheduled_start == datetime(2026, 10, 20, 19, 0, tzinfo=UTC)


async def test_soccer_summary_reads_pickcenter_odds_and_cards_from_the_header() -> None:
    summary = await _serving("world-cup-tui/summary_soccer_fifa.world_event760415.json").summary(WORLD_CUP, "760415")
    state = summary.state
    assert (state.home_team, state.away_team, state.home_score, state.away_score) == ("MEX", "RSA", 2, 0)
    assert state.period == 2  # final headers omit period: counted from the line score
    assert state.clock_seconds is None
    # "MEX -1.5" with MEX at home: spread -1.5 is the home line, so MEX is expected to win by 1.5.
    assert state.home_spread == 1.5
    assert (state.home_moneyline, state.away_moneyline, state.draw_moneyline) == (-230, 750, 330)
    assert (state.home_red_cards, state.away_red_cards) == (1, 2)
    assert summary.espn_home_win_probability is None and summary.plays == 0


async def test_wnba_summary_header_without_clock() -> None:
    summary = await _serving("wnba-analytics-engine/espn_summary_with_game_info.json").summary("wnba", "401736393")
    state = summary.state
    assert (state.home_team, state.away_team, state.home_score, state.away_score) == ("CON", "ATL", 72, 88)
    assert (state.period, state.clock_seconds, state.completed) == (4, None, True)


def test_unknown_fields_are_kept_for_raw_access() -> None:
    raw = EspnScoreboard.model_validate(_load("sportsdataverse/scoreboard_nfl_2025wk6_first_event_excerpt.json"))
    assert {"leagues", "season", "week"} <= set(raw.model_extra or {})
    competition = raw.events[0].competitions[0]
    assert (competition.model_extra or {})["attendance"] == _load(
        "sportsdataverse/scoreboard_nfl_2025wk6_first_event_excerpt.json"
    )["events"][0]["competitions"][0]["attendance"]
