"""The start-up clock check: the production limit is exact, in both directions (no network, no load)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from markets.preflight import DEFAULT_MAX_CLOCK_SKEW_S, check_clock
from shared.errors import AuthOrClock

OURS = datetime(2026, 11, 23, 20, 0, tzinfo=UTC)


@pytest.mark.parametrize("skew_s", [0.0, 1.9, -1.9, DEFAULT_MAX_CLOCK_SKEW_S, -DEFAULT_MAX_CLOCK_SKEW_S])
def test_a_skew_within_the_limit_passes_and_is_returned(skew_s: float) -> None:
    venue = OURS + timedelta(seconds=skew_s)
    assert check_clock("kalshi", venue, OURS, DEFAULT_MAX_CLOCK_SKEW_S) == pytest.approx(skew_s)


@pytest.mark.parametrize("skew_s", [2.1, -2.1, 30.0, -3600.0])
def test_a_skew_beyond_the_limit_is_auth_or_clock(skew_s: float) -> None:
    with pytest.raises(AuthOrClock) as refused:
        check_clock("kalshi", OURS + timedelta(seconds=skew_s), OURS, DEFAULT_MAX_CLOCK_SKEW_S)
    assert refused.value.code == "clock_skew" and refused.value.venue == "kalshi"
