"""Loaders on synthetic folders in the real layouts, and the CLI train -> evaluate round trip."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from shared.winprob import load_model
from shared.winprob.cli import register
from shared.winprob.datasets import load_dataset
from shared.winprob.training import split_dataset

EVAL_KEYS = {"sport", "games", "states", "brier", "log_loss", "calibration_error", "baselines", "per_checkpoint"}


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="arbees")
    register(parser.add_subparsers(dest="command", required=True))
    return parser


def _run(argv: list[str]) -> int:
    args = _parser().parse_args(argv)
    return int(args.handler(args))


def test_loaders_read_the_layouts(nba_dir: Path, nhl_dir: Path, epl_dir: Path, mlb_dir: Path, ncaab_dir: Path) -> None:
    nba = load_dataset("nba", nba_dir)
    assert {s.checkpoint for s in nba.states} >= {"pregame", "q1", "q2", "q3"}
    q2 = next(s for s in nba.states if s.checkpoint == "q2")
    assert q2.situation.period == 3 and q2.situation.home_moneyline is not None
    assert q2.situation.home_spread is not None
    nhl = load_dataset("nhl", nhl_dir)
    assert all(s.situation.period == 4 for s in nhl.states if s.checkpoint == "overtime")
    epl = load_dataset("soccer", epl_dir)
    ht = next(s for s in epl.states if s.checkpoint == "halftime")
    assert ht.situation.prior_draw_prob is not None and ht.result in (0, 1, 2)
    mlb = load_dataset("mlb", mlb_dir)
    assert all(
        not (s.situation.top_of_inning is False and s.situation.period >= 9 and s.situation.margin > 0)
        for s in mlb.states
    )
    ncaab = load_dataset("ncaab", ncaab_dir)
    assert ncaab.recorded_name == "win_prob" and ncaab.seasons() == ["2018-19"]


def test_split_is_by_season_or_date(nba_dir: Path, ncaab_dir: Path) -> None:
    split = split_dataset(load_dataset("nba", nba_dir))
    assert split.validation.seasons() == ["2015-16", "2016-17"] and split.train.seasons() == ["2014-15"]
    one = split_dataset(load_dataset("ncaab", ncaab_dir))
    assert max(s.date for s in one.train.states) < min(s.date for s in one.validation.states)


@pytest.mark.parametrize(
    ("sport", "fixture"),
    [
        ("nba", "nba_dir"),
        ("nfl", "nfl_dir"),
        ("nhl", "nhl_dir"),
        ("soccer", "epl_dir"),
        ("mlb", "mlb_dir"),
        ("ncaab", "ncaab_dir"),
    ],
)
def test_train_then_evaluate_round_trip(
    sport: str, fixture: str, request: pytest.FixtureRequest, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data: Path = request.getfixturevalue(fixture)
    out = tmp_path / f"{sport}.json"
    assert _run(["winprob", "train", "--sport", sport, "--data", str(data), "--out", str(out)]) == 0
    art = json.loads(out.read_text())
    assert art["training_run"]["data_folder"] == str(data) and art["validation"]["states"] > 0
    capsys.readouterr()
    assert _run(["winprob", "evaluate", "--sport", sport, "--data", str(data), "--model", str(out)]) == 0
    result = json.loads(capsys.readouterr().out)
    assert EVAL_KEYS <= set(result)
    assert {"brier", "log_loss", "calibration_error"} <= set(result["baselines"]["prior"])
    assert result["per_checkpoint"] and all("brier" in v for v in result["per_checkpoint"].values())
    assert load_model(sport, str(out)).version == art["model_version"]
    if sport == "ncaab":
        assert result["baselines"]["recorded"]["column"] == "win_prob"
    if sport == "soccer":
        assert "brier_3way" in result["multiclass"]


def test_derive_writes_an_unvalidated_model(tmp_path: Path) -> None:
    out = tmp_path / "cfb.json"
    from shared.winprob.registry import artifact_path

    assert (
        _run(["winprob", "train", "--sport", "cfb", "--derive-from", str(artifact_path("nfl")), "--out", str(out)]) == 0
    )
    art = json.loads(out.read_text())
    assert art["validated"] is False and "nfl" in art["validation_note"]
    assert load_model("cfb", str(out)).validated is False


@pytest.mark.parametrize(
    "argv", [["winprob", "--help"], ["winprob", "train", "--help"], ["winprob", "evaluate", "--help"]]
)
def test_help_works(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as e:
        _parser().parse_args(argv)
    assert e.value.code == 0
    assert "usage" in capsys.readouterr().out


def test_top_level_cli_lists_winprob(capsys: pytest.CaptureFixture[str]) -> None:
    main = pytest.importorskip("services.cli.main")
    with pytest.raises(SystemExit):
        main.main(["winprob", "--help"])
    assert "evaluate" in capsys.readouterr().out


def test_real_data_evaluation_beats_prior(real_data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(["winprob", "evaluate", "--sport", "nba", "--data", str(real_data / "nba_quarters_lines")]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["brier"] < result["baselines"]["prior"]["brier"]


def test_train_holdout_writes_the_split_fit_model(
    nba_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    full, held = tmp_path / "full.json", tmp_path / "held.json"
    assert _run(["winprob", "train", "--sport", "nba", "--data", str(nba_dir), "--out", str(full)]) == 0
    assert _run(["winprob", "train", "--sport", "nba", "--data", str(nba_dir), "--out", str(held), "--holdout"]) == 0
    a, b = json.loads(full.read_text()), json.loads(held.read_text())
    assert a["training_run"]["fitted_on"]["seasons"] == ["2014-15", "2015-16", "2016-17"]
    assert b["training_run"]["fitted_on"]["seasons"] == ["2014-15"]
    assert b["model_version"].endswith(".holdout") and not a["model_version"].endswith(".holdout")
    assert a["validation"]["brier"] == b["validation"]["brier"]  # same method, same held-out games
    assert a["coefficients"] != b["coefficients"]
    capsys.readouterr()
    assert _run(["winprob", "evaluate", "--sport", "nba", "--data", str(nba_dir), "--model", str(held)]) == 0
    result = json.loads(capsys.readouterr().out)
    floor = result["calibration_error_noise_floor"]
    assert 0.0 < floor["mean"] <= floor["p95"] and 0.0 < floor["independent_mean"] <= floor["independent_p95"]
    assert "calibration_error_noise_floor" in result["baselines"]["prior"]
    assert all("calibration_error_noise_floor" in v for v in result["per_checkpoint"].values())
