"""Calibration layer and its selection, market blending, edge after costs, scoring rules and noise floors."""

from __future__ import annotations

import json
import math
from decimal import Decimal

import numpy as np
import pytest

from shared.winprob import blend_with_market, edge_after_costs
from shared.winprob.calibration import CalibrationLayer, CalibrationMap
from shared.winprob.fitting import OutOfFold, apply_layer, fit_calibration, select_calibration
from shared.winprob.metrics import (
    brier,
    calibration_error,
    calibration_noise_floor,
    log_loss,
    multiclass_scores,
    noise_floors,
)


def test_identity_calibration() -> None:
    assert CalibrationMap()(1.234) == 1.234


def test_calibration_map_rejects_non_monotone_knots() -> None:
    with pytest.raises(ValueError):
        CalibrationMap((0.0, 1.0), (1.0, 0.0))


def test_fitted_calibration_is_monotone_symmetric_and_corrects_overconfidence() -> None:
    rng = np.random.default_rng(0)
    true_z = rng.normal(0.0, 1.5, 20000)
    y = (rng.random(20000) < 1 / (1 + np.exp(-true_z))).astype(float)
    cal = fit_calibration(2.0 * true_z, y, games=20000)  # raw log-odds twice too confident
    grid = np.linspace(-8, 8, 161)
    out = [cal(float(z)) for z in grid]
    assert all(b > a for a, b in zip(out, out[1:], strict=False))
    assert all(cal(float(z)) == pytest.approx(-cal(float(-z)), abs=1e-9) for z in grid)
    assert cal(2.0) == pytest.approx(1.0, abs=0.15)


def test_blend_on_log_odds_worked_example() -> None:
    p = blend_with_market(0.8, 0.5, model_weight=0.5)
    assert p == pytest.approx(1 / (1 + math.exp(-0.5 * math.log(4))))  # = 2/3
    assert p == pytest.approx(2 / 3)
    assert blend_with_market(0.8, 0.6, model_weight=1.0) == pytest.approx(0.8)
    assert blend_with_market(0.8, 0.6, model_weight=0.0) == pytest.approx(0.6)
    with pytest.raises(ValueError):
        blend_with_market(0.8, 1.2)


def test_edge_after_costs_worked_example() -> None:
    edge = edge_after_costs(0.62, Decimal("0.55"), Decimal("0.02"), Decimal("0.02"))
    assert edge == Decimal("0.040000")
    assert isinstance(edge, Decimal)
    losing = edge_after_costs(0.5, Decimal("0.55"), Decimal("0.01"), Decimal("0.04"))
    assert losing == Decimal("-0.080000")


def test_edge_after_costs_rejects_floats_and_bad_prices() -> None:
    with pytest.raises(ValueError):
        edge_after_costs(0.6, 0.55, Decimal("0.01"), Decimal("0.01"))  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        edge_after_costs(0.6, Decimal("1.00"), Decimal("0.01"), Decimal("0.01"))
    with pytest.raises(ValueError):
        edge_after_costs(0.6, Decimal("0.5"), Decimal("-0.01"), Decimal("0.01"))


def test_scores_worked_examples() -> None:
    p, y = [0.9, 0.2, 0.6], [1.0, 0.0, 0.0]
    assert brier(p, y) == pytest.approx((0.01 + 0.04 + 0.36) / 3)
    assert log_loss(p, y) == pytest.approx(-(math.log(0.9) + math.log(0.8) + math.log(0.4)) / 3)
    # bins: 0.9 -> |0.9-1|, 0.2 -> |0.2-0|, 0.6 -> |0.6-0|
    assert calibration_error(p, y) == pytest.approx((0.1 + 0.2 + 0.6) / 3)
    mc = multiclass_scores([(0.5, 0.3, 0.2)], [1])
    assert mc["brier_3way"] == pytest.approx(0.25 + 0.49 + 0.04)
    assert mc["log_loss_3way"] == pytest.approx(-math.log(0.3))


def test_noise_floor_of_a_calibrated_forecaster_covers_its_own_error() -> None:
    rng = np.random.default_rng(3)
    p = rng.uniform(0.05, 0.95, 400).tolist()
    floor = calibration_noise_floor(p, draws=300)
    assert 0.0 < floor["mean"] < floor["p95"] < 0.12
    inside = 0
    for _ in range(40):
        y = (rng.random(400) < np.array(p)).astype(float).tolist()
        inside += calibration_error(p, y) <= floor["p95"]
    assert inside >= 34  # about 95 % of calibrated samples fall below the 95th percentile
    assert calibration_noise_floor(p, draws=50, seed=1) == calibration_noise_floor(p, draws=50, seed=1)


