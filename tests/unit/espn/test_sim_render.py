"""The simulator's ESPN documents read back by the production parser give the replayed state, at every point."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from markets.espn.leagues import LEAGUES
from markets.espn.parsing import parse_event, parse_summary
from markets.espn.schemas import EspnEvent, EspnSummary
from markets.sim.espn.app import ReplayTimeline
from markets.sim.espn.render import Frame, event_json, linescores, ordinal, scoreboard_json, summary_json
from markets.sim.replay import load_replay
from markets.sim.replay_types import ReplayClock, ReplayGame, ReplayPoint
from tests.unit.espn.synthetic_winprob import write_winprob

NOW = datetime(2026, 1, 5, 1, 0, tzinfo=UTC)
SCHEDULED = datetime(2026, 1, 5, 0, 30, tzinfo=UTC)


@pytest.fixture(scope="module")
def games(tmp_path_factory: pytest.TempPathFactory) -> list[ReplayGame]:
    return load_replay(write_winprob(tmp_path_factory.mktemp("winprob")))


def _expected_period_and_half(game: ReplayGame, point: ReplayPoint) -> tuple[int, str | None]:
    phase = point.extra.get("phase")
    if game.league != "mlb" or point.status != "in":
        return point.period, None
    if phase == "mid_inning":
        return point.period, "bottom"
    if phase == "end_inning":
        return point.period + 1, "top"
    return point.period, "top"


def test_every_point_of_every_game_reads_back_as_replayed(games: list[ReplayGame]) -> None:
    checked = 0
    for game in games:
        league = LEAGUES[game.league]
        for index, point in enumerate(game.points):
            frame = Frame(game, league, index, SCHEDULED)
            state = parse_event(EspnEvent.model_validate(event_json(frame)), league, observed_at=NOW)
            period, half = _expected_period_and_half(game, point)
            where = f"{game.game_id}@{index}"
            assert (state.game_id, state.home_team, state.away_team) == (game.game_id, game.home_abbr, game.away_abbr)
            assert (state.status, state.completed) == (point.status, point.status == "post"), where
            assert (state.home_score, state.away_score) == (point.home_score, point.away_score), where
            assert (state.period, state.inning_half) == (period, half), where
            expected_clock = None if point.status == "pre" or game.league == "mlb" else point.clock_seconds
            assert state.clock_seconds == expected_clock, where
            assert state.scheduled_start == SCHEDULED
            if point.status != "post":
                assert (state.home_spread, state.home_moneyline, state.away_moneyline) == (
                    game.home_spread,
                    game.home_moneyline,
                    game.away_moneyline,
                ), where
            checked += 1
    assert checked > 50


def test_summaries_read_back_with_plays_and_win_probability(games: list[ReplayGame]) -> None:
    for game in games:
        league = LEAGUES[game.league]
        for index, point in enumerate(game.points):
            doc = summary_json(Frame(game, league, index, SCHEDULED))
            summary = parse_summary(EspnSummary.model_validate(doc), league, observed_at=NOW)
            where = f"{game.game_id}@{index}"
            assert (summary.state.status, summary.state.home_score, summary.state.away_score) == (
                point.status,
                point.home_score,
                point.away_score,
            ), where
            if game.league == "ncaab":
                plays = [p for p in game.points[1 : index + 1] if p.extra.get("phase") == "play"]
                assert summary.plays == len(plays), where
                expected = plays[-1].reference_home_prob if plays else None
                assert summary.espn_home_win_probability == expected, where
                assert all(isinstance(p["homeScore"], int) for p in doc["plays"])  # numbers in plays
            else:
                assert "plays" not in doc and summary.espn_home_win_probability is None


def test_line_scores_add_up_to_the_score(games: list[ReplayGame]) -> None:
    for game in games:
        for index, point in enumerate(game.points):
            home, away = linescores(game, index)
            assert (sum(home), sum(away)) == (point.home_score, point.away_score)


def test_scoreboard_shape_mirrors_espn(games: list[ReplayGame]) -> None:
    game = next(g for g in games if g.game_id == "nba-20141028-sanantonio-dallas")
    frame = Frame(game, LEAGUES["nba"], 3, SCHEDULED)  # halftime
    doc = scoreboard_json(LEAGUES["nba"], [frame], NOW)
    event = doc["events"][0]
    competition = event["competitions"][0]
    home, away = competition["competitors"]
    assert (home["homeAway"], away["homeAway"]) == ("home", "away")
    assert (home["score"], away["score"]) == ("45", "53")  # strings, as ESPN sends them
    assert [ls["displayValue"] for ls in home["linescores"]] == ["26", "19"]
    assert event["status"]["type"] == {
        "id": "23",
        "name": "STATUS_HALFTIME",
        "state": "in",
        "completed": False,
        "description": "Halftime",
        "detail": "Halftime",
        "shortDetail": "Halftime",
    }
    assert isinstance(event["status"]["clock"], float) and event["date"] == "2026-01-05T00:30Z"
    assert competition["odds"][0]["details"] == "SA -3.5" and competition["odds"][0]["spread"] == -3.5
    final = Frame(game, LEAGUES["nba"], len(game.points) - 1, SCHEDULED)
    assert "odds" not in scoreboard_json(LEAGUES["nba"], [final], NOW)["events"][0]["competitions"][0]


def test_pre_game_detail_is_in_eastern_time(games: list[ReplayGame]) -> None:
    game = games[0]
    doc = event_json(Frame(game, LEAGUES[game.league], 0, datetime(2026, 10, 20, 19, 0, tzinfo=UTC)))
    status_type = doc["status"]["type"]
    assert (status_type["name"], status_type["state"]) == ("STATUS_SCHEDULED", "pre")
    assert status_type["detail"] == "Tue, October 20th at 3:00 PM EDT"
    assert status_type["shortDetail"] == "10/20 - 3:00 PM EDT"


def test_ordinals() -> None:
    assert [ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22)] == [
        "1st",
        "2nd",
        "3rd",
        "4th",
        "11th",
        "12th",
        "13th",
        "21st",
        "22nd",
    ]


def test_replay_timeline_moves_pauses_and_maps_wall_time() -> None:
    wall = [1000.0]
    timeline = ReplayTimeline(start_epoch_s=1000.0, speed=10.0, wall=lambda: wall[0])
    assert timeline.now() == 0.0
    wall[0] = 1005.0
    assert timeline.now() == 50.0
    assert timeline.wall_time_of(150.0) == 1015.0
    timeline.set(t_s=500.0, paused=True)
    wall[0] = 2000.0
    assert timeline.now() == 500.0
    timeline.set(advance_s=25.0)
    assert timeline.now() == 525.0
    timeline.set(paused=False, speed=2.0)
    wall[0] = 2010.0
    assert timeline.now() == 545.0
    assert timeline.snapshot() == {"t_s": 545.0, "speed": 2.0, "paused": False}
    with pytest.raises(ValueError, match="speed"):
        timeline.set(speed=0)


def test_an_untouched_timeline_agrees_with_the_shared_replay_clock() -> None:
    wall = [0.0]
    timeline = ReplayTimeline(start_epoch_s=1_700_000_000.0, speed=30.0, wall=lambda: wall[0])
    shared = ReplayClock(start_epoch_s=1_700_000_000.0, speed=30.0)
    for moment in (1_699_999_000.0, 1_700_000_000.0, 1_700_000_123.5, 1_700_090_000.0):
        wall[0] = moment
        assert timeline.now() == shared.now(moment)


def test_before_the_start_epoch_replay_time_is_negative() -> None:
    # A replay placed in the future: games with a negative start offset have not begun yet.
    timeline = ReplayTimeline(start_epoch_s=5000.0, speed=2.0, wall=lambda: 4000.0)
    assert timeline.now() == -2000.0
    assert ReplayClock(start_epoch_s=5000.0, speed=2.0).now(4000.0) == -2000.0
