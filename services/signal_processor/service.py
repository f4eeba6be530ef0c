"""signal_processor service: consumes signals, emits approved intents or denials."""

from __future__ import annotations

from typing import ClassVar

from services.signal_processor.config import SignalProcessorSettings
from services.signal_processor.handlers import SignalHandler
from shared.bus import keys
from shared.messages import SignalGenerated
from shared.runtime.service import Service, ServiceContext


class SignalProcessorService(Service):
    """The risk gate."""

    name: ClassVar[str] = "signal_processor"
    settings_class: ClassVar[type[SignalProcessorSettings]] = SignalProcessorSettings

    def __init__(self, settings: SignalProcessorSettings) -> None:
        super().__init__(settings)
        self.handler = SignalHandler(settings)

    async def start(self, ctx: ServiceContext) -> None:
        self.handler.bus = ctx.infra.market_data  # a fail-closed halt is announced at once
        self.consume(ctx, keys.SIGNALS, self.handler, (SignalGenerated,))
