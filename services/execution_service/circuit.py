"""Venue health circuit (R20): no new orders to a venue that is failing; cancels and reconciliation go on.

Per venue the circuit is ``closed`` (orders pass), ``open`` (orders are refused with reason
``venue_circuit_open: ...``) or ``half_open`` (a probe is running; orders are still refused). It opens on

- ``failure_threshold`` consecutive server failures: 5xx, transport errors, ambiguous submits
  (:class:`~markets.base.Unknown`), ``venue_busy`` / ``venue_unreachable`` refusals;
- at once on an auth or clock error (401, skew), a geoblock, or the exchange saying
  ``trading_active=false`` / ``exchange_active=false`` (Kalshi ``GET /exchange/status``).

A closed or settled market (``MARKET_INACTIVE``, ``market_closed``: the venue, or the engine's own market
check, says it is not trading) is "cancel and stop": orders to that market are refused from then on with
reason ``market_closed: ...`` (never sent; the ledger counts it unsent), the submit path cancels our
resting orders on it (:func:`cancel_market_orders`), and other markets of the venue keep trading. It
also asks for an immediate probe: when the whole exchange is paused the probe opens the venue's circuit.

After ``open_s`` (doubled after each failed probe, at most ``open_max_s``) :meth:`VenueCircuit.watch`
probes the venue (half-open): Kalshi re-runs the engine's start-up checks (clock, key, balance,
exchange status; this also clears the engine's 401 latch), other engines read the balance. A good
probe closes the circuit; a 401 is therefore re-checked, never latched forever. While closed, a venue
with an exchange status is also polled every ``check_interval_s``, so a pause is seen before an order
hits it.

The submit path calls :meth:`VenueCircuit.allow` before sending and :meth:`VenueCircuit.record` with
what the engine answered (or the exception it raised).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from markets.base import Accepted, ExecutionEngine, OrderResult, Rejected, Unknown
from shared.aio import wait_event
from shared.errors import AuthOrClock, Geoblocked, Retryable, VenueError
from shared.errors import Rejected as VenueRejected

log = logging.getLogger(__name__)
REASON = "venue_circuit_open"
MARKET_CLOSED = "market_closed"
State = Literal["closed", "open", "half_open"]
_SERVER_CODES = frozenset({"venue_busy", "venue_unreachable"})
_AT_ONCE_CODES = frozenset({"auth_or_clock", "geoblocked", "trading_inactive", "exchange_inactive"})
_MARKET_CLOSED_CODES = frozenset({"MARKET_INACTIVE", "market_inactive", "market_closed", "inactive_market"})


@dataclass(slots=True)
class _Venue:
    state: State = "closed"
    reason: str = ""
    failures: int = 0
    opened: int = 0
    retry_at: float = 0.0
    delay_s: float = 0.0


class VenueCircuit:
    """One circuit per venue (see the module docstring).

    Parameters
    ----------
    failure_threshold
        Consecutive server failures that open the circuit.
    open_s, open_max_s
        First back-off before a probe, and its cap (doubled after each failed probe), in seconds.
    check_interval_s
        How often a closed venue's exchange status is polled (venues that have one).
    clock
        Monotonic seconds (injected in tests).
    """

    def __init__(
        self,
        *,
        failure_threshold: int = 3,
        open_s: float = 5.0,
        open_max_s: float = 60.0,
        check_interval_s: float = 5.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.failure_threshold = failure_threshold
        self.open_s = open_s
        self.open_max_s = open_max_s
        self.check_interval_s = check_interval_s
        self._clock = clock
        self._venues: dict[str, _Venue] = {}
        self._closed_markets: dict[tuple[str, str], str] = {}
        self._wake = asyncio.Event()
        self._status_wanted = False
        self.changed = asyncio.Event()  # set on every state change (tests and health wait on it)

    # -- the submit path's API -------------------------------------------------------------------

    def allow(self, venue: str, market_id: str | None = None) -> str | None:
        """``None`` when an order to ``venue`` (and ``market_id``) may be sent, else the refusal reason.

        The reason starts with ``venue_circuit_open`` (the venue) or ``market_closed`` (that market);
        cancels and reconciliation never ask.
        """
        state = self._venues.get(venue)
        if state is not None and state.state != "closed":
            return f"{REASON}: {venue} {state.state} ({state.reason})"
        closed = self.market_closed(venue, market_id)
        if closed is not None:
            return f"{MARKET_CLOSED}: {venue} market {market_id} is closed ({closed}); nothing more is sent to it"
        return None

    def market_closed(self, venue: str, market_id: str | None) -> str | None:
        """Why ``market_id`` on ``venue`` was found closed, or ``None`` while it is not known closed."""
        return self._closed_markets.get((venue, market_id)) if market_id is not None else None

    def record(self, venue: str, result: OrderResult | BaseException, market_id: str | None = None) -> None:
        """Count what a submit to ``venue`` answered (an outcome, or the exception the engine raised)."""
        verdict, reason = _classify(result)
        if verdict == "ok":
            self._venue(venue).failures = 0
        elif verdict == "failure":
            state = self._venue(venue)
            state.failures += 1
            if state.state == "closed" and state.failures >= self.failure_threshold:
                self._open(venue, f"{state.failures} consecutive server failures, last: {reason}")
        elif verdict == "open":
            self._open(venue, reason)
        elif verdict == "market_closed" and market_id is not None:
            if (venue, market_id) not in self._closed_markets:
                log.warning("market closed: cancel and stop", extra={"venue": venue, "market_id": market_id,
                                                                     "reason": reason})  # fmt: skip
            self._closed_markets[(venue, market_id)] = reason
            self._status_wanted = True  # a paused exchange also answers "market inactive": ask it now
            self._wake.set()

    # -- state -----------------------------------------------------------------------------------

    def state(self, venue: str) -> State:
        """The venue's circuit state (``closed`` for a venue never seen)."""
        return self._venues[venue].state if venue in self._venues else "closed"

    def snapshot(self) -> dict[str, str]:
        """``{venue: "closed" | "open: reason" | "half_open: reason"}`` for ``/health``."""
        return {v: s.state if s.state == "closed" else f"{s.state}: {s.reason}" for v, s in self._venues.items()}

    def _venue(self, venue: str) -> _Venue:
        return self._venues.setdefault(venue, _Venue())

    def _open(self, venue: str, reason: str) -> None:
        state = self._venue(venue)
        if state.state == "open":
            return
        was_half_open = state.state == "half_open"
        state.delay_s = min(self.open_max_s, state.delay_s * 2) if was_half_open else self.open_s
        state.state, state.reason, state.failures = "open", reason, 0
        state.retry_at = self._clock() + state.delay_s
        state.opened += 1
        self._changed()
        if not was_half_open:
            log.critical(
                "ALERT: venue circuit open; no new orders to %s",
                venue,
                extra={"venue": venue, "reason": reason, "retry_in_s": state.delay_s},
            )
        else:
            log.warning("venue probe failed; circuit stays open", extra={"venue": venue, "reason": reason})

    def _close(self, venue: str) -> None:
        state = self._venue(venue)
        if state.state == "closed":
            return
        log.warning("venue circuit closed after a good probe", extra={"venue": venue, "was": state.reason})
        state.state, state.reason, state.failures, state.delay_s = "closed", "", 0, 0.0
        self._changed()

    def _changed(self) -> None:
        self.changed.set()
        self._wake.set()

    # -- probing ---------------------------------------------------------------------------------

    async def watch(self, engines: dict[Any, ExecutionEngine], stopping: asyncio.Event) -> None:
        """Probe open circuits after their back-off and poll closed venues' exchange status until ``stopping``."""
        next_check = self._clock()

        async def wake_on_stop() -> None:  # a stop must not wait out the back-off
            await stopping.wait()
            self._wake.set()

        stopper = asyncio.create_task(wake_on_stop())
        try:
            while not stopping.is_set():
                due = [s.retry_at for s in self._venues.values() if s.state == "open"]
                wait_s = min([next_check, *due]) - self._clock()
                if wait_s > 0 and not self._status_wanted:
                    await wait_event(self._wake, wait_s)
                self._wake.clear()
                if stopping.is_set():
                    return
                check_status = self._status_wanted or self._clock() >= next_check
                if check_status:
                    self._status_wanted = False
                    next_check = self._clock() + self.check_interval_s
                await self.check(engines, status=check_status)
        finally:
            stopper.cancel()

    async def check(self, engines: dict[Any, ExecutionEngine], *, status: bool = True) -> None:
        """One round of :meth:`watch`: probe each open circuit whose back-off is over; with ``status``, also
        ask each closed venue whether its exchange is trading."""
        for venue, engine in list(engines.items()):
            await self._probe_if_due(venue, engine, status=status)

    async def _probe_if_due(self, venue: str, engine: ExecutionEngine, *, status: bool) -> None:
        state = self._venue(venue)
        if state.state == "open" and self._clock() >= state.retry_at:
            state.state = "half_open"
            self._changed()
            failure = await probe(engine)
            if failure is None:
                self._close(venue)
            else:
                self._open(venue, failure)
        elif state.state == "closed" and status:
            paused = await exchange_paused(engine)
            if paused is not None:
                self._open(venue, paused)


