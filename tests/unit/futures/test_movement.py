"""The line-movement detector: a move of at least the threshold within the window, once per move."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from services.futures_monitor.movement import MovementDetector

T0 = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
D = Decimal


def _at(s: float) -> datetime:
    return T0 + timedelta(seconds=s)


def _detector() -> MovementDetector:
    return MovementDetector(D("0.03"), timedelta(seconds=600))


def test_a_move_of_the_threshold_is_a_movement_from_the_farthest_point_in_the_window() -> None:
    d = _detector()
    assert d.observe("m", _at(0), D("0.50")) is None
    assert d.observe("m", _at(60), D("0.48")) is None
    moved = d.observe("m", _at(120), D("0.51"))
    assert moved is not None and moved.from_price == D("0.48") and moved.from_ts == _at(60)
    assert moved.change == D("0.03") and moved.ts == _at(120)


def test_moves_under_the_threshold_are_none_and_a_held_line_raises_one_event() -> None:
    d = _detector()
    assert [d.observe("m", _at(s), D(p)) for s, p in ((0, "0.50"), (10, "0.52"), (20, "0.51"))] == [None] * 3
    assert d.observe("m", _at(30), D("0.56")) is not None
    assert d.observe("m", _at(40), D("0.56")) is None
    assert d.observe("m", _at(50), D("0.58")) is None  # 0.02 from the new reference
    assert d.observe("m", _at(60), D("0.59")) is not None


def test_points_older_than_the_window_do_not_count_and_keys_are_separate() -> None:
    d = _detector()
    d.observe("a", _at(0), D("0.40"))
    d.observe("b", _at(0), D("0.60"))
    assert d.observe("a", _at(601), D("0.50")) is None
    assert d.observe("b", _at(300), D("0.50")) is not None
    d.forget("a")
    assert d.observe("a", _at(602), D("0.10")) is None
