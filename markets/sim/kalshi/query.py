"""Request helpers shared by the simulator's REST routes: query parameters, authentication, errors."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request

from markets.sim.kalshi.auth import AuthFailure
from markets.sim.kalshi.exchange import ExchangeError
from markets.sim.kalshi.state import SimState

STATUS_FILTER: dict[str, set[str]] = {
    # The filter vocabulary of GET /markets and /events onto the REST status enum (venues.md §1.4).
    "unopened": {"initialized"},
    "open": {"active"},
    "paused": {"inactive"},
    "closed": {"closed", "determined", "disputed", "amended"},
    "settled": {"finalized"},
}
Auth = Callable[[Request], Coroutine[Any, Any, str | None]]


def bad_request(details: str) -> ExchangeError:
    """400 ``bad_request`` (the code Kalshi answered for a bad ``status`` filter in Nov 2025)."""
    return ExchangeError(400, "bad_request", "bad request", details)


def int_param(request: Request, name: str, default: int | None = None, *, lo: int = 0, hi: int = 2**62) -> int | None:
    """An integer query parameter within ``[lo, hi]``, or ``default`` when absent."""
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise bad_request(f"{name} must be an integer") from None
    if not lo <= value <= hi:
        raise bad_request(f"{name} must be between {lo} and {hi}")
    return value


def limit_param(request: Request, default: int, maximum: int) -> int:
    """``limit`` in ``[1, maximum]``."""
    value = int_param(request, "limit", default, lo=1, hi=maximum)
    assert value is not None
    return value


def list_param(request: Request, name: str) -> set[str] | None:
    """A comma-separated list parameter (``tickers=A,B``)."""
    raw = request.query_params.get(name)
    return None if not raw else {t for t in raw.split(",") if t}


def status_filter(request: Request) -> set[str] | None:
    """The REST statuses selected by the ``status`` filter, or ``None`` for all."""
    status = request.query_params.get("status")
    if not status:
        return None
    if status not in STATUS_FILTER:
        raise bad_request(f"unknown status {status}")
    return STATUS_FILTER[status]


def in_window(timestamp: float, request: Request, low: str = "min_ts", high: str = "max_ts") -> bool:
    """True when ``timestamp`` (Unix s) lies inside the request's ``min_ts``/``max_ts`` window."""
    lo, hi = int_param(request, low), int_param(request, high)
    return (lo is None or timestamp >= lo) and (hi is None or timestamp <= hi)


def authenticator(state: SimState, *, required: bool) -> Auth:
    """A check returning the verified key id (``None`` for an anonymous public request); 401 when wrong."""

    async def authenticate(request: Request) -> str | None:
        if not required and not state.keys.carries_credentials(request.headers):
            return None
        try:
            return state.keys.verify(request.headers, request.method, request.url.path)
        except AuthFailure as e:
            raise ExchangeError(401, "unauthorized", "unauthorized", e.details) from None

    return authenticate