async def cancel_market_orders(engine: ExecutionEngine, market_id: str, timeout_s: float) -> list[str]:
    """Cancel our resting orders on a market found closed; the client order ids cancelled.

    One ``cancel_all`` of that market, never repeated, within ``timeout_s``. Kalshi answers ``MARKET_INACTIVE``
    to every order operation once a market has closed, cancels included, and cancels what rests there itself
    (venues.md §1.5): its engine then reads each refused order back (a venue-cancelled one counts as
    cancelled here) and no error reaches the circuit, which keeps the venue's other markets trading. A
    failure is logged; the orders' rows are recorded by the submit handler and by reconciliation either way.
    """
    try:
        async with asyncio.timeout(timeout_s):
            cancelled = await engine.cancel_all(market_id)
    except Exception as e:  # noqa: BLE001 - reported; reconciliation records whatever the venue did
        log.warning(
            "could not cancel the resting orders of a closed market",
            extra={"venue": engine.venue, "market_id": market_id, "error": f"{type(e).__name__}: {e}"},
        )
        return []
    log.warning(
        "closed market: resting orders cancelled",
        extra={"venue": engine.venue, "market_id": market_id, "cancelled": cancelled},
    )
    return cancelled


async def exchange_paused(engine: ExecutionEngine) -> str | None:
    """Why the venue's exchange is not trading now (Kalshi ``GET /exchange/status``), else ``None``.

    Engines without an exchange status answer ``None``; a failed read is not a pause (the submit path
    counts real failures).
    """
    rest = getattr(engine, "rest", None)
    status_call = getattr(rest, "get_exchange_status", None)
    if status_call is None:
        return None
    try:
        status = await status_call()
    except VenueError as e:
        log.info("exchange status unreadable", extra={"venue": engine.venue, "error": str(e)})
        return None
    if not status.exchange_active:
        return "exchange_active=false"
    if not status.trading_active:
        return "trading_active=false"
    return None


