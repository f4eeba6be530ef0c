"""Simulated market makers: quotes that follow a reference probability path with lag, noise and a spread.

A simulator gives each market a reference ``p(t)`` (for a replayed game, the game's reference win
probability; for demo markets, a slow random walk) and a :class:`MakerParams`. :func:`fair_value`
turns the reference into the price makers believe (lagged by ``lag_s``, with Gaussian noise); and
:func:`quote_ladder` lays ``levels`` bids and asks around it, ``half_spread`` away from the fair price,
one tick apart, snapped to the tick grid and kept inside [tick, 1 - tick].
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from shared.prices import snap_to_tick


@dataclass(frozen=True)
class MakerParams:
    """How simulated makers quote a market."""

    lag_s: float = 5.0
    noise_sd: float = 0.01
    half_spread: Decimal = Decimal("0.01")
    size: Decimal = Decimal("100")
    levels: int = 3
    refresh_s: float = 1.0


def fair_value(reference: Callable[[float], float], t: float, params: MakerParams, rng: random.Random) -> float:
    """What makers think the market is worth at time ``t``: the lagged reference plus noise, in (0, 1)."""
    p = reference(t - params.lag_s) + rng.gauss(0.0, params.noise_sd)
    return min(0.999, max(0.001, p))


def quote_ladder(
    fair: float, tick: Decimal, params: MakerParams
) -> tuple[list[tuple[Decimal, Decimal]], list[tuple[Decimal, Decimal]]]:
    """``(bids, asks)`` as ``(price, size)`` lists, best first, on the tick grid and inside [tick, 1 - tick]."""
    fair_d = Decimal(f"{fair:.6f}")
    top_bid = snap_to_tick(fair_d - params.half_spread, tick, "down")
    top_ask = snap_to_tick(fair_d + params.half_spread, tick, "up")
    if top_ask <= top_bid:
        top_ask = top_bid + tick
    low, high = tick, Decimal(1) - tick
    bids = [(top_bid - i * tick, params.size) for i in range(params.levels)]
    asks = [(top_ask + i * tick, params.size) for i in range(params.levels)]
    return [b for b in bids if low <= b[0] <= high], [a for a in asks if low <= a[0] <= high]


def random_walk_reference(start: float, seed: int, step_sd: float = 0.002) -> Callable[[float], float]:
    """A slow, bounded random walk in logit space, as a reference path for demo markets (one step per s)."""
    rng = random.Random(seed)
    cache = [math.log(start / (1 - start))]

    def reference(t: float) -> float:
        steps = max(0, int(t))
        while len(cache) <= steps:
            cache.append(cache[-1] + rng.gauss(0.0, step_sd * 4))
        x = cache[steps]
        return 1 / (1 + math.exp(-x))

    return reference
