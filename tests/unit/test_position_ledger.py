"""Position arithmetic."""

from __future__ import annotations

from decimal import Decimal

import pytest

from shared.positions import PositionState, apply_fill, settle, unrealized

D = Decimal


def test_buys_average_and_sells_realize_against_average_cost() -> None:
    s = apply_fill(PositionState(), "buy", D("0.60"), D(10), D("0.17"))
    s = apply_fill(s, "buy", D("0.70"), D(10), D("0.15"))
    assert s.quantity == 20 and s.cost_basis == D("13.00") and s.avg_price == D("0.650000")
    s = apply_fill(s, "sell", D("0.80"), D(5), D("0.08"))
    assert s.quantity == 15
    assert s.realized_pnl == D("0.75")  # 5 x (0.80 - 0.65)
    assert s.fees_paid == D("0.40")


def test_marks_and_settlement() -> None:
    s = apply_fill(PositionState(), "buy", D("0.62"), D(31), D("0.52"))
    assert unrealized(s, D("0.95")) == D("10.230000")
    assert unrealized(s, None) is None
    settled, proceeds, pnl = settle(s, D(1))
    assert proceeds == D("31.000000") and pnl == D("11.78")
    assert settled.quantity == 0 and settled.realized_pnl == D("11.78") and settled.fees_paid == D("0.52")
    lost, _, pnl = settle(s, D(0))
    assert pnl == D("-19.22") and lost.realized_pnl == D("-19.22")


def test_selling_more_than_held_is_refused() -> None:
    s = apply_fill(PositionState(), "buy", D("0.5"), D(1), D(0))
    with pytest.raises(ValueError, match="exceeds position"):
        apply_fill(s, "sell", D("0.5"), D(2), D(0))
