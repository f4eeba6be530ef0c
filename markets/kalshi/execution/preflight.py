"""Start-up checks before real trading on Kalshi: clock, credentials, exchange status.

1. **Clock.** Kalshi has no server-time endpoint (none in docs.kalshi.com's API reference or
   ``openapi.yaml``), so the venue's time is read from the HTTP ``Date`` header (RFC 9110 §6.6.1) of an
   unsigned ``GET /exchange/status``. ``Date`` has one-second resolution and is truncated, so the
   venue time is taken as ``Date + 0.5 s`` and compared with the midpoint of our send and receive
   times: the error is at most half a second plus half the round trip. Signed requests carry our
   millisecond timestamp and the venue refuses one outside its window with a 401, so a skewed clock
   must stop start-up (:class:`~shared.errors.AuthOrClock`, code ``clock_skew``) rather than produce
   a stream of 401s (reliability.md R22).
2. **Credentials.** A signed ``GET /portfolio/balance``; a 401 is :class:`~shared.errors.AuthOrClock`.
3. **Exchange.** ``GET /exchange/status``: ``exchange_active`` and ``trading_active`` must both be true
   ("can become false at any time"); otherwise :class:`~shared.errors.Retryable` with code
   ``exchange_inactive`` / ``trading_inactive`` and the estimated resume time as the hint.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

import httpx

from markets.kalshi.errors import VENUE, error_from_transport
from markets.kalshi.models import ExchangeState, KalshiBalance
from markets.kalshi.rest import KalshiRestClient
from markets.preflight import check_clock
from shared.errors import Fatal, Retryable

_DATE_RESOLUTION_S = 1.0


@dataclass(frozen=True, slots=True)
class PreflightResult:
    """What start-up saw: clock skew in seconds (venue - local), the exchange and the balance."""

    skew_s: float
    exchange: ExchangeState
    balance: KalshiBalance


async def venue_clock(base_url: str, clock: Callable[[], float], timeout_s: float = 5.0) -> tuple[datetime, datetime]:
    """``(venue_time, local_time)`` from the ``Date`` header of an unsigned ``GET /exchange/status``.

    Raises
    ------
    shared.errors.Retryable
        The venue could not be reached.
    shared.errors.Fatal
        The answer carried no usable ``Date`` header (the clock cannot be checked).
    """
    async with httpx.AsyncClient(timeout=timeout_s) as http:
        sent = clock()
        try:
            response = await http.get(f"{base_url}/exchange/status", headers={"Accept": "application/json"})
        except httpx.TransportError as e:
            raise error_from_transport(e, mutating=False) from e
        received = clock()
    header = response.headers.get("date")
    try:
        venue = parsedate_to_datetime(header) if header else None
    except (TypeError, ValueError):
        venue = None
    if venue is None or venue.tzinfo is None:
        raise Fatal(f"kalshi answered without a usable Date header ({header!r}); cannot check the clock", venue=VENUE)
    local = datetime.fromtimestamp((sent + received) / 2, UTC)
    return venue.astimezone(UTC) + timedelta(seconds=_DATE_RESOLUTION_S / 2), local


async def preflight(
    rest: KalshiRestClient, base_url: str, clock: Callable[[], float], max_skew_s: float
) -> PreflightResult:
    """Run the start-up checks in order (clock, credentials, exchange); see the module docstring.

    Raises
    ------
    shared.errors.AuthOrClock
        The clock is skewed beyond ``max_skew_s`` (``clock_skew``) or the key was refused (401).
    shared.errors.Retryable
        The exchange or trading is paused, or the venue could not be reached.
    shared.errors.Fatal
        The venue's answers cannot be used.
    """
    venue_time, local_time = await venue_clock(base_url, clock)
    skew = check_clock(VENUE, venue_time, local_time, max_skew_s)
    balance = await rest.get_balance()
    exchange = await rest.get_exchange_status()
    if not exchange.exchange_active or not exchange.trading_active:
        code = "exchange_inactive" if not exchange.exchange_active else "trading_inactive"
        resume = exchange.estimated_resume_time
        wait_s = max(1.0, (resume - datetime.now(UTC)).total_seconds()) if resume else 60.0
        raise Retryable(
            f"kalshi {code.replace('_', ' ')} (estimated resume: {resume or 'unknown'}); not starting to trade",
            retry_after_s=wait_s,
            venue=VENUE,
            code=code,
        )
    return PreflightResult(skew, exchange, balance)
