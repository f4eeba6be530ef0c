"""Marking open positions to market as prices move, and periodic P&L snapshots."""

from __future__ import annotations

import asyncio
import logging

import asyncpg

from shared.aio import wait_event
from shared.bus import keys
from shared.bus.pubsub import MarketDataBus
from shared.messages import MarketPriceUpdated

log = logging.getLogger(__name__)


class Marker:
    """Marks open positions at the best bid, coalescing price ticks: at most one write per instrument
    per ``min_interval_s``, and always the latest price (a trailing throttle, so no final tick is lost)."""

    def __init__(self, pool: asyncpg.Pool, bus: MarketDataBus, min_interval_s: float) -> None:
        self._pool = pool
        self._bus = bus
        self._min_interval_s = min_interval_s
        self._pending: dict[str, MarketPriceUpdated] = {}

    def on_price(self, top: MarketPriceUpdated) -> None:
        """Remember the latest price of an instrument until the next flush."""
        if top.best_bid is not None:
            self._pending[top.key] = top

    async def flush(self) -> int:
        """Write every pending mark; return how many instruments were marked."""
        pending, self._pending = self._pending, {}
        for top in pending.values():
            await self._pool.execute(
                """UPDATE positions SET mark_price = $4, unrealized_pnl = quantity * $4 - cost_basis,
                       updated_at = now()
                   WHERE venue = $1 AND market_id = $2 AND outcome_id = $3 AND status = 'open'""",
                top.venue,
                top.market_id,
                top.outcome_id,
                top.best_bid,
            )
        return len(pending)

    async def follow(self, stopping: asyncio.Event) -> None:
        """Collect prices until ``stopping``."""
        async for _topic, message in self._bus.subscribe((keys.MARKET_PRICE,), stopping):
            if isinstance(message, MarketPriceUpdated):
                self.on_price(message)

    async def flush_loop(self, stopping: asyncio.Event) -> None:
        """Flush every ``min_interval_s`` until ``stopping``."""
        while not stopping.is_set():
            await wait_event(stopping, self._min_interval_s)
            try:
                await self.flush()
            except Exception:  # noqa: BLE001 - a failed mark is retried with the next price
                log.exception("marking failed")


async def snapshot(pool: asyncpg.Pool) -> None:
    """Write one P&L snapshot per trading mode from the positions table."""
    await pool.execute(
        """INSERT INTO pnl_snapshots (ts, paper, realized_pnl, unrealized_pnl, fees_paid, open_positions)
           SELECT now(), paper, COALESCE(SUM(realized_pnl), 0), COALESCE(SUM(unrealized_pnl), 0),
                  COALESCE(SUM(fees_paid), 0), COUNT(*) FILTER (WHERE status = 'open')
           FROM positions GROUP BY paper
           ON CONFLICT DO NOTHING"""
    )


async def snapshot_loop(pool: asyncpg.Pool, interval_s: float, stopping: asyncio.Event) -> None:
    """Snapshot P&L every ``interval_s`` until ``stopping``."""
    while not stopping.is_set():
        await wait_event(stopping, interval_s)
        try:
            await snapshot(pool)
        except Exception:  # noqa: BLE001
            log.exception("P&L snapshot failed")
