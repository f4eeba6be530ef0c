"""Polymarket answers mapped onto the shared error taxonomy (:mod:`shared.errors`).

=========================================================  ==========================================
Answer                                                     Class
=========================================================  ==========================================
403 ``{"error": "Trading restricted in your region…"}``    :class:`Geoblocked` (never retried)
403 HTML page (Cloudflare "Attention Required")            :class:`Geoblocked` (never retried)
other 403, 401 ``Unauthorized/Invalid api key``            :class:`AuthOrClock`
429 ``{"error": "Too Many Requests"}``                     :class:`Retryable`
425 (matching engine restart), 503 venue JSON              :class:`Retryable` (``retry_after_seconds`` /
(trading disabled, cancel-only, post-only)                 ``Retry-After`` honoured)
400/404/422 and ``success: false``                         :class:`Rejected` (the venue's message kept)
other 5xx on a read                                        :class:`Retryable`
500 ``order timed out``, 502/504, non-JSON 503 on a        :class:`Ambiguous`: the order may exist
mutation, transport error or ``PolyApiException(status_code=None)`` on a mutation
transport error on a read                                  :class:`Retryable`
=========================================================  ==========================================

References
----------
https://docs.polymarket.com/resources/error-codes ; https://docs.polymarket.com/api-reference/geoblock ;
py-clob-client issues #101, #152, #262 (Cloudflare 403), #261, #273 (order placed despite a status-less error).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from shared.errors import Ambiguous, AuthOrClock, Geoblocked, Rejected, Retryable, VenueError

VENUE = "polymarket"
GEOBLOCK_TEXT = "trading restricted in your region"
DEFAULT_RETRY_AFTER_S = 1.0


class AmbiguousSubmit(Ambiguous):
    """A ``POST /order`` whose outcome is unknown; ``order_id`` is the order hash we expect the venue to use.

    Resolve it from venue evidence (user channel, ``GET /data/order/{order_id}``, ``/data/trades``); never
    by posting again — Polymarket has no idempotency key, a second post is a second order.
    """

    def __init__(self, message: str, *, order_id: str, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.order_id = order_id


class HeartbeatMismatch(Rejected):
    """The venue refused a heartbeat as "Invalid Heartbeat ID" and named the id it expects next.

    Adopt ``heartbeat_id`` and beat again at once, or the dead-man switch cancels every resting order
    about 10 s later (the id rotates on every beat; a lost answer leaves ours stale).
    """

    def __init__(self, message: str, *, heartbeat_id: str, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.heartbeat_id = heartbeat_id


INVALID_HEARTBEAT_ID = "invalid heartbeat id"


def _heartbeat_mismatch(status: int, body: Any, kw: dict[str, Any]) -> HeartbeatMismatch | None:
    if status != 400 or not isinstance(body, Mapping):
        return None
    text = body.get("error_msg", body.get("error"))
    expected = body.get("heartbeat_id")
    if not isinstance(text, str) or INVALID_HEARTBEAT_ID not in text.lower() or not isinstance(expected, str):
        return None
    return HeartbeatMismatch(text, heartbeat_id=expected, **kw)


def _message(body: Any) -> str:
    if isinstance(body, Mapping):
        inner = body.get("error", body.get("errorMsg", body.get("message")))
        if inner is not None:
            return inner if isinstance(inner, str) else json.dumps(inner)
        return json.dumps(body)
    return str(body).strip()[:500]


def _is_html(body: Any) -> bool:
    return isinstance(body, str) and body.lstrip()[:200].lower().startswith(("<!doctype html", "<html"))


def is_geoblock_answer(status: int | None, body: Any) -> bool:
    """True for the venue's region refusal or a Cloudflare (HTML) 403 page."""
    if status != 403:
        return False
    return GEOBLOCK_TEXT in _message(body).lower() or _is_html(body)


def _retry_after(body: Any, headers: Mapping[str, str] | None) -> float:
    if isinstance(body, Mapping) and body.get("retry_after_seconds") is not None:
        try:
            return max(0.0, float(str(body["retry_after_seconds"])))
        except ValueError:
            pass
    if headers:
        value = next((v for k, v in headers.items() if k.lower() == "retry-after"), None)
        if value is not None and value.strip().isdigit():
            return float(value.strip())
    return DEFAULT_RETRY_AFTER_S


def map_response(status: int, body: Any, *, mutation: bool, headers: Mapping[str, str] | None = None) -> VenueError:
    """The error for a non-200 answer; ``body`` is the decoded JSON or the raw text.

    Parameters
    ----------
    status
        HTTP status.
    body
        Decoded JSON (a dict) or text.
    mutation
        True for a request that may change venue state (order post, cancel, API-key creation): an answer
        that does not prove the request failed becomes :class:`Ambiguous`. Every 5xx is such an answer,
        a 503 with the venue's JSON included (issue 9: the order may have been taken before the
        failure was reported; resolve by the expected order hash, never by posting again).
    headers
        Response headers (``Retry-After``).
    """
    message = _message(body) or f"HTTP {status}"
    kw: dict[str, Any] = {"venue": VENUE, "status": status}
    if isinstance(body, Mapping) and isinstance(body.get("code"), str):
        kw["code"] = body["code"]
    if is_geoblock_answer(status, body):
        return Geoblocked(message if not _is_html(body) else "Cloudflare 403 page (location refused)", **kw)
    if status in (401, 403):
        return AuthOrClock(message, **kw)
    if status in (429, 425):
        return Retryable(message, retry_after_s=_retry_after(body, headers), **kw)
    mismatch = _heartbeat_mismatch(status, body, kw)
    if mismatch is not None:
        return mismatch
    if 400 <= status < 500:
        return Rejected(message, **kw)
    if mutation:
        return Ambiguous(message, **kw)
    return Retryable(message, retry_after_s=_retry_after(body, headers), **kw)


def map_transport(exc: BaseException, *, mutation: bool) -> VenueError:
    """A transport failure (connect error, timeout, reset): ambiguous after a mutation, retryable otherwise."""
    message = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    if mutation:
        return Ambiguous(message, venue=VENUE)
    return Retryable(message, venue=VENUE, retry_after_s=DEFAULT_RETRY_AFTER_S)


def map_library_exception(exc: BaseException, *, mutation: bool) -> VenueError:
    """Wrap a py-clob-client-v2 exception.

    ``PolyApiException`` with a status maps like an HTTP answer; with ``status_code=None`` it is the
    library's "Request exception!" (any ``httpx.RequestError``, including a read timeout after the
    request was sent), so it is :class:`Ambiguous` on a mutation. A plain ``PolyException`` is raised
    before anything is sent (bad arguments, missing credentials): :class:`Rejected`.
    """
    status = getattr(exc, "status_code", None)
    if hasattr(exc, "status_code"):
        body = getattr(exc, "error_msg", None)
        if status is None:
            return map_transport(exc, mutation=mutation)
        return map_response(int(status), body, mutation=mutation)
    return Rejected(f"not sent: {getattr(exc, 'msg', exc)}", venue=VENUE)