def test_noise_floor_is_larger_when_states_share_a_game() -> None:
    rng = np.random.default_rng(4)
    game_p = rng.uniform(0.1, 0.9, 100)
    p = np.repeat(game_p, 20) + rng.normal(0, 0.01, 2000)
    p = np.clip(p, 0.01, 0.99).tolist()
    games = np.repeat(np.arange(100), 20).tolist()
    both = noise_floors(p, games)
    assert both["mean"] > 2.5 * both["independent_mean"]
    one_state = noise_floors(p[:100], list(range(100)))
    assert one_state["mean"] == pytest.approx(one_state["independent_mean"], abs=0.01)


def test_time_band_layer_blends_maps_between_centres_and_stays_monotone_and_odd() -> None:
    steep = CalibrationMap((-30.0, 0.0, 30.0), (-60.0, 0.0, 60.0))  # doubles the log-odds
    layer = CalibrationLayer((0.2, 0.8), (CalibrationMap(), steep))
    assert layer.kind == "time_bands"
    assert layer(1.0, 0.0) == pytest.approx(1.0) and layer(1.0, 0.2) == pytest.approx(1.0)
    assert layer(1.0, 0.5) == pytest.approx(1.5) and layer(1.0, 1.0) == pytest.approx(2.0)
    for t in (0.1, 0.35, 0.6, 0.9):
        out = [layer(z / 4, t) for z in range(-20, 21)]
        assert all(b > a for a, b in zip(out, out[1:], strict=False))
        assert layer(-0.7, t) == pytest.approx(-layer(0.7, t))
    back = CalibrationLayer.from_json(json.loads(json.dumps(layer.to_json())))
    assert back(1.3, 0.45) == pytest.approx(layer(1.3, 0.45))
    z, t = np.linspace(-3, 3, 13), np.linspace(0, 1, 13)
    assert apply_layer(layer, z, t) == pytest.approx([layer(float(a), float(b)) for a, b in zip(z, t, strict=True)])


def test_layer_json_forms() -> None:
    assert CalibrationLayer.from_json(None).kind == "identity"
    assert CalibrationLayer.from_json({"kind": "identity", "selection": {}}).kind == "identity"
    legacy = CalibrationLayer.from_json({"logit_x": [-1.0, 0.0, 1.0], "logit_y": [-2.0, 0.0, 2.0]})
    assert legacy.kind == "global" and legacy(0.5, 0.3) == pytest.approx(1.0)
    with pytest.raises(ValueError):
        CalibrationLayer((0.5,), ())
    with pytest.raises(ValueError):
        CalibrationLayer((), (CalibrationMap(), CalibrationMap()))


def _oof(z: np.ndarray, y: np.ndarray, t: np.ndarray) -> OutOfFold:
    n = len(z)
    return OutOfFold(z, y, t, np.arange(n) % 4, np.arange(n) // 2)


def test_selection_keeps_the_identity_for_calibrated_log_odds() -> None:
    rng = np.random.default_rng(5)
    z = rng.normal(0.0, 1.5, 8000)
    y = (rng.random(8000) < 1 / (1 + np.exp(-z))).astype(float)
    layer, report = select_calibration(_oof(z, y, rng.random(8000)), (0.0, 0.5, 1.01), symmetric=True)
    assert layer.kind == "identity" and report["chosen"] == "identity"
    assert set(report["nested_log_loss"]) == {"identity", "global", "time_bands"}


def test_selection_fixes_overconfidence_that_differs_by_time_band() -> None:
    rng = np.random.default_rng(6)
    n = 12000
    true_z = rng.normal(0.0, 1.5, n)
    t = rng.random(n)
    y = (rng.random(n) < 1 / (1 + np.exp(-true_z))).astype(float)
    raw = np.where(t < 0.5, 2.5 * true_z, true_z)  # overconfident late, calibrated early
    layer, report = select_calibration(_oof(raw, y, t), (0.0, 0.5, 1.01), symmetric=True)
    assert report["chosen"] == "time_bands"
    assert layer(2.5, 0.1) == pytest.approx(1.0, abs=0.2) and layer(1.0, 0.9) == pytest.approx(1.0, abs=0.15)
