"""position_tracker service: positions from fills, settlement from resolutions, marks from prices."""

from __future__ import annotations

from typing import ClassVar

from services.position_tracker.config import PositionTrackerSettings
from services.position_tracker.handlers import FillHandler, SettlementHandler
from services.position_tracker.marks import Marker, snapshot_loop
from shared.bus import keys
from shared.messages import MarketSettled, OrderFilled
from shared.runtime.service import Service, ServiceContext


class PositionTrackerService(Service):
    """Keeps positions and P&L."""

    name: ClassVar[str] = "position_tracker"
    settings_class: ClassVar[type[PositionTrackerSettings]] = PositionTrackerSettings

    def __init__(self, settings: PositionTrackerSettings) -> None:
        super().__init__(settings)
        self.tracker_settings = settings

    async def start(self, ctx: ServiceContext) -> None:
        infra = ctx.infra
        self.consume(ctx, keys.FILLS, FillHandler(infra.market_data), (OrderFilled,))
        self.consume(ctx, keys.SETTLEMENTS, SettlementHandler(), (MarketSettled,))
        marker = Marker(infra.pool, infra.market_data, self.tracker_settings.mark_min_interval_s)
        ctx.spawn(marker.follow(ctx.stopping), name="position_tracker:prices")
        ctx.spawn(marker.flush_loop(ctx.stopping), name="position_tracker:marks")
        ctx.spawn(
            snapshot_loop(infra.pool, self.tracker_settings.snapshot_interval_s, ctx.stopping),
            name="position_tracker:snapshots",
        )
