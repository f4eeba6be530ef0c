"""signal_processor service: consumes signals, emits approved intents or denials.

At start-up it publishes its risk limits (setting name -> value) into ``risk_state('risk_limits')``, so
the API can show each gauge against its limit.

One gate is active at a time: the service holds a session advisory lock (``signal_processor:active_gate``)
on a connection of its own for as long as it runs, so a second instance waits as a standby until the
first is gone; the in-memory risk book (see ``risk_book``) is then complete, since the active gate is the
only writer of intents. Losing that connection stops the service (a standby may have taken over). The
book is refreshed from the database every ``SIGNAL_RISK_REFRESH_S`` in the background, and a trading-state
change heard on the bus applies at once.
"""

from __future__ import annotations

import asyncio
import logging
from typing import ClassVar

import asyncpg

from services.signal_processor.config import SignalProcessorSettings
from services.signal_processor.handlers import SignalHandler
from shared.aio import wait_event
from shared.bus import keys
from shared.config import ArbeesSettings
from shared.messages import SignalGenerated, TradingStateChanged, utc_now
from shared.runtime.service import Service, ServiceContext
from shared.trading_state import TradingState

log = logging.getLogger(__name__)
GATE_LOCK = "signal_processor:active_gate"
LOCK_CHECK_S = 1.0


class GateLost(RuntimeError):
    """The connection holding the active gate's lock failed: another instance may be the gate now."""


class SignalProcessorService(Service):
    """The risk gate."""

    name: ClassVar[str] = "signal_processor"
    settings_class: ClassVar[type[SignalProcessorSettings]] = SignalProcessorSettings

    def __init__(self, settings: SignalProcessorSettings) -> None:
        super().__init__(settings)
        self.limits = settings
        self.handler = SignalHandler(settings)
        self._gate_conn: asyncpg.Connection | None = None

    async def start(self, ctx: ServiceContext) -> None:
        self.handler.bus = ctx.infra.market_data  # a fail-closed halt is announced at once
        await self._become_the_gate(ctx)
        names = sorted(
            n
            for n in SignalProcessorSettings.model_fields.keys() - ArbeesSettings.model_fields.keys()
            if not n.startswith("risk_")
        )
        await ctx.infra.pool.execute(
            """INSERT INTO risk_state (key, value, updated_at) VALUES ('risk_limits', $1, now())
               ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = EXCLUDED.updated_at""",
            {name: str(getattr(self.limits, name)) for name in names},
        )
        subscribed = asyncio.Event()
        ctx.spawn(self._follow_trading_state(ctx, subscribed), name="signal_processor:trading-state")
        await subscribed.wait()
        async with ctx.infra.pool.acquire() as conn:
            await self.handler.book.refresh(conn, utc_now())
        if self.limits.risk_refresh_s > 0:
            ctx.spawn(self._refresh(ctx), name="signal_processor:risk-book")
        self.consume(ctx, keys.SIGNALS, self.handler, (SignalGenerated,))

    async def _become_the_gate(self, ctx: ServiceContext) -> None:
        conn: asyncpg.Connection = await ctx.infra.pool.acquire()
        if not await conn.fetchval("SELECT pg_try_advisory_lock(hashtext($1))", GATE_LOCK):
            log.warning("another signal processor is the active gate; waiting as a standby")
            await conn.execute("SELECT pg_advisory_lock(hashtext($1))", GATE_LOCK)
        log.info("active risk gate")
        self._gate_conn = conn
        ctx.spawn(self._hold_the_gate(ctx, conn), name="signal_processor:gate-lock")

    async def _hold_the_gate(self, ctx: ServiceContext, conn: asyncpg.Connection) -> None:
        try:
            while not await wait_event(ctx.stopping, LOCK_CHECK_S):
                try:
                    await conn.fetchval("SELECT 1")
                except (asyncpg.PostgresError, OSError, asyncpg.InterfaceError) as e:
                    log.critical("ALERT: lost the active gate's lock; stopping", extra={"error": repr(e)})
                    raise GateLost(f"the connection holding {GATE_LOCK} failed: {e!r}") from e
        finally:
            try:
                await conn.execute("SELECT pg_advisory_unlock(hashtext($1))", GATE_LOCK)
            except (asyncpg.PostgresError, OSError, asyncpg.InterfaceError):
                pass  # the connection is gone, and the lock with it
            await ctx.infra.pool.release(conn)

    async def _refresh(self, ctx: ServiceContext) -> None:
        book = self.handler.book
        while not await wait_event(ctx.stopping, self.limits.risk_refresh_s):
            try:
                async with ctx.infra.pool.acquire() as conn:
                    await book.refresh(conn, utc_now())
            except Exception:  # noqa: BLE001 - the next round tries again; past max age decisions read first
                log.exception("risk book refresh failed")

    async def _follow_trading_state(self, ctx: ServiceContext, subscribed: asyncio.Event) -> None:
        stream = ctx.infra.market_data.subscribe([keys.TRADING_STATE], ctx.stopping, subscribed=subscribed)
        async for _topic, message in stream:
            if isinstance(message, TradingStateChanged) and self.handler.book.snapshot is not None:
                self.handler.book.set_trading(
                    TradingState(message.state, message.reason, message.source, message.ts_event)
                )
