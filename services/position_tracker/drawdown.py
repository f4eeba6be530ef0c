"""The drawdown trigger of the kill switch: today's realized plus unrealized P&L below the limit halts trading.

Today's P&L is :func:`shared.pnl.daily_pnl` (the figure the risk gate's daily-loss limit uses too). The
check runs every ``interval_s`` and after every fill; the halt goes through :mod:`shared.trading_state`
(persisted, logged, announced), once.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime
from decimal import Decimal

import asyncpg

from shared.aio import wait_event
from shared.bus.pubsub import MarketDataBus
from shared.messages import utc_now
from shared.pnl import daily_pnl
from shared.trading_state import halt, read_trading_state

log = logging.getLogger(__name__)
SOURCE = "position_tracker:drawdown"


class DrawdownGuard:
    """Halts trading once today's loss of the traded mode exceeds ``max_daily_loss`` dollars."""

    def __init__(
        self, pool: asyncpg.Pool, bus: MarketDataBus, *, paper: bool, max_daily_loss: Decimal, interval_s: float
    ) -> None:
        if max_daily_loss <= 0:
            raise ValueError("max_daily_loss must be positive")
        self._pool = pool
        self._bus = bus
        self._paper = paper
        self.max_daily_loss = max_daily_loss
        self._interval_s = interval_s
        self._wake = asyncio.Event()
        self.last_pnl: Decimal | None = None
        self.tripped = False

    def poke(self) -> None:
        """Check again now (after a fill or a mark)."""
        self._wake.set()

    async def check(self, now: datetime | None = None) -> bool:
        """Compare today's P&L with the limit; halt (once) when it is beyond. True when beyond."""
        pnl = await daily_pnl(self._pool, self._paper, now or utc_now())
        self.last_pnl = pnl
        if pnl >= -self.max_daily_loss:
            self.tripped = False
            return False
        reason = (
            f"daily loss {-pnl:.2f} beyond the limit {self.max_daily_loss:.2f} ({'paper' if self._paper else 'live'})"
        )
        if not self.tripped:
            log.error(
                "drawdown limit breached: halting trading", extra={"pnl": str(pnl), "limit": str(self.max_daily_loss)}
            )
        async with self._pool.acquire() as conn:
            if not (await read_trading_state(conn)).halted:
                await halt(conn, reason, SOURCE, bus=self._bus)
        self.tripped = True
        return True

    async def run(self, stopping: asyncio.Event) -> None:
        """Check every ``interval_s`` (or when poked) until ``stopping``."""
        while not stopping.is_set():
            try:
                await self.check()
            except Exception:  # noqa: BLE001 - P&L code failing is itself a reason to stop trading
                log.exception("drawdown check failed: halting trading")
                await halt_on_error(self._pool, self._bus, "drawdown check raised")
            await wait_event(self._wake, self._interval_s)
            self._wake.clear()


async def halt_on_error(pool: asyncpg.Pool, bus: MarketDataBus, what: str) -> None:
    """Halt because P&L code raised (an exception means HALT, R18); never raises itself."""
    try:
        async with pool.acquire() as conn:
            await halt(conn, f"{what}: P&L state unknown", SOURCE, bus=bus)
    except Exception:  # noqa: BLE001 - readers treat an unreadable state as halted anyway
        log.exception("could not persist the halt")


def loss_limit(cents: int) -> Decimal:
    """Dollars from a setting in cents."""
    return Decimal(cents) / 100
