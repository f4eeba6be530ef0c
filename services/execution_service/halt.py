"""The execution side of the kill switch (R18): on a halt, cancel every resting order and confirm it.

A halt is noticed two ways: the bus announcement (:class:`~shared.messages.TradingStateChanged`, topic
``trading_state`` key ``fleet``; at once) and a poll of the persisted state every ``poll_interval_s``
(a missed announcement, a halt written without one, or a state that cannot be read: fail closed). On the
change to halted, every engine's ``cancel_all`` runs concurrently, then ``open_orders`` must come back
empty; cancel-all is retried until it does or ``confirm_timeout_s`` has passed since the halt was noticed.
An unconfirmed venue is logged as an ``ALERT`` line. The cancellations are then recorded from the venues'
answers (the orders' rows and events, as reconciliation records them).

While trading stays halted, each poll asks every engine for its ``open_orders``: an order found resting
later (an external order, or a submit that raced the halt and landed after the first sweep) is swept
again the same way (cancel-all, confirmed, logged and recorded as another :class:`HaltSweep`). A venue
whose open orders cannot be read is skipped for that poll and asked again on the next.

Sending is not decided here: the submit path reads the persisted state itself (see ``gates``).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Iterable
from dataclasses import dataclass, field

import asyncpg

from markets.base import ExecutionEngine
from services.execution_service.reconcile import reconcile_once
from shared.aio import wait_event
from shared.bus import keys
from shared.bus.pubsub import MarketDataBus
from shared.db.uow import Store
from shared.messages import TradingStateChanged
from shared.prices import Venue
from shared.runtime.service import ServiceContext
from shared.trading_state import read_trading_state

log = logging.getLogger(__name__)
RETRY_PAUSE_S = 0.2


@dataclass(frozen=True, slots=True)
class VenueSweep:
    """One venue's part of a halt sweep: what was cancelled and whether nothing rests any more."""

    venue: Venue
    confirmed: bool
    cancelled: tuple[str, ...]
    attempts: int
    error: str | None = None


@dataclass(frozen=True, slots=True)
class HaltSweep:
    """A halt's cancel-all on every venue; ``elapsed_s`` runs from noticing the halt to the last confirmation."""

    reason: str
    elapsed_s: float
    venues: tuple[VenueSweep, ...]

    @property
    def confirmed(self) -> bool:
        """True when every venue showed no open order within the limit."""
        return all(v.confirmed for v in self.venues)


