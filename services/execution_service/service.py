"""execution_service: consumes approved intents and drives the execution engines."""

from __future__ import annotations

from typing import ClassVar

from markets.base import ExecutionEngine
from services.execution_service.config import ExecutionSettings
from services.execution_service.engines import build_engines
from services.execution_service.handlers import SubmitHandler
from shared.bus import keys
from shared.messages import SubmitOrder
from shared.prices import Venue
from shared.runtime.service import Service, ServiceContext


class ExecutionService(Service):
    """Places orders; paper unless real trading is explicitly enabled."""

    name: ClassVar[str] = "execution_service"
    settings_class: ClassVar[type[ExecutionSettings]] = ExecutionSettings

    def __init__(self, settings: ExecutionSettings) -> None:
        super().__init__(settings)
        self.exec_settings = settings
        self.engines: dict[Venue, ExecutionEngine] = {}

    async def start(self, ctx: ServiceContext) -> None:
        self.engines = build_engines(self.exec_settings, ctx.infra.market_data)
        self.consume(ctx, keys.ORDER_SUBMIT, SubmitHandler(self.engines), (SubmitOrder,))

    def health_details(self) -> dict[str, str | int | float | bool]:
        details = super().health_details()
        details["mode"] = self.exec_settings.trading_mode
        return details
