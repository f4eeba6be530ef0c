"""Calibration layer, market blending, edge after costs, and the scoring rules (worked examples)."""

from __future__ import annotations

import math
from decimal import Decimal

import numpy as np
import pytest

from shared.winprob import blend_with_market, edge_after_costs
from shared.winprob.calibration import CalibrationMap
from shared.winprob.fitting import fit_calibration
from shared.winprob.metrics import brier, calibration_error, log_loss, multiclass_scores


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
