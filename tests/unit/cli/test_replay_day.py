"""``arbees replay --date D``: the day's folder holds exactly that day's games, as the simulators will read them."""

from __future__ import annotations

import csv
import datetime as dt
import gzip
from pathlib import Path

import pytest

from markets.sim.replay import load_replay
from services.cli.main import build_parser
from services.cli.replay.command import database_name
from services.cli.replay.day import game_day, game_days, parse_day, write_day_folder
from services.cli.replay.lag import percentiles
from services.cli.replay.plan import ReplayPlan

NBA_HEADER = (
    "season,date,away,home,away_1q,home_1q,away_2q,home_2q,away_3q,home_3q,away_4q,home_4q,away_final,home_final,"
    "home_spread_close,total_close,home_spread_open,total_open,away_ml,home_ml,ot,home_prob_devig,home_win,"
    "spread_suspect"
)
NBA_ROWS = (
    "2014-15,2014-10-28,Dallas,SanAntonio,24,26,29,19,20,31,27,25,100,101,-3.5,203.5,-6.0,206.5,140,-165,False,0.5991,1,False",
    "2014-15,2014-10-28,Orlando,NewOrleans,25,24,16,24,23,30,20,23,84,101,-9.0,191.0,-9.5,196.0,380,-475,False,0.7986,1,False",
    "2014-15,2014-10-29,Houston,LALakers,32,22,26,21,28,25,22,22,108,90,5.5,207.0,4.5,206.0,-220,180,False,0.3200,0,False",
)
NCAAB_GAMES = (
    "game_id,date,home,away,home_favored_by,final_home,final_away,max_half,n_events,home_win",
    "401082333,2014-10-28,Illinois,Evansville,16.0,4,2,2,4,1.0",
    "401082334,2014-10-29,Illinois,Georgetown,9.0,2,3,2,4,0.0",
)
NCAAB_STATES = (
    "game_id,half,secs_remaining,home_score,away_score,home_time_out_remaining,away_time_out_remaining,win_prob"
)


def _plays(game_id: str, home: int, away: int) -> list[str]:
    return [
        f"{game_id},1,2400,0,0,4,4,0.6",
        f"{game_id},1,1500,{home // 2},{away // 2},4,4,0.6",
        f"{game_id},2,600,{home - 1},{away},3,3,0.5",
        f"{game_id},2,0,{home},{away},2,2,{1.0 if home > away else 0.0}",
    ]


@pytest.fixture
def data(tmp_path: Path) -> Path:
    root = tmp_path / "winprob"
    nba = root / "nba_quarters_lines"
    nba.mkdir(parents=True)
    (nba / "nba_games_quarters_lines.csv").write_text("\n".join((NBA_HEADER, *NBA_ROWS)) + "\n")
    (nba / "PROVENANCE.md").write_text("made up for a test\n")
    ncaab = root / "ncaab_pbp_2018_19"
    ncaab.mkdir()
    (ncaab / "games.csv").write_text("\n".join(NCAAB_GAMES) + "\n")
    states = [NCAAB_STATES, *_plays("401082333", 4, 2), *_plays("401082334", 2, 3)]
    with gzip.open(ncaab / "states.csv.gz", "wt") as f:
        f.write("\n".join(states) + "\n")
    return root


def test_a_recorded_date_is_read_in_either_layout() -> None:
    assert parse_day("2014-10-28") == dt.date(2014, 10, 28)
    assert parse_day("20190320") == dt.date(2019, 3, 20)
    assert parse_day("someday") is None and parse_day("") is None


def test_the_day_folder_replays_exactly_that_days_games(data: Path, tmp_path: Path) -> None:
    day = dt.date(2014, 10, 28)
    everything = load_replay(data, sports=["nba", "ncaab"], limit=None, seed=3)
    assert len(everything) == 5
    folder = write_day_folder(data, day, ["nba", "ncaab"], tmp_path / "day")
    replayed = load_replay(folder, sports=["nba", "ncaab"], limit=None, seed=3)
    assert sorted(g.game_id for g in replayed) == sorted(g.game_id for g in everything if game_day(g) == day)
    assert len(replayed) == 3
    by_id = {g.game_id: g for g in everything}
    assert all(g == by_id[g.game_id] for g in replayed)  # same timeline, same start time
    with gzip.open(folder / "ncaab_pbp_2018_19" / "states.csv.gz", "rt") as f:
        rows = list(csv.DictReader(f))
    assert {r["game_id"] for r in rows} == {"401082333"} and len(rows) == 4
    assert (folder / "nba_quarters_lines" / "PROVENANCE.md").is_symlink()


def test_a_plan_for_a_day_gives_the_simulators_a_limit_that_keeps_every_game(data: Path, tmp_path: Path) -> None:
    plan = ReplayPlan.for_day(data, dt.date(2014, 10, 28), ["nba"], 0, 50.0, 12.0, tmp_path / "day")
    assert plan.day == dt.date(2014, 10, 28) and plan.data == tmp_path / "day"
    assert len(plan.games) == 2 and plan.limit == 2
    assert "--limit" in plan.sim_args(0.0) and plan.sim_args(0.0)[plan.sim_args(0.0).index("--limit") + 1] == "2"
    first = min(g.start_offset_s for g in plan.games)
    last = max(g.start_offset_s + g.points[-1].t_s for g in plan.games)
    assert plan.game_span_s == pytest.approx(last - first)


def test_a_day_without_games_names_the_days_that_have_some(data: Path, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"on 2001-01-01; most games: 2014-10-28 \(2 games\)"):
        ReplayPlan.for_day(data, dt.date(2001, 1, 1), ["nba"], 0, 50.0, 12.0, tmp_path / "day")
    assert game_days(data, ["nba"]) == {dt.date(2014, 10, 28): 2, dt.date(2014, 10, 29): 1}


def test_the_replay_command_takes_a_date() -> None:
    args = build_parser().parse_args(["replay", "--date", "2017-12-23", "--venues", "sim"])
    assert args.date == dt.date(2017, 12, 23)
    assert build_parser().parse_args(["replay"]).date is None
    with pytest.raises(SystemExit):
        build_parser().parse_args(["replay", "--date", "23/12/2017"])


def test_lag_percentiles_are_nearest_rank() -> None:
    assert percentiles([]) == {"n": 0, "p50": None, "p90": None, "max": None}
    assert percentiles([float(v) for v in range(1, 11)]) == {"n": 10, "p50": 5.0, "p90": 9.0, "max": 10.0}


def test_runs_in_directories_of_the_same_name_get_databases_of_their_own(tmp_path: Path) -> None:
    first, second = database_name(tmp_path / "a" / "run"), database_name(tmp_path / "b" / "run")
    assert first != second
    assert first.startswith("arbees_replay_run_") and second.startswith("arbees_replay_run_")
    long = database_name(tmp_path / ("Day-2017-12-23 " * 10))
    assert len(long) <= 63 and long.replace("_", "").isalnum() and long == long.lower()