async def probe(engine: ExecutionEngine) -> str | None:
    """One half-open probe: ``None`` when the venue is fit to take orders again, else why not.

    Kalshi: the engine's start-up checks (clock, key, balance, exchange status), which also clear its
    401 latch; other engines: a balance read (a signed call, so the key and the clock are exercised).
    """
    try:
        if getattr(getattr(engine, "rest", None), "get_exchange_status", None) is not None:
            await engine.start()
        else:
            await engine.balance()
    except VenueError as e:
        return f"probe failed: {type(e).__name__}: {e}"
    except Exception as e:  # noqa: BLE001 - any failure keeps the circuit open; it is reported, not raised
        return f"probe failed: {type(e).__name__}: {e}"
    return None


def _classify(result: OrderResult | BaseException) -> tuple[str, str]:
    """``(verdict, reason)``; verdict is ``ok``, ``failure``, ``open``, ``market_closed`` or ``neutral``."""
    if isinstance(result, Accepted):
        return "ok", ""
    if isinstance(result, Unknown):
        return "failure", f"outcome unknown: {result.reason}"
    if isinstance(result, Rejected):
        if result.code in _AT_ONCE_CODES:
            return "open", f"{result.code}: {result.reason}"
        if result.code in _SERVER_CODES:
            return "failure", f"{result.code}: {result.reason}"
        if result.code in _MARKET_CLOSED_CODES:
            return "market_closed", f"{result.code}: {result.reason}"
        return ("ok" if result.sent else "neutral"), ""
    if isinstance(result, (AuthOrClock, Geoblocked)):
        return "open", f"{type(result).__name__}: {result}"
    if isinstance(result, Retryable) and result.code in _AT_ONCE_CODES:
        return "open", f"{result.code}: {result}"
    if isinstance(result, VenueRejected):
        if result.code in _MARKET_CLOSED_CODES:
            return "market_closed", f"{result.code}: {result}"
        return "neutral", ""
    if isinstance(result, VenueError) and result.status is not None and result.status < 500:
        return "neutral", ""
    return "failure", f"{type(result).__name__}: {result}"
