"""execution_service: consumes approved intents and drives the execution engines."""

from __future__ import annotations

import asyncio
from decimal import Decimal
from typing import ClassVar, cast

from markets.base import ExecutionEngine
from services.execution_service import engines as engine_setup
from services.execution_service import sweep
from services.execution_service.config import ExecutionSettings
from services.execution_service.gates import ExecutionGates
from services.execution_service.halt import start_halt_watcher
from services.execution_service.handlers import SubmitHandler
from services.execution_service.legs import LegGuard, LegRules
from services.execution_service.queues import consume_by_venue
from services.execution_service.reconcile import reconcile_loop
from services.execution_service.recovery import Reconciler
from shared.messages import utc_now
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
        self.disabled: dict[Venue, str] = {}
        # The venue circuit (R20): the submit path asks ``circuit.allow(venue)`` and reports ``circuit.record``.
        self.circuit = sweep.build_circuit(settings)
        self.reconciler: Reconciler | None = None
        self.circuit_since: dict[str, tuple[str, str]] = {}  # circuit.<venue> -> (state, first reported, ISO)

    async def start(self, ctx: ServiceContext) -> None:
        infra = ctx.infra
        self.engines = engine_setup.build(self.exec_settings, infra.market_data)
        self.disabled = await engine_setup.start_all(self.engines)
        engine_setup.log_trading_mode(self.exec_settings.trading_mode, self.engines, self.disabled)
        ctx.spawn(self._close_on_stop(ctx.stopping), name="execution_service:engines")
        # Nothing is consumed before the venues are reconciled; a failure raises ReconciliationFailed (R04).
        self.reconciler = await sweep.start_recovery(ctx, self.engines, self.circuit, self.exec_settings)
        gates = ExecutionGates(infra.pool, infra.market_data, self.exec_settings.max_book_age_s)
        timeout_s = self.exec_settings.submit_timeout_s
        handler = SubmitHandler(
            self.engines, infra.pool, self.disabled, gates=gates, submit_timeout_s=timeout_s, circuit=self.circuit
        )
        # One queue per venue (a slow venue delays only its own orders), several orders in flight on each.
        consume_by_venue(self, ctx, handler, max_in_flight=self.exec_settings.max_in_flight)
        s = self.exec_settings
        self.halt_watcher = start_halt_watcher(ctx, self.engines, s.halt_poll_interval_s, s.halt_confirm_timeout_s)
        rules = LegRules(
            bound_s=s.legs_bound_s,
            hedge_cap=Decimal(s.hedge_cap_cents) / 100,
            hedge_attempts=s.hedge_attempts,
            unwind_attempts=s.unwind_attempts,
        )
        self.legs = LegGuard(infra.store, infra.market_data, rules, s.legs_interval_s, cancel=self._cancel)
        ctx.spawn(self.legs.run(ctx.stopping), name="execution_service:legs")
        ctx.spawn(
            reconcile_loop(
                infra.pool, infra.store, self.engines, self.exec_settings.reconcile_interval_s, ctx.stopping
            ),
            name="execution_service:reconcile",
        )

    async def _cancel(self, venue: str, client_order_id: str) -> None:
        engine = self.engines.get(cast(Venue, venue))
        if engine is not None:
            await engine.cancel(client_order_id)

    async def _close_on_stop(self, stopping: asyncio.Event) -> None:
        await stopping.wait()
        # The order in hand is finished (and acked) before the engines go away.
        if self.consumer_tasks:
            await asyncio.wait(self.consumer_tasks)
        await engine_setup.close_all(self.engines)

    def health_details(self) -> dict[str, str | int | float | bool]:
        details = super().health_details()
        details["mode"] = self.exec_settings.trading_mode
        for venue, reason in self.disabled.items():
            details[f"{venue}.disabled"] = reason
        health = sweep.health(self.circuit, self.reconciler, list(self.engines))
        details.update(health)
        for key, value in health.items():  # when each circuit's state was first reported (for the dashboard)
            if key.startswith("circuit."):
                state = str(value).partition(":")[0]
                if self.circuit_since.get(key, ("", ""))[0] != state:
                    self.circuit_since[key] = (state, utc_now().isoformat())
                details[f"{key}.since"] = self.circuit_since[key][1]
        return details
