"""signal_processor service: consumes signals, emits approved intents or denials.

At start-up it publishes its risk limits (setting name -> value) into ``risk_state('risk_limits')``, so
the API can show each gauge against its limit.
"""

from __future__ import annotations

from typing import ClassVar

from services.signal_processor.config import SignalProcessorSettings
from services.signal_processor.handlers import SignalHandler
from shared.bus import keys
from shared.config import ArbeesSettings
from shared.messages import SignalGenerated
from shared.runtime.service import Service, ServiceContext


class SignalProcessorService(Service):
    """The risk gate."""

    name: ClassVar[str] = "signal_processor"
    settings_class: ClassVar[type[SignalProcessorSettings]] = SignalProcessorSettings

    def __init__(self, settings: SignalProcessorSettings) -> None:
        super().__init__(settings)
        self.limits = settings
        self.handler = SignalHandler(settings)

    async def start(self, ctx: ServiceContext) -> None:
        self.handler.bus = ctx.infra.market_data  # a fail-closed halt is announced at once
        names = sorted(SignalProcessorSettings.model_fields.keys() - ArbeesSettings.model_fields.keys())
        await ctx.infra.pool.execute(
            """INSERT INTO risk_state (key, value, updated_at) VALUES ('risk_limits', $1, now())
               ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = EXCLUDED.updated_at""",
            {name: str(getattr(self.limits, name)) for name in names},
        )
        self.consume(ctx, keys.SIGNALS, self.handler, (SignalGenerated,))
