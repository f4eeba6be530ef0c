"""futures_monitor service: every ``poll_interval_s`` one :class:`~services.futures_monitor.monitor.FuturesMonitor`
tick on the wall clock, with the production Kalshi REST client and Polymarket CLOB reader (public market data).

A failed tick is logged and the next one retries; the service never stops on a venue or database error.
"""

from __future__ import annotations

import asyncio
import logging
from typing import ClassVar

import httpx

from markets.kalshi.config import KalshiSettings
from markets.kalshi.rest import KalshiRestClient
from markets.polymarket.clob import ClobReader
from markets.polymarket.config import PolymarketSettings
from services.futures_monitor.config import FuturesSettings
from services.futures_monitor.monitor import FuturesMonitor, TickResult
from services.futures_monitor.quotes import VenueLineReader
from shared.aio import wait_event
from shared.config import load_settings
from shared.messages import utc_now
from shared.runtime.service import Service, ServiceContext

log = logging.getLogger(__name__)


class FuturesMonitorService(Service):
    """Pre-game lines of the discovered games: history, movements, hand-off at start."""

    name: ClassVar[str] = "futures_monitor"
    settings_class: ClassVar[type[FuturesSettings]] = FuturesSettings

    def __init__(self, settings: FuturesSettings) -> None:
        super().__init__(settings)
        self.config = settings
        self.kalshi_settings = load_settings(KalshiSettings)
        self.polymarket_settings = load_settings(PolymarketSettings)
        self.monitor: FuturesMonitor | None = None
        self.ticks = 0
        self.failed_ticks = 0
        self.points = 0
        self.movements = 0
        self.handoffs = 0
        self.watched = 0

    async def start(self, ctx: ServiceContext) -> None:
        kalshi = KalshiRestClient(self.kalshi_settings)
        http = httpx.AsyncClient(timeout=self.polymarket_settings.http_timeout_s)
        reader = VenueLineReader(kalshi, ClobReader(http, self.polymarket_settings.clob_url))
        self.monitor = FuturesMonitor(self.config, ctx.infra.pool, ctx.infra.market_data, reader)
        ctx.spawn(self._loop(ctx, self.monitor), name="futures_monitor:poll")

        async def close_on_stop() -> None:
            await ctx.stopping.wait()
            await asyncio.gather(kalshi.aclose(), http.aclose(), return_exceptions=True)

        ctx.spawn(close_on_stop(), name="futures_monitor:close")

    async def _loop(self, ctx: ServiceContext, monitor: FuturesMonitor) -> None:
        while not ctx.stopping.is_set():
            try:
                self._count(await monitor.tick(utc_now()))
            except Exception:  # noqa: BLE001 - the next tick retries
                self.failed_ticks += 1
                log.exception("futures monitor tick failed")
            await wait_event(ctx.stopping, self.config.poll_interval_s)

    def _count(self, result: TickResult) -> None:
        self.ticks += 1
        self.watched = result.watched
        self.points += result.points
        self.movements += len(result.movements)
        self.handoffs += len(result.handoffs)

    def health_details(self) -> dict[str, str | int | float | bool]:
        details = super().health_details()
        details.update(
            ticks=self.ticks,
            failed_ticks=self.failed_ticks,
            watched_games=self.watched,
            line_points=self.points,
            line_movements=self.movements,
            handoffs=self.handoffs,
        )
        return details
