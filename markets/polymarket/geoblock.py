"""Geoblock compliance: the ``/api/geoblock`` probe and the :class:`TradingGate` that fails closed.

Polymarket refuses orders from some countries (blocked) and lets others only close positions
(close-only). Arbees treats the venue's answer as final: once the probe says *blocked*, or any call
answers with the region refusal (HTTP 403 "Trading restricted in your region…" or a Cloudflare 403
page), the gate trips and every further trading call on Polymarket fails with :class:`Geoblocked`
without contacting the venue. Nothing retries it, nothing works around it; only a new process (after
an operator has moved the deployment to a permitted region) starts with a fresh gate.

The gate also fails closed before the first probe: trading calls are refused until
:func:`check_geoblock` has answered.

References
----------
https://docs.polymarket.com/api-reference/geoblock (response fields, blocked and close-only lists)
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from enum import StrEnum

import httpx

from markets.polymarket import parsing
from markets.polymarket.errors import VENUE, map_response, map_transport
from markets.polymarket.transport import decode_body
from markets.polymarket.types import GeoblockAnswer
from shared.errors import Geoblocked, VenueError

log = logging.getLogger(__name__)

# Close-only jurisdictions (may reduce positions, not open them), from the geoblock docs page.
CLOSE_ONLY_COUNTRIES = frozenset({"PL", "SG", "TH", "TW"})


class GateState(StrEnum):
    """What the gate allows."""

    UNCHECKED = "unchecked"  # no probe yet: trading refused
    OPEN = "open"
    CLOSE_ONLY = "close_only"  # reduce-only: cancels and position-reducing orders
    BLOCKED = "blocked"  # terminal for this process


@dataclass(frozen=True, slots=True)
class GeoblockStatus:
    """The probe's answer with our classification."""

    blocked: bool
    close_only: bool
    country: str
    region: str
    ip: str = ""


class TradingGate:
    """Admits or refuses Polymarket trading calls; trips permanently on a geoblock answer.

    Idempotent: tripping twice keeps the first reason. Thread-safe enough for its use (state only moves
    towards ``BLOCKED``).
    """

    def __init__(self) -> None:
        self.state = GateState.UNCHECKED
        self.reason = "geoblock not checked yet"
        self.refused_calls = 0

    def trip(self, reason: str) -> None:
        """Stop all trading on Polymarket for the life of this gate."""
        if self.state is not GateState.BLOCKED:
            log.error("polymarket trading stopped: %s", reason, extra={"venue": VENUE})
            self.state = GateState.BLOCKED
            self.reason = reason

    def allow(self, status: GeoblockStatus) -> None:
        """Record a probe answer (never re-opens a tripped gate)."""
        if self.state is GateState.BLOCKED:
            return
        if status.blocked and not status.close_only:
            self.trip(f"geoblock probe: blocked ({status.country}-{status.region})")
        elif status.close_only:
            self.state = GateState.CLOSE_ONLY
            self.reason = f"close-only jurisdiction {status.country}"
        else:
            self.state = GateState.OPEN
            self.reason = ""

    def check(self, *, opening: bool) -> None:
        """Raise :class:`Geoblocked` unless this call may go to the venue.

        Parameters
        ----------
        opening
            True for a call that can open or increase a position (a new order); cancels and
            position-reducing orders pass ``False`` (allowed in close-only jurisdictions).
        """
        refused = self.state in (GateState.UNCHECKED, GateState.BLOCKED) or (
            self.state is GateState.CLOSE_ONLY and opening
        )
        if refused:
            self.refused_calls += 1
            raise Geoblocked(f"polymarket trading refused: {self.reason}", venue=VENUE)

    def observe(self, error: VenueError) -> VenueError:
        """Trip on a :class:`Geoblocked` error from any call; returns ``error`` for re-raising."""
        if isinstance(error, Geoblocked):
            self.trip(str(error))
        return error

    @property
    def tripped(self) -> bool:
        """True once trading has stopped for good."""
        return self.state is GateState.BLOCKED


def classify(answer: GeoblockAnswer) -> GeoblockStatus:
    """Blocked / close-only from the probe's answer and the documented close-only list."""
    close_only = answer.country in CLOSE_ONLY_COUNTRIES
    return GeoblockStatus(
        blocked=answer.blocked, close_only=close_only, country=answer.country, region=answer.region, ip=answer.ip
    )


async def check_geoblock(http: httpx.AsyncClient, url: str, gate: TradingGate | None = None) -> GeoblockStatus:
    """Ask the venue whether this IP may trade; record the answer on ``gate``.

    Returns
    -------
    GeoblockStatus
        ``{blocked, close_only, country, region}``.

    Raises
    ------
    Geoblocked
        When the answer is *blocked* (not close-only); the gate is tripped first.
    Retryable
        When the probe itself failed (the gate stays closed: fail closed).
    """
    try:
        response = await http.get(url)
    except httpx.HTTPError as e:
        raise map_transport(e, mutation=False) from e
    body = decode_body(response)
    if response.status_code != 200:
        error = map_response(response.status_code, body, mutation=False, headers=response.headers)
        raise gate.observe(error) if gate else error
    status = classify(parsing.geoblock(body))
    if gate is not None:
        gate.allow(status)
    if status.blocked and not status.close_only:
        raise Geoblocked(f"geoblocked: {status.country}-{status.region}", venue=VENUE)
    return status
