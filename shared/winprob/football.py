"""Football possession value from down, distance and field position (published expected points).

No play-by-play football data ships with this project (only quarter scores), so the possession adjustment
is not fitted here: it is **unvalidated**. It adds the expected points (EP) of the team in possession to
the home margin before the margin model is applied (the usual way of folding field position into a
margin-based win probability).

Source: the expected-points cheat sheet computed with nflfastR 2.1.0 (Michael Morris, "Expected points
added cheatsheet", 2020-08, https://michael-morris.us/2020/08/expect-points-added-cheatsheet), which
tabulates EP by yards to the end zone (10..95 in steps of 5) for 1st & 10 and for 2nd/3rd down with 10, 7,
5, 3 and 1 yards to go. Extensions not in the source, marked as assumptions:

- fewer than 10 yards to the end zone: linear extrapolation of the 10- and 15-yard rows, capped at 6.0;
- more than 10 yards to go: the 10-yard column minus the 7-to-10-yard slope per extra yard (at most 10);
- 4th down: the 3rd-down value minus the 2nd-to-3rd-down drop at the same spot;
- missing cells at the 95 (impossible short yardage): nearest longer-yardage cell of that down;
- possession known but field position unknown: 1st & 10 at 75 yards to go (a touchback start).
"""

from __future__ import annotations

from bisect import bisect_right

_YARDS: tuple[float, ...] = tuple(float(y) for y in range(10, 100, 5))
_TO_GO: tuple[float, ...] = (1.0, 3.0, 5.0, 7.0, 10.0)
# Rows follow _YARDS; first-down column, then (to go 1, 3, 5, 7, 10) for 2nd and for 3rd down.
_FIRST: tuple[float, ...] = (
    5.0, 4.8, 4.4, 4.1, 3.8, 3.5, 3.2, 2.8, 2.5, 2.2, 1.8, 1.5, 1.2, 1.1, 0.6, 0.2, -0.1, -0.4,
)  # fmt: skip
_SECOND: tuple[tuple[float, ...], ...] = (
    (5.2, 4.9, 4.8, 4.6, 4.5), (5.0, 4.7, 4.6, 4.4, 4.4), (4.5, 4.3, 4.3, 4.1, 4.0),
    (4.2, 4.0, 3.9, 3.8, 3.7), (3.9, 3.7, 3.6, 3.5, 3.4), (3.6, 3.4, 3.3, 3.1, 3.0),
    (3.2, 3.0, 2.9, 2.8, 2.6), (3.0, 2.8, 2.6, 2.4, 2.4), (2.7, 2.4, 2.3, 2.1, 2.1),
    (2.4, 2.0, 2.0, 1.8, 1.7), (2.0, 1.7, 1.6, 1.4, 1.3), (1.7, 1.3, 1.2, 1.0, 0.9),
    (1.5, 1.1, 1.1, 0.8, 0.7), (1.1, 0.8, 0.7, 0.5, 0.5), (0.6, 0.5, 0.3, 0.1, 0.1),
    (0.4, 0.2, 0.0, -0.3, -0.3), (0.1, -0.1, -0.4, -0.6, -0.6), (-0.9, -0.9, -0.9, -0.9, -0.9),
)  # fmt: skip
_THIRD: tuple[tuple[float, ...], ...] = (
    (4.6, 4.3, 4.1, 3.9, 3.8), (4.4, 4.1, 3.9, 3.8, 3.7), (4.1, 3.7, 3.7, 3.5, 3.4),
    (3.7, 3.4, 3.4, 3.2, 3.1), (3.3, 3.1, 2.9, 2.8, 2.7), (3.0, 2.7, 2.5, 2.3, 2.3),
    (2.7, 2.3, 2.1, 1.9, 1.9), (2.5, 2.0, 1.8, 1.7, 1.6), (2.1, 1.6, 1.5, 1.3, 1.3),
    (1.8, 1.3, 1.1, 1.0, 0.9), (1.5, 0.9, 0.8, 0.7, 0.6), (1.1, 0.6, 0.5, 0.3, 0.3),
    (1.0, 0.5, 0.3, 0.1, 0.1), (0.6, 0.1, 0.0, -0.2, -0.2), (0.2, -0.2, -0.4, -0.5, -0.6),
    (-0.2, -0.6, -0.8, -0.9, -0.9), (-0.5, -0.8, -1.1, -1.2, -1.3), (-1.5, -1.5, -1.5, -1.5, -1.6),
)  # fmt: skip
_MAX_EP = 6.0
_DEFAULT_YARDS = 75.0


def _row_weight(yards: float) -> tuple[int, float]:
    """Index of the lower table row and the weight of the next one (extrapolating below 10 yards)."""
    if yards <= _YARDS[0]:
        return 0, (yards - _YARDS[0]) / 5.0
    i = bisect_right(_YARDS, yards) - 1
    if i >= len(_YARDS) - 1:
        return len(_YARDS) - 2, 1.0
    return i, (yards - _YARDS[i]) / 5.0


def _along(values: tuple[float, ...], to_go: float) -> float:
    if to_go > 10.0:
        extra = min(to_go - 10.0, 10.0)
        return values[4] - extra * (values[3] - values[4]) / 3.0
    i = bisect_right(_TO_GO, to_go) - 1
    if i < 0:
        return values[0]
    if i >= 4:
        return values[4]
    w = (to_go - _TO_GO[i]) / (_TO_GO[i + 1] - _TO_GO[i])
    return values[i] + w * (values[i + 1] - values[i])


def _down_value(down: int, row: int, to_go: float) -> float:
    if down <= 1:
        return _FIRST[row]
    if down == 2:
        return _along(_SECOND[row], to_go)
    third = _along(_THIRD[row], to_go)
    if down == 3:
        return third
    return third - (_along(_SECOND[row], to_go) - third)


def expected_points(down: int | None, distance: int | None, yards_to_goal: int | None) -> float:
    """Expected points of the team in possession (nflfastR-based table, see module docstring).

    Parameters
    ----------
    down
        1-4; ``None`` is treated as 1st down.
    distance
        Yards to a first down; ``None`` is treated as 10.
    yards_to_goal
        Yards from the line of scrimmage to the opponent's goal line (1-99); ``None`` means a drive start
        at 75 yards.

    Returns
    -------
    float
        Points, roughly -2 (backed up, late down) to 6 (at the goal line).
    """
    yards = float(yards_to_goal) if yards_to_goal is not None else _DEFAULT_YARDS
    yards = min(max(yards, 1.0), 99.0)
    to_go = float(distance) if distance is not None else 10.0
    d = down if down is not None else 1
    i, w = _row_weight(yards)
    lo = _down_value(d, i, to_go)
    hi = _down_value(d, i + 1, to_go)
    return min(lo + w * (hi - lo), _MAX_EP)
