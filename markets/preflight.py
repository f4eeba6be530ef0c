"""Start-up checks shared by the real engines: a venue's clock against ours.

Each engine's ``start()`` also checks its credentials, eligibility (Polymarket geoblock) and that the
exchange and market are open for trading, and raises the matching :mod:`shared.errors` class.
"""

from __future__ import annotations

from datetime import datetime

from shared.errors import AuthOrClock

DEFAULT_MAX_CLOCK_SKEW_S = 2.0


def check_clock(venue: str, venue_time: datetime, local_time: datetime, max_skew_s: float) -> float:
    """Return the skew in seconds (venue - local); raise :class:`AuthOrClock` beyond ``max_skew_s``.

    Signed requests carry our timestamp and the venues refuse one that is off by a few seconds, so a
    skewed clock must stop start-up rather than produce a stream of 401s.
    """
    skew = (venue_time - local_time).total_seconds()
    if abs(skew) > max_skew_s:
        raise AuthOrClock(
            f"{venue} clock differs from ours by {skew:+.1f}s (limit {max_skew_s}s): fix the system clock (NTP) "
            "before trading",
            venue=venue,
            code="clock_skew",
        )
    return skew
