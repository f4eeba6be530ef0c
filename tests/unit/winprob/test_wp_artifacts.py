"""Repository artifacts: every sport loads and answers; metadata is complete and says what was fitted on what.

Shipped artifacts are fitted on every game of the data folder; their ``validation`` block scores the same
procedure fitted on the training split only, on the held-out split.
"""

from __future__ import annotations

import json

import pytest

from shared.winprob import SPORTS, GameSituation, WinProbModel, load_model
from shared.winprob.registry import artifact_path, read_artifact


@pytest.mark.parametrize("sport", SPORTS)
def test_every_sport_loads_and_answers(sport: str) -> None:
    model = load_model(sport)
    assert isinstance(model, WinProbModel)
    assert model.sport == sport
    wp = model.probability(GameSituation(sport, 1, 0, 2, seconds_left_in_period=300.0, top_of_inning=True, outs=1))
    assert wp.home + wp.away + wp.draw == pytest.approx(1.0)
    assert wp.model_version == model.version and wp.model.startswith(sport)
    assert 0.5 < wp.home < 1.0


@pytest.mark.parametrize("sport", SPORTS)
def test_artifact_metadata(sport: str) -> None:
    raw = read_artifact(artifact_path(sport))
    assert raw["format_version"] == 1 and raw["sport"] == sport
    assert raw["model_version"].startswith(sport)
    assert "training_run" in raw
    if raw["validated"]:
        run = raw["training_run"]
        split = run["validation_split"]
        assert split["train"]["seasons"] and split["validation"]["seasons"] and split["train"]["rows"] > 0
        assert set(split["train"]["seasons"]).isdisjoint(split["validation"]["seasons"]) or sport in {"ncaab", "mlb"}
        fitted = run["fitted_on"]
        assert fitted["games"] == split["train"]["games"] + split["validation"]["games"]
        assert set(fitted["seasons"]) == set(split["train"]["seasons"]) | set(split["validation"]["seasons"])
        v = raw["validation"]
        assert {"brier", "log_loss", "calibration_error", "calibration_error_noise_floor", "per_checkpoint"} <= set(v)
        assert "training split only" in v["method"] and v["model_version"].endswith(".holdout")
        assert v["states"] < run["fitted_on"]["rows"]
        assert raw["calibration"]["selection"]["chosen"] == raw["calibration"]["kind"]
    else:
        assert raw["validation_note"] and raw["training_run"]["derived_from"]
    json.dumps(raw)  # plain JSON, no pickles


def test_unknown_sport_is_refused() -> None:
    with pytest.raises(ValueError):
        load_model("cricket")


def test_artifact_for_another_sport_is_refused() -> None:
    with pytest.raises(ValueError):
        load_model("nba", str(artifact_path("nfl")))
