"""Async client of ESPN's public site API: scoreboards and game summaries, parsed into game states.

ESPN's site API is undocumented, unauthenticated and unmetered; every call here is a read, so every
transient failure is retried (exponential back-off with full jitter, capped) and the rest are mapped
onto the shared taxonomy (:mod:`shared.errors`):

==========================================  ====================================================
ESPN answer                                  error
==========================================  ====================================================
transport error, timeout, 408, 429, 5xx      :class:`Retryable` (retried here, then re-raised)
body that is not JSON (cut off, a CDN page)  :class:`Retryable` (retried here, then re-raised)
400, 404, other 4xx                          :class:`Rejected` (unknown league, event or bad query)
JSON that is not a scoreboard/summary        :class:`Fatal` (ESPN changed its API: a human looks)
==========================================  ====================================================

References
----------
shared/docs/venues.md §3 (endpoints, parameters, JSON paths and quirks).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from types import TracebackType
from typing import Any, Self, TypeVar

import httpx
from pydantic import BaseModel, ValidationError
from tenacity import AsyncRetrying, RetryCallState, retry_if_exception_type, stop_after_attempt
from tenacity.wait import wait_random_exponential

from markets.espn.leagues import League, get_league
from markets.espn.parsing import GameSummary, ParsedScoreboard, parse_scoreboard, parse_summary
from markets.espn.schemas import EspnScoreboard, EspnSummary
from shared.errors import Fatal, Rejected, Retryable, VenueError
from shared.messages.base import utc_now
from shared.messages.market_data import GameStateUpdated

log = logging.getLogger(__name__)

VENUE = "espn"
DEFAULT_BASE_URL = "https://site.api.espn.com"
SITE_PREFIX = "/apis/site/v2/sports"

ModelT = TypeVar("ModelT", bound=BaseModel)
Dates = date | tuple[date, date] | str


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How reads are retried: ``attempts`` in total, waits drawn from [0, min(max_s, initial_s * 2**n)]."""

    attempts: int = 4
    initial_s: float = 0.25
    max_s: float = 4.0


def format_dates(dates: Dates) -> str:
    """ESPN's ``dates`` parameter: ``YYYYMMDD`` or the range ``YYYYMMDD-YYYYMMDD`` (a string passes as is)."""
    if isinstance(dates, str):
        return dates
    if isinstance(dates, tuple):
        first, last = dates
        return f"{first:%Y%m%d}-{last:%Y%m%d}"
    return f"{dates:%Y%m%d}"


def error_for_response(response: httpx.Response) -> VenueError:
    """The taxonomy error for a non-2xx ESPN answer (see the module table)."""
    status = response.status_code
    message = f"ESPN {response.request.method} {response.request.url.path} -> {status}: {_reason(response)}"
    if status == 429:
        retry_after = _retry_after_s(response)
        return Retryable(message, venue=VENUE, status=status, code="rate_limited", retry_after_s=retry_after)
    if status >= 500 or status == 408:
        return Retryable(message, venue=VENUE, status=status, code="server_error")
    if 400 <= status < 500:
        code = "not_found" if status == 404 else "bad_request"
        return Rejected(message, venue=VENUE, status=status, code=code)
    return Fatal(message, venue=VENUE, status=status, code="unexpected_status")


def _reason(response: httpx.Response) -> str:
    try:
        body = response.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        return response.text[:200]
    if isinstance(body, dict) and "message" in body:
        return str(body["message"])
    return str(body)[:200]


def _retry_after_s(response: httpx.Response) -> float:
    header = response.headers.get("retry-after")
    try:
        return max(0.0, float(header)) if header is not None else 0.0
    except ValueError:
        return 0.0


