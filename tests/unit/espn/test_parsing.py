"""Parsing ESPN events into game states: the in-play cases the recorded samples do not cover.

Football ``situation`` follows the third-party shape in shared/docs/venues.md §3.2 (no real in-play capture
exists); the newer odds layout follows third-party recordings of 2025-26 scoreboards.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from markets.espn.leagues import LEAGUES
from markets.espn.parsing import (
    EspnParseError,
    parse_event,
    parse_moneyline,
    parse_score,
    parse_scoreboard,
)
from markets.espn.schemas import EspnEvent, EspnScoreboard
from shared.messages.market_data import GameStateUpdated

NOW = datetime(2026, 1, 5, 1, 0, tzinfo=UTC)


def _event(
    *,
    state: str = "in",
    home_score: Any = "21",
    away_score: Any = "17",
    period: int = 3,
    clock: float = 402.0,
    detail: str = "6:42 - 3rd Quarter",
    short: str = "6:42 - 3rd",
    completed: bool = False,
    **competition: Any,
) -> dict[str, Any]:
    status_type = {"id": "2", "name": "STATUS_IN_PROGRESS", "state": state, "completed": completed}
    status_type.update(detail=detail, shortDetail=short)
    status = {"clock": clock, "displayClock": "6:42", "period": period, "type": status_type}
    return {
        "id": "401",
        "date": "2026-01-05T01:00Z",
        "status": status,
        "competitions": [
            {
                "id": "401",
                "status": status,
                "competitors": [
                    {"id": "12", "homeAway": "away", "score": away_score, "team": {"id": "12", "abbreviation": "KC"}},
                    {"id": "24", "homeAway": "home", "score": home_score, "team": {"id": "24", "abbreviation": "LAC"}},
                ],
                **competition,
            }
        ],
    }


def _parse(event: dict[str, Any], league: str = "nfl") -> GameStateUpdated:
    return parse_event(EspnEvent.model_validate(event), LEAGUES[league], observed_at=NOW)


def test_football_situation_gives_possession_down_distance_and_yards_to_goal() -> None:
    situation = {
        "down": 3,
        "distance": 7,
        "yardLine": 67,
        "possession": "24",
        "possessionText": "LAC 33",
        "downDistanceText": "3rd & 7 at LAC 33",
        "homeTimeouts": 2,
        "awayTimeouts": 3,
    }
    state = _parse(_event(situation=situation))
    assert (state.possession, state.down, state.distance, state.yards_to_goal) == ("home", 3, 7, 67)
    assert (state.home_timeouts, state.away_timeouts) == (2, 3)
    assert (state.home_score, state.away_score, state.period, state.clock_seconds) == (21, 17, 3, 402.0)


def test_yards_to_goal_in_the_opponents_half_and_at_midfield() -> None:
    opponent_half = {"down": 1, "distance": 10, "possession": "12", "possessionText": "LAC 18"}
    assert _parse(_event(situation=opponent_half)).yards_to_goal == 18
    assert _parse(_event(situation=opponent_half)).possession == "away"
    midfield = {"down": 2, "distance": 4, "possession": "12", "possessionText": "50"}
    assert _parse(_event(situation=midfield)).yards_to_goal == 50
    from_text = {"down": 1, "distance": 10, "possession": "12", "downDistanceText": "1st & 10 at KC 25"}
    assert _parse(_event(situation=from_text)).yards_to_goal == 75


def test_yards_to_goal_falls_back_to_the_last_play_and_bad_downs_are_dropped() -> None:
    situation = {"down": -1, "distance": 0, "possession": "24", "lastPlay": {"end": {"yardsToEndzone": 65}}}
    state = _parse(_event(situation=situation))
    assert (state.down, state.distance, state.yards_to_goal) == (None, 0, 65)


def test_situation_is_ignored_outside_play() -> None:
    situation = {"down": 3, "distance": 7, "possession": "24", "possessionText": "LAC 33"}
    state = _parse(_event(state="post", completed=True, situation=situation))
    assert (state.possession, state.down, state.yards_to_goal) == (None, None, None)


@pytest.mark.parametrize(
    ("short", "period", "expected"),
    [
        ("Top 5th", 5, (5, "top", 1, 0b101)),
        ("Bot 5th", 5, (5, "bottom", 1, 0b101)),
        ("Mid 5th", 5, (5, "bottom", 0, 0)),
        ("End 5th", 5, (6, "top", 0, 0)),
    ],
)
def test_baseball_half_inning_outs_and_bases(short: str, period: int, expected: tuple[int, str, int, int]) -> None:
    situation = {"outs": 1, "onFirst": True, "onSecond": False, "onThird": True, "balls": 2, "strikes": 1}
    state = _parse(_event(period=period, clock=0.0, detail=short, short=short, situation=situation), "mlb")
    assert (state.period, state.inning_half, state.outs, state.bases) == expected
    assert state.clock_seconds is None  # baseball has no clock


def test_odds_entry_of_the_preferred_provider_and_null_entries() -> None:
    odds = [
        None,
        {"provider": {"id": "2", "priority": 2}, "spread": -9.0, "homeTeamOdds": {"moneyLine": -500}},
        {
            "provider": {"id": "100", "name": "DraftKings", "priority": 1},
            "details": "KC -3.5",
            "spread": 3.5,
            "homeTeamOdds": {"moneyLine": 150},
            "awayTeamOdds": {"moneyLine": -180},
        },
    ]
    state = _parse(_event(state="pre", home_score="0", away_score="0", period=0, clock=0.0, odds=odds))
    assert (state.home_spread, state.home_moneyline, state.away_moneyline) == (-3.5, 150, -180)
    assert state.clock_seconds is None


def test_newer_odds_layout_with_string_prices() -> None:
    odds = [
        {
            "provider": {"name": "ESPN BET", "priority": 1},
            "moneyline": {
                "home": {"open": {"odds": "-140"}, "close": {"odds": "-155"}},
                "away": {"close": {"odds": "+135"}},
                "draw": {"close": {"odds": "EVEN"}},
            },
            "pointSpread": {"home": {"close": {"line": "-1.5", "odds": "+125"}}},
        }
    ]
    state = _parse(_event(odds=odds), "epl")
    assert (state.home_moneyline, state.away_moneyline, state.draw_moneyline, state.home_spread) == (
        -155,
        135,
        100,
        1.5,
    )
    pulled = [{"pointSpread": {"home": {"close": {"line": "OFF"}}}, "moneyline": {"home": {"close": {"odds": "OFF"}}}}]
    off = _parse(_event(odds=pulled))
    assert (off.home_spread, off.home_moneyline) == (None, None)


def test_bad_events_are_rejected_but_the_rest_of_the_scoreboard_is_kept() -> None:
    good = _event()
    unknown_state = _event(state="delayed") | {"id": "402"}
    two_homes = _event() | {"id": "403"}
    two_homes["competitions"][0]["competitors"][0]["homeAway"] = "home"
    bad_score = _event(home_score="twenty") | {"id": "404"}
    missing_score = _event(home_score=None) | {"id": "405"}
    no_competition = {"id": "406", "competitions": []}
    empty_id = _event() | {"id": ""}  # passes the wire model, refused by the message contract
    events = [good, unknown_state, two_homes, bad_score, missing_score, no_competition, empty_id]
    board = EspnScoreboard.model_validate({"events": events})
    parsed = parse_scoreboard(board, LEAGUES["nfl"], observed_at=NOW)
    assert [s.game_id for s in parsed.states] == ["401"]
    assert [event_id for event_id, _ in parsed.rejected] == ["402", "403", "404", "405", "406", ""]
    assert "delayed" in parsed.rejected[0][1]


def test_missing_score_before_the_game_is_zero() -> None:
    state = _parse(_event(state="pre", home_score=None, away_score="", period=0))
    assert (state.home_score, state.away_score) == (0, 0)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("34", 34),
        (" 7 ", 7),
        (34, 34),
        (34.0, 34),
        ("12.0", 12),
        ({"value": 3.0, "displayValue": "3"}, 3),
        (None, None),
    ],
)
def test_parse_score(raw: object, expected: int | None) -> None:
    assert parse_score(raw) == expected


@pytest.mark.parametrize("raw", ["-1", "1.5", "abc", True, "nan", [3]])
def test_parse_score_refuses_non_scores(raw: object) -> None:
    with pytest.raises(EspnParseError):
        parse_score(raw)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [(-230, -230), (750.0, 750), ("+150", 150), ("-155", -155), ("EVEN", 100), ("OFF", None), (50, None), (None, None)],
)
def test_parse_moneyline(raw: object, expected: int | None) -> None:
    assert parse_moneyline(raw) == expected


@given(home=st.integers(0, 500), away=st.integers(0, 500), home_first=st.booleans())
def test_scores_and_sides_survive_any_order_and_type(home: int, away: int, home_first: bool) -> None:
    event = _event(home_score=str(home), away_score=away)
    if home_first:
        event["competitions"][0]["competitors"].reverse()
    state = _parse(event)
    assert (state.home_team, state.away_team, state.home_score, state.away_score) == ("LAC", "KC", home, away)
