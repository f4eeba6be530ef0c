"""Retry policy for Kalshi calls: which failures each kind of call may retry, and how long to wait.

Kalshi sends no ``Retry-After`` on 429 ("apply exponential backoff", docs.kalshi.com/getting_started/
rate_limits), so waits are exponential with full jitter and a cap. Policies are declared per kind of
call (house style §7): reads retry every :class:`~shared.errors.Retryable`; creates and cancels retry
only failures proven not to have acted (429, and transport errors before the request was sent) —
everything else on them surfaces as :class:`~shared.errors.Ambiguous` or
:class:`~shared.errors.Rejected` for the execution engine to resolve.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from enum import Enum


@dataclass(frozen=True)
class Backoff:
    """Exponential back-off with full jitter: attempt ``n`` waits ``U(0, min(cap, base * factor**n))``.

    ``floor_s`` keeps a minimum so a burst of 429s still spreads out.
    """

    base_s: float = 0.25
    factor: float = 2.0
    cap_s: float = 8.0
    floor_s: float = 0.05

    def delay(self, attempt: int, rng: random.Random) -> float:
        """Seconds to wait before retry number ``attempt`` (0-based)."""
        ceiling = min(self.cap_s, self.base_s * self.factor ** max(0, attempt))
        return max(self.floor_s, rng.uniform(0.0, ceiling))


class CallKind(Enum):
    """How a call may be retried."""

    READ = "read"
    """Idempotent query: retry 429, 5xx and transport errors."""
    CREATE = "create"
    """Order create: retry only 429 and not-sent transport errors, with the same ``client_order_id``."""
    CANCEL = "cancel"
    """Cancel: retry only 429 and not-sent transport errors."""

    @property
    def mutating(self) -> bool:
        """True when the call changes venue state."""
        return self is not CallKind.READ