class EspnClient:
    """Scoreboard and summary reads against ``base_url`` (the real site API or the simulator).

    Parameters
    ----------
    base_url
        Scheme and host, e.g. ``"https://site.api.espn.com"`` or ``"http://127.0.0.1:8790"``.
    http
        A shared ``httpx.AsyncClient``; when given it is used as is (its base URL is ignored) and not
        closed by :meth:`aclose`. When ``None`` the client owns one.
    timeout_s
        Per-request timeout of the owned HTTP client, seconds.
    retry
        Retry policy for transient failures.
    clock
        Source of ``ts_event`` for parsed states (the time the answer arrived, UTC).

    Every method is a read and idempotent. Each raises :class:`Retryable` once the retries are spent,
    :class:`Rejected` for a definitive refusal and :class:`Fatal` for an answer in an unknown shape.
    """

    def __init__(
        self,
        base_url: str = DEFAULT_BASE_URL,
        http: httpx.AsyncClient | None = None,
        *,
        timeout_s: float = 10.0,
        retry: RetryPolicy | None = None,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self._owns_http = http is None
        self._http = http or httpx.AsyncClient(timeout=timeout_s, follow_redirects=True)
        self._retry = retry or RetryPolicy()
        self._clock = clock

    async def aclose(self) -> None:
        """Close the HTTP client if this object created it (idempotent)."""
        if self._owns_http:
            await self._http.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()

    # -- scoreboard ---------------------------------------------------------------------------------

    async def scoreboard_raw(
        self, league: str | League, dates: Dates | None = None, *, limit: int | None = None
    ) -> EspnScoreboard:
        """The scoreboard as ESPN sent it (wire model; unknown fields in ``model_extra``)."""
        lg = get_league(league)
        params: dict[str, str] = dict(lg.scoreboard_params)
        if dates is not None:
            params["dates"] = format_dates(dates)
        if limit is not None:
            params["limit"] = str(limit)
        return await self._get_model(f"{SITE_PREFIX}/{lg.path}/scoreboard", params, EspnScoreboard)

    async def scoreboard_parsed(self, league: str | League, dates: Dates | None = None) -> ParsedScoreboard:
        """The scoreboard's game states plus the events that could not be read (logged as warnings)."""
        lg = get_league(league)
        board = await self.scoreboard_raw(lg, dates)
        parsed = parse_scoreboard(board, lg, observed_at=self._clock())
        for event_id, reason in parsed.rejected:
            log.warning("ESPN event skipped", extra={"venue": VENUE, "event_id": event_id, "reason": reason})
        return parsed

    async def scoreboard(self, league: str | League, dates: Dates | None = None) -> list[GameStateUpdated]:
        """Every readable game of ``league``'s scoreboard (ESPN's current day unless ``dates`` is given)."""
        return list((await self.scoreboard_parsed(league, dates)).states)

    # -- summary ------------------------------------------------------------------------------------

    async def summary_raw(self, league: str | League, event_id: str) -> EspnSummary:
        """The game summary as ESPN sent it (wire model)."""
        lg = get_league(league)
        return await self._get_model(f"{SITE_PREFIX}/{lg.path}/summary", {"event": event_id}, EspnSummary)

    async def summary(self, league: str | League, event_id: str) -> GameSummary:
        """The game state from the summary header, with ESPN's latest win probability when published.

        Raises
        ------
        Fatal
            The summary has no readable header (an ESPN answer this client does not understand).
        """
        lg = get_league(league)
        raw = await self.summary_raw(lg, event_id)
        try:
            return parse_summary(raw, lg, observed_at=self._clock())
        except ValueError as e:
            raise Fatal(f"ESPN summary {event_id}: {e}", venue=VENUE, code="schema") from e

    # -- transport ----------------------------------------------------------------------------------

    async def get_json(self, path: str, params: Mapping[str, str] | None = None) -> Any:
        """``GET base_url + path`` decoded as JSON, with the retry policy (raw access to any endpoint)."""
        retrying = AsyncRetrying(
            retry=retry_if_exception_type(Retryable),
            stop=stop_after_attempt(self._retry.attempts),
            wait=self._wait,
            reraise=True,
        )
        async for attempt in retrying:
            with attempt:
                return await self._get_once(path, params or {})
        raise AssertionError("unreachable: tenacity re-raises the last error")  # pragma: no cover

    def _wait(self, state: RetryCallState) -> float:
        backoff = wait_random_exponential(multiplier=self._retry.initial_s, max=self._retry.max_s)(state)
        error = state.outcome.exception() if state.outcome else None
        # Only a 429's Retry-After is a server instruction; other hints are the taxonomy's default.
        hint = error.retry_after_s if isinstance(error, Retryable) and error.code == "rate_limited" else 0.0
        return max(backoff, min(hint, self._retry.max_s))

    async def _get_once(self, path: str, params: Mapping[str, str]) -> Any:
        url = f"{self.base_url}{path}"
        try:
            response = await self._http.get(url, params=dict(params))
        except httpx.TransportError as e:
            raise Retryable(f"ESPN GET {path}: {type(e).__name__}: {e}", venue=VENUE, code="transport") from e
        if not response.is_success:
            raise error_for_response(response)
        try:
            return response.json()
        except (json.JSONDecodeError, UnicodeDecodeError) as e:
            # A cut-off body or an HTML interstitial: transient in practice, so retried.
            raise Retryable(f"ESPN GET {path}: body is not JSON", venue=VENUE, status=200, code="bad_json") from e

    async def _get_model(self, path: str, params: Mapping[str, str], model: type[ModelT]) -> ModelT:
        body = await self.get_json(path, params)
        try:
            return model.model_validate(body)
        except ValidationError as e:
            raise Fatal(f"ESPN GET {path}: unexpected shape: {e}", venue=VENUE, status=200, code="schema") from e
