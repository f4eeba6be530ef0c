"""The venue's dead-man switch, kept armed while our orders rest (R19).

Once heartbeats have started, Polymarket cancels every open order of the API key when none arrives for
10 s. :class:`DeadManSwitch` sends ``POST /v1/heartbeats`` every ``interval_s`` (well inside 10 s) while
any of our orders may rest (an order whose submit answer was lost counts), and goes quiet when none do.
If this process freezes, dies or loses the network, the beats stop and the venue cancels what rests —
which is the point. When the geoblock gate trips, the trader refuses the beat, so the switch stops for
good and the venue cancels our orders.

References
----------
py-clob-client ``post_heartbeat`` ("if heartbeats are started and one isn't sent within 10s, all orders
will be cancelled"); venues.md §2.5; reliability.md R19. The id rotates: each answer names the next one,
and a stale id is refused with 400 ``{"error_msg": "Invalid Heartbeat ID", "heartbeat_id": <expected>}``,
whose id we adopt at once (issue 9).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from markets.polymarket.errors import HeartbeatMismatch
from markets.polymarket.trading import ClobTrader
from shared.errors import Geoblocked, VenueError

log = logging.getLogger(__name__)
VENUE_TIMEOUT_S = 10.0


@dataclass
class HeartbeatStats:
    """Counters of the switch."""

    sent: int = 0
    failed: int = 0
    resynced: int = 0
    last_ok_at: float | None = None
    stopped_reason: str | None = None


class DeadManSwitch:
    """Heart-beats the venue while ``needed()`` says orders may rest.

    Parameters
    ----------
    trader
        Sends the beats (and refuses them once the geoblock gate has tripped).
    needed
        True while any of our orders may rest at the venue.
    interval_s
        Seconds between beats; must be well under the venue's 10 s.
    """

    def __init__(
        self,
        trader: ClobTrader,
        needed: Callable[[], bool],
        *,
        interval_s: float = 5.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if not 0 < interval_s < VENUE_TIMEOUT_S:
            raise ValueError(f"heartbeat interval must be in (0, {VENUE_TIMEOUT_S}) s, not {interval_s}")
        self._trader = trader
        self._needed = needed
        self.interval_s = interval_s
        self._clock = clock
        self._wake = asyncio.Event()
        self._heartbeat_id = ""
        self._next_due = 0.0
        self.stats = HeartbeatStats()

    def kick(self) -> None:
        """An order may now rest: beat at once unless the last beat is recent enough."""
        self._wake.set()

    @property
    def stopped(self) -> bool:
        """True once the switch has stopped for good (geoblock)."""
        return self.stats.stopped_reason is not None

    async def run(self) -> None:
        """Beat until cancelled (or until the gate trips)."""
        while not self.stopped:
            if self._needed() and self._clock() >= self._next_due:
                await self.beat()
            self._wake.clear()
            wait = max(0.05, self._next_due - self._clock()) if self._needed() else self.interval_s
            with contextlib.suppress(TimeoutError):  # asyncio.timeout: wait_for can swallow a cancel on 3.11
                async with asyncio.timeout(wait):
                    await self._wake.wait()

    async def beat(self) -> None:
        """Send one heartbeat; failures are counted and retried soon, a geoblock stops the switch for good.

        A refusal naming the expected heartbeat id (stale id) is answered by adopting it and beating
        again at once (once per call).
        """
        try:
            try:
                answer = await self._trader.heartbeat(self._heartbeat_id)
            except HeartbeatMismatch as e:
                self.stats.resynced += 1
                log.warning("polymarket heartbeat id was stale; adopting the venue's", extra=_EXTRA)
                self._heartbeat_id = e.heartbeat_id
                answer = await self._trader.heartbeat(self._heartbeat_id)
        except Geoblocked as e:
            self.stats.stopped_reason = str(e)
            log.error("polymarket heartbeat stopped (geoblocked): the venue will cancel our orders", extra=_EXTRA)
            return
        except VenueError as e:
            self.stats.failed += 1
            self._next_due = self._clock() + min(1.0, self.interval_s / 2)
            log.warning("polymarket heartbeat failed: %s", e, extra=_EXTRA)
            return
        now = self._clock()
        self._next_due = now + self.interval_s
        self.stats.sent += 1
        self.stats.last_ok_at = now
        if isinstance(answer, dict) and answer.get("heartbeat_id"):
            self._heartbeat_id = str(answer["heartbeat_id"])


_EXTRA = {"venue": "polymarket"}
