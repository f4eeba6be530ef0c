"""The market the fleet sees: game assignments and live states on the bus, then price updates at a fixed rate.

Every game is an NBA game in the second quarter with the home team slightly ahead; the shard prices it
and publishes its win probability, which the driver reads back. Each price update moves one game's
Kalshi top. Most keep the ask above the model's value (no edge); a share (``signal_share``) drops the ask
well below it, which is an edge the shard signals on and the risk gate approves. The simulator's makers
quote lower still, so the immediate-or-cancel orders fill. Updates are paced against the monotonic clock
(a late batch is sent at once, never skipped); a batch (every 5 ms) goes out in one round trip, as the
price shard publishes, and its updates are stamped just before it is sent.
"""

from __future__ import annotations

import asyncio
import random
import time
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from shared.bus import keys
from shared.bus.pubsub import MarketDataBus
from shared.messages import (
    AssignShard,
    FeeSpec,
    GameAssignment,
    GameStateUpdated,
    InstrumentRef,
    MarketPriceUpdated,
    WinProbabilityUpdated,
)

CENT = Decimal("0.01")
FEES = FeeSpec(schedule="kalshi", fee_type="quadratic")


def game_id(i: int) -> str:
    """The benchmark's id of game ``i``."""
    return f"bench-nba-{i:03d}"


def assignment(tickers: list[str], shard_id: str = "0") -> AssignShard:
    """Every game to one shard, each with its Kalshi home-wins market."""
    games = tuple(
        GameAssignment(
            game_id=game_id(i),
            sport="nba",
            league="nba",
            home_team=f"H{i:02d}",
            away_team=f"A{i:02d}",
            instruments=(InstrumentRef(venue="kalshi", market_id=t, outcome_id="yes", pays_on="home", fees=FEES),),
        )  # fmt: skip
        for i, t in enumerate(tickers)
    )
    return AssignShard(shard_id=shard_id, games=games)


def state(i: int) -> GameStateUpdated:
    """Game ``i`` live: second quarter, home a few points up."""
    return GameStateUpdated(
        game_id=game_id(i), sport="nba", league="nba", home_team=f"H{i:02d}", away_team=f"A{i:02d}", status="in",
        period=2, clock_seconds=300.0, home_score=50 + i % 5, away_score=48,
    )  # fmt: skip


@dataclass
class Driver:
    """Publishes the market; ``published`` maps each update's message id to its stamp (``monotonic_ns``)."""

    bus: MarketDataBus
    tickers: list[str]
    signal_share: float
    seed: int = 0
    published: dict[str, int] = field(default_factory=dict)
    edges: set[str] = field(default_factory=set)
    fair: dict[int, Decimal] = field(default_factory=dict)

    async def set_up(self, timeout_s: float = 60.0) -> None:
        """Assign the games, publish their states and wait for every win probability."""
        await self.bus.publish(keys.SHARD_ASSIGNMENT, "0", assignment(self.tickers))
        deadline = time.monotonic() + timeout_s
        while len(self.fair) < len(self.tickers):
            for i in range(len(self.tickers)):
                if i not in self.fair:
                    await self.bus.publish(keys.GAME_STATE, game_id(i), state(i))
            await asyncio.sleep(0.5)
            for i in range(len(self.tickers)):
                wp = await self.bus.latest(keys.WIN_PROBABILITY, game_id(i))
                if isinstance(wp, WinProbabilityUpdated):
                    self.fair[i] = Decimal(str(wp.home))
            if time.monotonic() > deadline:
                raise RuntimeError(f"only {len(self.fair)} of {len(self.tickers)} games were priced by the shard")

    def top(self, i: int, edge: bool) -> MarketPriceUpdated:
        """Game ``i``'s Kalshi top: the ask 20 cents under its fair value (an edge) or 3 cents over it."""
        fair = self.fair[i]
        if edge:
            ask = max(Decimal("0.05"), (fair - Decimal("0.20")).quantize(CENT, ROUND_FLOOR))
        else:
            ask = min(Decimal("0.99"), (fair + Decimal("0.03")).quantize(CENT, ROUND_CEILING))
        return MarketPriceUpdated(
            venue="kalshi", market_id=self.tickers[i], outcome_id="yes", best_bid=ask - CENT * 2, best_ask=ask,
            bid_size=Decimal(500), ask_size=Decimal(500),
        )  # fmt: skip

    async def run(self, rate: float, duration_s: float) -> float:
        """Publish ``rate`` updates a second for ``duration_s``; returns the rate achieved."""
        rng = random.Random(self.seed)
        batch = max(1, int(rate / 200))  # a batch every 5 ms at 1,000/s
        interval_ns = int(batch / rate * 1e9)
        total = int(rate * duration_s)
        start = time.monotonic_ns()
        sent = 0
        while sent < total:
            due = start + (sent // batch) * interval_ns
            wait = due - time.monotonic_ns()
            if wait > 0:
                await asyncio.sleep(wait / 1e9)
            tops = []
            for _ in range(min(batch, total - sent)):
                i = sent % len(self.tickers)
                edge = rng.random() < self.signal_share
                top = self.top(i, edge)
                if edge:
                    self.edges.add(str(top.message_id))
                tops.append(top)
                sent += 1
            at = time.monotonic_ns()  # one round trip for the batch, as the price shard publishes
            for top in tops:
                self.published[str(top.message_id)] = at
            await self.bus.publish_many(keys.MARKET_PRICE, [(top.key, top) for top in tops])
        return sent / ((time.monotonic_ns() - start) / 1e9)
