"""The replay loader on a synthetic copy of every winprob folder (exact layouts, made-up values)."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import pytest

from markets.espn.leagues import LEAGUES
from markets.espn.parsing import parse_event
from markets.espn.schemas import EspnEvent
from markets.sim.espn.render import Frame, event_json
from markets.sim.replay import (
    CLOCKS,
    abbreviation,
    american_from_decimal,
    display_name,
    load_replay,
    mu_from_prior,
    reference_probability,
    start_offset_s,
)
from markets.sim.replay_types import ReplayGame
from tests.unit.espn.synthetic_winprob import write_winprob


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_winprob(tmp_path_factory.mktemp("winprob"))


@pytest.fixture(scope="module")
def games(data_dir: Path) -> dict[str, ReplayGame]:
    return {g.game_id: g for g in load_replay(data_dir)}


def _timeline(game: ReplayGame) -> list[tuple[float, str, int, int, int]]:
    return [(p.t_s, p.status, p.period, p.home_score, p.away_score) for p in game.points]


def test_every_folder_is_read_and_bad_rows_are_skipped(games: dict[str, ReplayGame]) -> None:
    assert sorted(games) == [
        "epl-20000819-charlton-mancity",
        "epl-20220522-liverpool-wolves",
        "mlb-20190321-oak-sea-0",
        "mlb-20190328-cin-pit-0",
        "nba-20141028-sanantonio-dallas",
        "nba-20141029-charlotte-milwaukee",
        "nba-20141030-laclippers-lalakers",
        "ncaab-401000001",
        "ncaab-401000002",
        "nfl-20110908-packers-saints",
        "nfl-20110918-ravens-titans",
        "nhl-20130119-nashville-columbus",
        "nhl-20130119-philadelphia-pittsburgh",
        "nhl-20140409-dallas-columbus",
    ]  # skipped: truncated ncaab log, nfl team "0", epl FT below HT, mlb line not adding up


def test_every_game_starts_pre_then_in_and_ends_post_with_an_exact_reference(games: dict[str, ReplayGame]) -> None:
    for game in games.values():
        first, start, last = game.points[0], game.points[1], game.points[-1]
        assert (first.t_s, first.status, start.t_s, start.status) == (0.0, "pre", 0.0, "in"), game.game_id
        assert last.status == "post" and last.extra["phase"] == "final", game.game_id
        times = [p.t_s for p in game.points]
        assert times == sorted(times), game.game_id
        expected = {True: 1.0, False: 0.0, None: 0.5}[game.home_won]
        assert last.reference_home_prob == expected, game.game_id
        assert all(0.0 < p.reference_home_prob < 1.0 for p in game.points[:-1]), game.game_id


def test_before_its_start_a_game_is_pre_and_after_its_end_it_is_final(games: dict[str, ReplayGame]) -> None:
    game = games["nba-20141028-sanantonio-dallas"]
    assert game.at(game.start_offset_s - 1).status == "pre"
    assert game.at(game.start_offset_s).status == "in"
    assert game.at(game.start_offset_s + 10_000).status == "post"


def test_ncaab_plays_follow_the_recorded_clock_and_win_probability(games: dict[str, ReplayGame]) -> None:
    game = games["ncaab-401000001"]
    assert (game.home_team, game.away_team, game.home_spread, game.home_won) == ("Illinois", "Evansville", 16.0, True)
    plays = [p for p in game.points if p.extra.get("phase") == "play"]
    assert [(p.t_s, p.period, p.clock_seconds) for p in plays] == [
        (0.0, 1, 1200.0),
        (11.0, 1, 1189.0),  # the duplicated row is kept once
        (1200.0, 1, 0.0),
        (1800.0, 2, 600.0),
        (2400.0, 2, 0.0),
    ]
    assert [p.reference_home_prob for p in plays] == [0.9116, 0.913, 0.85, 0.88, 0.88]  # empty win_prob carried
    assert plays[3].extra["home_timeouts"] == 2 and plays[3].extra["away_timeouts"] == 3
    assert _timeline(game)[-1] == (2400.0, "post", 2, 70, 60)


def test_ncaab_overtime_runs_on_after_regulation(games: dict[str, ReplayGame]) -> None:
    game = games["ncaab-401000002"]
    assert game.home_spread is None and game.home_won is False
    overtime = [(p.t_s, p.period, p.clock_seconds) for p in game.points if p.period == 3]
    assert overtime == [(2400.0, 3, 300.0), (2580.0, 3, 120.0), (2700.0, 3, 0.0), (2700.0, 3, 0.0)]
    assert _timeline(game)[-1] == (2700.0, "post", 3, 80, 82)


def test_nba_checkpoints_carry_cumulative_quarter_scores(games: dict[str, ReplayGame]) -> None:
    game = games["nba-20141028-sanantonio-dallas"]
    assert (game.home_team, game.away_team, game.home_abbr, game.away_abbr) == ("San Antonio", "Dallas", "SA", "DAL")
    assert (game.home_spread, game.home_moneyline, game.away_moneyline) == (3.5, -165, 140)
    assert _timeline(game) == [
        (0.0, "pre", 0, 0, 0),
        (0.0, "in", 1, 0, 0),
        (720.0, "in", 1, 26, 24),
        (1440.0, "in", 2, 45, 53),
        (2160.0, "in", 3, 76, 73),
        (2880.0, "post", 4, 101, 100),
    ]
    assert [p.extra["phase"] for p in game.points] == ["pre", "start", "end_period", "halftime", "end_period", "final"]
    assert game.points[0].reference_home_prob == 0.5991  # the de-vigged closing moneyline


def test_overtime_games_end_one_overtime_after_regulation(games: dict[str, ReplayGame]) -> None:
    nba = games["nba-20141029-charlotte-milwaukee"]
    assert _timeline(nba)[-2:] == [(2880.0, "in", 4, 100, 100), (3180.0, "post", 5, 108, 106)]
    nhl = games["nhl-20130119-nashville-columbus"]
    assert _timeline(nhl)[-2:] == [(3600.0, "in", 3, 2, 2), (3900.0, "post", 4, 2, 3)]


def test_a_suspect_spread_is_not_used(games: dict[str, ReplayGame]) -> None:
    nba = games["nba-20141030-laclippers-lalakers"]
    assert nba.home_spread is None and nba.points[0].reference_home_prob == 0.42
    assert (nba.home_abbr, nba.away_abbr) == ("LAC", "LAL")
    nfl = games["nfl-20110918-ravens-titans"]
    assert nfl.home_spread == 6.5  # the opening line, not the total (44) in the closing column
    assert nfl.home_won is None and nfl.points[-1].reference_home_prob == 0.5  # a tie


def test_a_game_without_any_line_uses_the_league_home_rate(games: dict[str, ReplayGame]) -> None:
    nhl = games["nhl-20140409-dallas-columbus"]
    assert nhl.home_moneyline is None and nhl.points[0].reference_home_prob == CLOCKS["nhl"].home_rate


def test_epl_has_half_time_and_three_way_odds(games: dict[str, ReplayGame]) -> None:
    game = games["epl-20220522-liverpool-wolves"]
    assert game.sport == "soccer" and game.league == "epl"
    assert (game.home_moneyline, game.away_moneyline, game.points[0].extra["draw_moneyline"]) == (-714, 1800, 875)
    assert game.home_spread == 2.5  # Asian handicap closing line -2.5
    assert game.points[0].reference_home_prob == 0.8497  # Pinnacle closing, de-vigged
    assert _timeline(game) == [
        (0.0, "pre", 0, 0, 0),
        (0.0, "in", 1, 0, 0),
        (2700.0, "in", 1, 1, 1),
        (5400.0, "post", 2, 3, 1),
    ]
    assert [p.clock_seconds for p in game.points] == [None, 0.0, 2700.0, 5400.0]  # soccer clock is elapsed


def test_mlb_has_every_half_inning_and_reads_the_win_expectancy_table(games: dict[str, ReplayGame]) -> None:
    game = games["mlb-20190328-cin-pit-0"]
    phases = [p.extra["phase"] for p in game.points]
    assert phases[:4] == ["pre", "start", "mid_inning", "end_inning"]
    assert phases.count("mid_inning") == 8 and phases.count("end_inning") == 8  # home did not bat in the 9th
    assert _timeline(game)[-1] == (10200.0, "post", 9, 5, 3)
    assert game.points[0].reference_home_prob == round(1 - 0.4593, 4)  # visitor batting, top 1st, tied
    assert game.points[2].reference_home_prob == 0.5938  # home batting, bottom 1st, tied
    extra = games["mlb-20190321-oak-sea-0"]
    assert _timeline(extra)[-1] == (14400.0, "post", 12, 4, 5)


def test_limit_and_sports_select_deterministically_and_offsets_do_not_depend_on_them(data_dir: Path) -> None:
    everything = {g.game_id: g for g in load_replay(data_dir, seed=7)}
    nba_two = load_replay(data_dir, sports=["nba"], limit=2, seed=7)
    assert len(nba_two) == 2 and {g.league for g in nba_two} == {"nba"}
    assert load_replay(data_dir, sports=["nba"], limit=2, seed=7) == nba_two
    for game in nba_two:
        assert game.start_offset_s == everything[game.game_id].start_offset_s
    soccer = load_replay(data_dir, sports=["soccer"], seed=7)
    assert {g.league for g in soccer} == {"epl"}
    for league in ("epl", "mlb"):  # each has an unreadable row: the limit counts readable games
        for seed in range(4):
            assert len(load_replay(data_dir, sports=[league], limit=2, seed=seed)) == 2
    assert load_replay(data_dir, limit=0) == []
    other_seed = {g.game_id: g.start_offset_s for g in load_replay(data_dir, seed=8)}
    assert other_seed != {gid: g.start_offset_s for gid, g in everything.items()}


def test_offsets_spread_games_over_several_states(data_dir: Path) -> None:
    games = load_replay(data_dir, seed=0)
    assert [g.start_offset_s for g in games] == sorted(g.start_offset_s for g in games)
    for game in games:
        assert game.start_offset_s == start_offset_s(game.game_id, game.points[-1].t_s, 0)
    # At replay time 0 a game of length L is over when its offset < -L, in play when -L <= offset < 0.
    offsets = [start_offset_s(f"game-{i}", 1000.0, seed=3) for i in range(2000)]
    assert all(-1330.0 <= o <= 1330.0 for o in offsets)
    over = sum(o < -1000 for o in offsets) / len(offsets)
    playing = sum(-1000 <= o < 0 for o in offsets) / len(offsets)
    assert over == pytest.approx(0.124, abs=0.03) and playing == pytest.approx(0.376, abs=0.04)


def test_unknown_sport_and_negative_limit_are_refused(data_dir: Path) -> None:
    with pytest.raises(ValueError, match="unknown sport"):
        load_replay(data_dir, sports=["curling"])
    with pytest.raises(ValueError, match="limit"):
        load_replay(data_dir, limit=-1)


def test_missing_folders_are_skipped(tmp_path: Path) -> None:
    assert load_replay(tmp_path) == []


def test_reference_formula_is_monotone_and_exact_at_the_end() -> None:
    nba = CLOCKS["nba"]
    mu = mu_from_prior(0.6, nba)
    assert reference_probability(0, 1.0, mu, nba) == pytest.approx(0.6, abs=1e-3)
    by_margin = [reference_probability(m, 0.5, mu, nba) for m in range(-10, 11)]
    assert by_margin == sorted(by_margin)
    assert reference_probability(3, 0.0, mu, nba) == 1.0
    assert reference_probability(0, 0.0, mu, nba) == 0.5
    epl = CLOCKS["epl"]
    assert reference_probability(0, 0.0, mu_from_prior(0.5, epl), epl) == 0.0  # a draw is not a home win
    assert reference_probability(0, 1.0, mu_from_prior(0.45, epl), epl) == pytest.approx(0.45, abs=1e-3)


def test_team_names_and_odds_helpers() -> None:
    assert display_name("SanAntonio") == "San Antonio"
    assert display_name("LAClippers") == "LA Clippers"
    assert display_name("St.Louis") == "St. Louis"
    assert [abbreviation(n) for n in ("Boston", "San Antonio", "LA Lakers", "NY Islanders")] == [
        "BOS",
        "SA",
        "LAL",
        "NYI",
    ]
    assert (american_from_decimal(2.5), american_from_decimal(1.25), american_from_decimal(None)) == (150, -400, None)


def test_the_real_data_folder_loads_when_present() -> None:

    root = Path(os.environ.get("ARBEES_WINPROB_DATA", "/work/shared/data/winprob"))
    if not root.is_dir():
        pytest.skip(f"no winprob data at {root}")
    games = load_replay(root, limit=2, seed=0)
    assert {g.league for g in games} == {"ncaab", "nba", "nhl", "nfl", "epl", "mlb"}
    for game in games:
        assert game.points[0].status == "pre" and game.points[-1].status == "post"
        assert game.points[-1].reference_home_prob in (0.0, 0.5, 1.0)
        final = game.points[-1]
        assert game.home_won is None or game.home_won == (final.home_score > final.away_score)
        # What the ESPN simulator serves for the final point reads back as the recorded final.
        league = LEAGUES[game.league]
        frame = Frame(game, league, len(game.points) - 1, datetime(2026, 1, 1, tzinfo=UTC))
        state = parse_event(EspnEvent.model_validate(event_json(frame)), league, observed_at=frame.scheduled)
        assert (state.status, state.completed, state.home_score, state.away_score) == (
            "post",
            True,
            final.home_score,
            final.away_score,
        )
