"""Mapping Kalshi HTTP answers and transport failures onto the shared error taxonomy.

- 429 (body ``{"error":"too many requests"}``, no ``Retry-After``) → :class:`Retryable`.
- 5xx → :class:`Retryable` on a read; :class:`Ambiguous` on a mutating request (it may have acted).
- 401 → :class:`AuthOrClock` (bad key or signature, or a timestamp outside the venue's window); never
  retried blindly.
- 409 ``order_already_exists`` → :class:`Ambiguous`: an order with that ``client_order_id`` exists, so
  the create is resolved by querying it, never by marking it rejected.
- other 4xx → :class:`Rejected` carrying the venue's ``code`` (``invalid_order``, ``market_not_found``...);
  a market past close refuses every order operation, cancels included, with ``MARKET_INACTIVE``
  (:func:`market_closed`; venues.md §1.5).
- a transport error: before the request could reach the venue (connect failure, pool timeout) →
  :class:`Retryable`; after it may have (read/write timeout, dropped connection) → :class:`Ambiguous`
  on a mutating request, :class:`Retryable` on a read.

References
----------
https://docs.kalshi.com/getting_started/rate_limits ; venues.md §1.5.
"""

from __future__ import annotations

import json

import httpx
from pydantic import ValidationError

from markets.kalshi.schemas import ErrorBody, ErrorDetail
from shared.errors import Ambiguous, AuthOrClock, Rejected, Retryable, VenueError

VENUE = "kalshi"
DUPLICATE_CLIENT_ORDER_ID = "order_already_exists"
MARKET_CLOSED_CODES = frozenset({"MARKET_INACTIVE", "market_inactive", "market_closed"})
"""Codes meaning the order's market does not trade (any more): its orders can be neither placed nor cancelled."""
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout, httpx.UnsupportedProtocol)


def parse_error_body(body: bytes | str) -> ErrorDetail:
    """The ``error`` object of a Kalshi error body; a flat string becomes ``message``; junk becomes empty."""
    try:
        parsed = ErrorBody.model_validate(json.loads(body))
    except (ValueError, ValidationError):
        return ErrorDetail()
    if isinstance(parsed.error, str):
        return ErrorDetail(message=parsed.error)
    return parsed.error


def market_closed(error: VenueError) -> bool:
    """True when ``error`` is the venue refusing an order operation because the market does not trade."""
    return error.code in MARKET_CLOSED_CODES


def error_from_response(status: int, body: bytes | str, *, mutating: bool, retry_after_s: float = 1.0) -> VenueError:
    """The taxonomy error for a non-2xx answer.

    Parameters
    ----------
    status
        The HTTP status (>= 400).
    body
        The raw response body.
    mutating
        True for requests that change state (order create, cancel, amend).
    retry_after_s
        The hint put on a :class:`Retryable` (Kalshi sends none; callers add back-off and jitter).
    """
    detail = parse_error_body(body)
    code = detail.code
    text = "; ".join(p for p in (detail.message, detail.details) if p) or f"HTTP {status}"
    message = f"kalshi {status} {code or ''}: {text}".replace("  ", " ")
    if status == 429:
        return Retryable(message, retry_after_s=retry_after_s, venue=VENUE, status=status, code=code or "rate_limited")
    if status >= 500:
        if mutating:
            return Ambiguous(message, venue=VENUE, status=status, code=code)
        return Retryable(message, retry_after_s=retry_after_s, venue=VENUE, status=status, code=code)
    if status == 401:
        return AuthOrClock(message, venue=VENUE, status=status, code=code)
    if status == 409 and code == DUPLICATE_CLIENT_ORDER_ID:
        return Ambiguous(message, venue=VENUE, status=status, code=code)
    return Rejected(message, venue=VENUE, status=status, code=code)


def error_from_transport(exc: httpx.TransportError, *, mutating: bool, retry_after_s: float = 1.0) -> VenueError:
    """The taxonomy error for a transport failure (see the module docstring)."""
    name = type(exc).__name__
    if isinstance(exc, _NOT_SENT) or not mutating:
        return Retryable(f"kalshi transport error ({name}): {exc}", retry_after_s=retry_after_s, venue=VENUE)
    return Ambiguous(f"kalshi request may have been applied ({name}): {exc}", venue=VENUE, code="transport")
