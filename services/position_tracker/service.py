"""position_tracker service: positions from fills, settlement from resolutions, marks from prices."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from decimal import Decimal
from typing import ClassVar

import httpx

from markets.kalshi.config import KalshiSettings
from markets.kalshi.rest import KalshiRestClient
from markets.polymarket.config import PolymarketSettings
from markets.polymarket.gamma import GammaClient
from services.position_tracker.config import PositionTrackerSettings
from services.position_tracker.drawdown import DrawdownGuard, loss_limit
from services.position_tracker.exits import ExitRules, ExitWatcher
from services.position_tracker.guarded import halting_on_error
from services.position_tracker.handlers import FillHandler, SettlementHandler
from services.position_tracker.marks import Marker, snapshot_loop
from services.position_tracker.settlement import SettlementWatcher
from shared.bus import keys
from shared.config import load_settings
from shared.messages import GameStateUpdated, MarketSettled, OrderFilled
from shared.runtime.service import Service, ServiceContext


class PositionTrackerService(Service):
    """Keeps positions and P&L."""

    name: ClassVar[str] = "position_tracker"
    settings_class: ClassVar[type[PositionTrackerSettings]] = PositionTrackerSettings

    def __init__(self, settings: PositionTrackerSettings) -> None:
        super().__init__(settings)
        self.tracker_settings = settings
        self.watcher: SettlementWatcher | None = None
        self.drawdown: DrawdownGuard | None = None
        self.exits: ExitWatcher | None = None

    async def start(self, ctx: ServiceContext) -> None:
        infra = ctx.infra
        s = self.tracker_settings
        self.drawdown = DrawdownGuard(
            infra.pool,
            infra.market_data,
            paper=s.trading_mode == "paper",
            max_daily_loss=loss_limit(s.max_daily_loss_cents),
            interval_s=s.drawdown_interval_s,
        )
        fills = halting_on_error(
            FillHandler(infra.market_data, self.drawdown.poke), infra.pool, infra.market_data, "fill"
        )
        settlements = halting_on_error(SettlementHandler(), infra.pool, infra.market_data, "settlement")
        self.consume(ctx, keys.FILLS, fills, (OrderFilled,))
        self.consume(ctx, keys.SETTLEMENTS, settlements, (MarketSettled,))
        ctx.spawn(self.drawdown.run(ctx.stopping), name="position_tracker:drawdown")
        if s.exits:
            rules = ExitRules(
                take_profit=Decimal(s.exit_take_profit_cents) / 100,
                stop_loss=Decimal(s.exit_stop_loss_cents) / 100,
                model_flip=Decimal(s.exit_model_flip_cents) / 100,
                ttl=timedelta(seconds=s.exit_ttl_s),
            )
            self.exits = ExitWatcher(infra.store, infra.market_data, rules, s.exit_interval_s)
            ctx.spawn(self.exits.run(ctx.stopping), name="position_tracker:exits")
        marker = Marker(infra.pool, infra.market_data, self.tracker_settings.mark_min_interval_s)
        ctx.spawn(marker.follow(ctx.stopping), name="position_tracker:prices")
        ctx.spawn(marker.flush_loop(ctx.stopping), name="position_tracker:marks")
        ctx.spawn(
            snapshot_loop(infra.pool, self.tracker_settings.snapshot_interval_s, ctx.stopping),
            name="position_tracker:snapshots",
        )
        if self.tracker_settings.settlement_watch:
            ctx.spawn(self._watch_settlements(ctx), name="position_tracker:settlements")

    async def _watch_settlements(self, ctx: ServiceContext) -> None:
        polymarket = load_settings(PolymarketSettings)
        async with (
            KalshiRestClient(load_settings(KalshiSettings)) as kalshi,
            httpx.AsyncClient(timeout=polymarket.http_timeout_s) as http,
        ):
            watcher = SettlementWatcher(
                ctx.infra.store,
                kalshi,
                GammaClient(http, polymarket.gamma_url),
                self.tracker_settings.settlement_interval_s,
            )
            self.watcher = watcher

            async def follow_games() -> None:
                async for _topic, message in ctx.infra.market_data.subscribe((keys.GAME_STATE,), ctx.stopping):
                    if isinstance(message, GameStateUpdated):
                        watcher.on_game_state(message)

            async with asyncio.TaskGroup() as tg:
                tg.create_task(follow_games())
                tg.create_task(watcher.run(ctx.stopping))

    def health_details(self) -> dict[str, str | int | float | bool]:
        details = super().health_details()
        if self.watcher is not None:
            details["settlements_emitted"] = self.watcher.emitted
        if self.drawdown is not None and self.drawdown.last_pnl is not None:
            details["daily_pnl"] = str(self.drawdown.last_pnl)
            details["drawdown_tripped"] = self.drawdown.tripped
        if self.exits is not None:
            details["exit_signals"] = self.exits.emitted
        return details
