"""One error taxonomy for every venue (Kalshi, Polymarket, ESPN).

Each venue's ``errors.py`` maps HTTP statuses and bodies onto these classes; callers choose a retry
policy per operation from the class alone:

- :class:`Retryable` — try again after ``retry_after_s`` (429, 5xx on reads, transport errors on reads).
- :class:`Rejected` — the venue definitively refused (bad order, unknown market, insufficient balance).
- :class:`Ambiguous` — the outcome is unknown (timeout after a mutating request may have arrived);
  never retried blindly, resolved from venue evidence.
- :class:`AuthOrClock` — signature, key or timestamp refused (401); not retried blindly: check clock/keys.
- :class:`Geoblocked` — the venue refuses this location; trading on it stops, nothing retries it.
- :class:`Fatal` — trading must halt (exchange closed for good, malformed venue answers, invariants broken).
"""

from __future__ import annotations


class VenueError(Exception):
    """Base of every venue error; ``venue`` names the source, ``status`` the HTTP status when there was one."""

    def __init__(self, message: str, *, venue: str = "", status: int | None = None, code: str | None = None) -> None:
        super().__init__(message)
        self.venue = venue
        self.status = status
        self.code = code


class Retryable(VenueError):
    """Transient: try again after ``retry_after_s`` seconds (a hint; callers add back-off and jitter)."""

    def __init__(self, message: str, *, retry_after_s: float = 1.0, **kwargs: object) -> None:
        super().__init__(message, **kwargs)  # type: ignore[arg-type]
        self.retry_after_s = retry_after_s


class Rejected(VenueError):
    """Definitive refusal by the venue."""


class Ambiguous(VenueError):
    """The request may or may not have taken effect."""


class AuthOrClock(VenueError):
    """Authentication failed: bad key, bad signature, or a timestamp outside the venue's window."""


class Geoblocked(VenueError):
    """The venue refuses to trade from this location. Stop trading there; never retry or work around it."""


class Fatal(VenueError):
    """Trading must stop."""
