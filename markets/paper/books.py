"""Where the paper engine sees the market: a source of order-book snapshots.

A :class:`BookSource` answers the current book of one outcome — from our Redis latest tops (one level
each side), or from a venue's (or a simulator's) REST book with full depth. The paper engine walks it
for size and re-reads it to fill resting orders when the market trades through them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Protocol


@dataclass(frozen=True, slots=True)
class BookSnapshot:
    """Bids and asks of one outcome, best first, as ``(price, size)`` in probability-scale Decimals."""

    bids: tuple[tuple[Decimal, Decimal], ...]
    asks: tuple[tuple[Decimal, Decimal], ...]
    ts: datetime
    tick_size: Decimal = Decimal("0.01")
    min_size: Decimal = Decimal("0")


class BookSource(Protocol):
    """Answers the current book of ``(market_id, outcome_id)``, or ``None`` when there is no such market."""

    async def snapshot(self, market_id: str, outcome_id: str) -> BookSnapshot | None:
        """The book now."""
        ...
