"""Reference P(home wins) where the data has no recorded model (Stern 1994; see the package docstring)."""

from __future__ import annotations

import math

from markets.sim.replay.common import _PHI, LeagueClock

# -- reference probability ------------------------------------------------------------------------


def mu_from_prior(p_home: float, clock: LeagueClock) -> float:
    """Expected final home margin implied by a pre-game P(home wins) under the reference formula."""
    p = min(0.99, max(0.01, p_home))
    return clock.sigma * _PHI.inv_cdf(p) + (0.5 if clock.draws else 0.0)


def reference_probability(margin: int, tau: float, mu: float, clock: LeagueClock) -> float:
    """Stern's P(home wins) with ``tau`` of regulation left (see the module docstring), in [0.001, 0.999]."""
    if tau <= 0:
        return 1.0 if margin > 0 else 0.0 if margin < 0 or clock.draws else 0.5
    z = (margin + mu * tau - (0.5 if clock.draws else 0.0)) / (clock.sigma * math.sqrt(tau))
    return round(min(0.999, max(0.001, _PHI.cdf(z))), 4)


def _final_probability(home: int, away: int) -> float:
    return 1.0 if home > away else 0.0 if home < away else 0.5


def _won(home: int, away: int) -> bool | None:
    return None if home == away else home > away
