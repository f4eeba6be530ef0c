"""When reconciliation runs: once before trading starts, then as a periodic sweep while running.

- :func:`reconcile_at_start` runs one full pass before the submit consumer exists; any failure raises
  :class:`~services.execution_service.recovery.ReconciliationFailed` with a clear message, so the
  service does not start and the process exits non-zero (``arbees run`` exits 2).
- :func:`sweep_loop` runs a pass every ``interval_s``. A failed pass halts trading
  (``shared.trading_state.halt``, source ``execution_service:reconcile``) and logs an ALERT line; the
  sweep keeps running, so cancels and reconciliation go on. A venue whose circuit is open is still
  reconciled, but its failures do not halt the fleet (its orders are already refused).
"""

from __future__ import annotations

import asyncio
import logging

from markets.base import ExecutionEngine
from services.execution_service import engines as engine_setup
from services.execution_service.circuit import VenueCircuit
from services.execution_service.config import ExecutionSettings
from services.execution_service.recovery import Findings, Policy, Reconciler, ReconciliationFailed
from shared.aio import wait_event
from shared.bus.pubsub import MarketDataBus
from shared.prices import Venue
from shared.runtime.service import ServiceContext
from shared.trading_state import halt

log = logging.getLogger(__name__)
HALT_SOURCE = "execution_service:reconcile"


async def reconcile_at_start(reconciler: Reconciler) -> Findings:
    """One pass before trading; raises :class:`ReconciliationFailed` when it cannot complete."""
    try:
        findings = await reconciler.run(at_start=True)
    except Exception as e:
        message = (
            f"execution_service: start-up reconciliation failed ({type(e).__name__}: {e}); trading not started (R04)"
        )
        log.critical(message)
        raise ReconciliationFailed(message) from e
    log.info(
        "start-up reconciliation done",
        extra={
            "refreshed": findings.refreshed,
            "external": findings.external,
            "position_mismatches": findings.position_mismatches,
            "expired": findings.expired,
            "republished": findings.republished,
            "unresolved": findings.unresolved,
        },
    )
    return findings


async def sweep_loop(
    reconciler: Reconciler,
    interval_s: float,
    stopping: asyncio.Event,
    *,
    bus: MarketDataBus | None = None,
    circuit: VenueCircuit | None = None,
    passes: asyncio.Event | None = None,
) -> None:
    """Reconcile every ``interval_s`` until ``stopping``; a failed pass halts trading (see the module docstring).

    ``passes`` is set after each completed pass (tests wait on it).
    """
    while not stopping.is_set():
        await wait_event(stopping, interval_s)
        if stopping.is_set():
            return
        await sweep_once(reconciler, bus=bus, circuit=circuit)
        if passes is not None:
            passes.set()


async def sweep_once(
    reconciler: Reconciler, *, bus: MarketDataBus | None = None, circuit: VenueCircuit | None = None
) -> bool:
    """One sweep; True if it completed. A failure (outside venues with an open circuit) halts trading."""
    open_venues = frozenset(v for v in reconciler.engines if circuit is not None and circuit.state(v) != "closed")
    try:
        await reconciler.run(skip=open_venues)
    except Exception as e:  # noqa: BLE001 - any failure halts trading; the sweep itself keeps running
        reason = f"reconciliation failed while running ({type(e).__name__}: {e})"
        log.critical("ALERT: %s; halting trading", reason, exc_info=True)
        try:
            async with reconciler.pool.acquire() as conn:
                await halt(conn, reason[:500], source=HALT_SOURCE, bus=bus)
        except Exception:  # noqa: BLE001 - the fleet reads a missing or unreadable state as halted anyway
            log.exception("could not record the halt")
        return False
    await _reconcile_open_venues(reconciler, open_venues)
    return True


async def _reconcile_open_venues(reconciler: Reconciler, venues: frozenset[str]) -> None:
    for venue in venues:
        engine = reconciler.engines[venue]  # type: ignore[index]
        try:
            await reconciler.reconcile_venue(engine.venue, engine, Findings(), at_start=False)
        except Exception as e:  # noqa: BLE001 - its circuit already refuses its orders; retried next sweep
            log.warning(
                "reconciliation of a venue with an open circuit failed", extra={"venue": venue, "error": str(e)}
            )


# -- wiring (used by ExecutionService) ----------------------------------------------------------


def build_circuit(settings: ExecutionSettings) -> VenueCircuit:
    """The venue circuit with the service's ``EXEC_CIRCUIT_*`` settings."""
    return VenueCircuit(
        failure_threshold=settings.circuit_failure_threshold,
        open_s=settings.circuit_open_s,
        open_max_s=settings.circuit_open_max_s,
        check_interval_s=settings.circuit_check_interval_s,
    )


async def start_recovery(
    ctx: ServiceContext, engines: dict[Venue, ExecutionEngine], circuit: VenueCircuit, settings: ExecutionSettings
) -> Reconciler:
    """Reconcile before trading (raises :class:`ReconciliationFailed`), then start the sweep and the circuit."""
    infra = ctx.infra
    policy = Policy(
        fills_lookback_s=settings.reconcile_fills_lookback_s,
        unsent_max_age_s=settings.unsent_intent_max_age_s,
        republish_after_s=settings.republish_after_s,
    )
    reconciler = Reconciler(infra.pool, infra.store, engines, policy, wake_relay=infra.relay.wake)
    try:
        await reconcile_at_start(reconciler)
    except ReconciliationFailed:
        await engine_setup.close_all(engines)  # the task group cancels the service's own closing task
        raise
    bus = infra.market_data
    sweep = sweep_loop(reconciler, settings.sweep_interval_s, ctx.stopping, bus=bus, circuit=circuit)
    ctx.spawn(sweep, name="execution_service:sweep")
    ctx.spawn(circuit.watch(engines, ctx.stopping), name="execution_service:circuit")
    return reconciler


def health(
    circuit: VenueCircuit, reconciler: Reconciler | None, venues: list[Venue]
) -> dict[str, str | int | float | bool]:
    """``circuit.<venue>`` per venue, and the last pass's external orders and position mismatches."""
    snapshot = circuit.snapshot()
    details: dict[str, str | int | float | bool] = {f"circuit.{v}": snapshot.get(v, "closed") for v in venues}
    last = reconciler.last if reconciler is not None else None
    if last is not None:
        details["reconcile.external_orders"] = len(last.external)
        details["reconcile.position_mismatches"] = "; ".join(last.position_mismatches) or "none"
    return details