@dataclass
class HaltWatcher:
    """Watches the trading state and sweeps resting orders when trading is halted."""

    pool: asyncpg.Pool
    store: Store
    bus: MarketDataBus
    engines: dict[Venue, ExecutionEngine]
    poll_interval_s: float = 2.0
    confirm_timeout_s: float = 5.0
    halted: bool = False
    sweeps: list[HaltSweep] = field(default_factory=list)
    _lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    async def run(self, stopping: asyncio.Event) -> None:
        """Follow the bus and poll the persisted state until ``stopping``."""
        async with asyncio.TaskGroup() as tasks:
            tasks.create_task(self._follow_bus(stopping))
            tasks.create_task(self._poll(stopping))

    async def _follow_bus(self, stopping: asyncio.Event) -> None:
        async for _topic, message in self.bus.subscribe([keys.TRADING_STATE], stopping):
            if isinstance(message, TradingStateChanged):
                await self.observe(message.state == "halted", f"announced: {message.reason}")

    async def _poll(self, stopping: asyncio.Event) -> None:
        while not stopping.is_set():
            try:
                state = await read_trading_state(self.pool)
                await self.observe(state.halted, state.reason)
            except Exception:  # noqa: BLE001 - the watcher must outlive one failed pass
                log.exception("trading-state poll failed")
            await wait_event(stopping, self.poll_interval_s)

    async def observe(self, halted: bool, reason: str) -> HaltSweep | None:
        """Note the state; on the change to halted sweep every venue, and while halted sweep again any venue
        where an order rests (returns the sweep, else ``None``)."""
        async with self._lock:
            if not halted:
                self.halted = False
                return None
            if self.halted:
                sweep = await self._resweep(reason)
                if sweep is None:
                    return None
            else:
                self.halted = True
                sweep = await self.sweep(reason)
        await self._record_cancellations()
        return sweep

    async def _resweep(self, reason: str) -> HaltSweep | None:
        """While halted: sweep again the venues where an order rests now (``None`` when none does)."""
        resting: dict[Venue, list[str]] = {}
        for venue, engine in self.engines.items():
            try:
                async with asyncio.timeout(self.confirm_timeout_s):
                    orders = await engine.open_orders()
            except Exception as e:  # noqa: BLE001 - unreadable now: asked again on the next poll
                log.warning(
                    "halted: open orders unreadable", extra={"venue": venue, "error": f"{type(e).__name__}: {e}"}
                )
                continue
            if orders:
                resting[venue] = [o.client_order_id for o in orders]
        if not resting:
            return None
        log.warning("halted, but orders rest: sweeping again", extra={"resting": resting, "reason": reason})
        return await self.sweep(f"re-sweep while halted ({reason})", venues=resting)

    async def sweep(self, reason: str, venues: Iterable[Venue] | None = None) -> HaltSweep:
        """Cancel everything resting on every venue (or on ``venues``) and confirm none is left within
        ``confirm_timeout_s``."""
        started = time.monotonic()
        deadline = started + self.confirm_timeout_s
        engines = self.engines if venues is None else {v: self.engines[v] for v in venues}
        log.warning("trading halted: cancelling every resting order", extra={"reason": reason, "venues": list(engines)})
        swept = await asyncio.gather(*(self._sweep_venue(v, e, deadline) for v, e in engines.items()))
        sweep = HaltSweep(reason, time.monotonic() - started, tuple(swept))
        self.sweeps.append(sweep)
        for venue in sweep.venues:
            extra = {"venue": venue.venue, "cancelled": list(venue.cancelled), "attempts": venue.attempts}
            if venue.confirmed:
                log.info("halt: no resting order left", extra=extra | {"elapsed_s": round(sweep.elapsed_s, 3)})
            else:
                log.critical(
                    "ALERT: halt cancel-all not confirmed within %.1fs", self.confirm_timeout_s,
                    extra=extra | {"error": venue.error},
                )  # fmt: skip
        return sweep

    async def _sweep_venue(self, venue: Venue, engine: ExecutionEngine, deadline: float) -> VenueSweep:
        cancelled: list[str] = []
        attempts, error = 0, None
        while True:
            attempts += 1
            try:
                async with asyncio.timeout_at(_loop_deadline(deadline)):
                    cancelled += [c for c in await engine.cancel_all() if c not in cancelled]
                    if not await engine.open_orders():
                        return VenueSweep(venue, True, tuple(cancelled), attempts)
            except Exception as e:  # noqa: BLE001 - a failed or slow attempt is retried inside the window
                error = f"{type(e).__name__}: {e}"
            if time.monotonic() + RETRY_PAUSE_S >= deadline:
                return VenueSweep(venue, False, tuple(cancelled), attempts, error or "orders still open")
            await asyncio.sleep(RETRY_PAUSE_S)

    async def _record_cancellations(self) -> None:
        try:
            async with asyncio.timeout(self.confirm_timeout_s * 2):
                await reconcile_once(self.pool, self.store, self.engines)
        except Exception:  # noqa: BLE001 - the periodic reconciliation records them later
            log.exception("recording the halt's cancellations failed; reconciliation will retry")


def _loop_deadline(monotonic_deadline: float) -> float:
    loop = asyncio.get_running_loop()
    return loop.time() + (monotonic_deadline - time.monotonic())


def start_halt_watcher(
    ctx: ServiceContext, engines: dict[Venue, ExecutionEngine], poll_interval_s: float, confirm_timeout_s: float
) -> HaltWatcher:
    """Run a :class:`HaltWatcher` over ``engines`` in the service's task group."""
    infra = ctx.infra
    watcher = HaltWatcher(infra.pool, infra.store, infra.market_data, engines, poll_interval_s, confirm_timeout_s)
    ctx.spawn(watcher.run(ctx.stopping), name="execution_service:halt")
    return watcher
