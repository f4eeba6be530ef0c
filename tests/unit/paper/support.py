"""Book sources and a clock the paper-engine unit tests drive by hand (the venue edge, faked)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from markets.base import OrderRequest, Side, TimeInForce
from markets.paper.books import BookSnapshot

D = Decimal
NOW = datetime(2026, 11, 23, 20, 0, tzinfo=UTC)
Levels = Sequence[tuple[str, str]]


@dataclass
class Clock:
    """A settable wall clock."""

    now: datetime = NOW

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


def _flip(rows: Levels) -> list[tuple[str, str]]:
    return [(str(1 - D(p)), s) for p, s in rows]


def levels(rows: Levels) -> tuple[tuple[Decimal, Decimal], ...]:
    return tuple((D(p), D(s)) for p, s in rows)


@dataclass
class Books:
    """Books set by the test, one per ``(market, outcome)``, best first; ``reads`` counts snapshots."""

    clock: Clock
    books: dict[tuple[str, str], BookSnapshot] = field(default_factory=dict)
    reads: int = 0

    def set(
        self,
        market: str,
        outcome: str,
        *,
        bids: Levels = (),
        asks: Levels = (),
        tick: str = "0.01",
        min_size: str = "1",
        age_s: float = 0.0,
    ) -> None:
        self.books[(market, outcome)] = BookSnapshot(
            bids=levels(bids),
            asks=levels(asks),
            ts=self.clock.now - timedelta(seconds=age_s),
            tick_size=D(tick),
            min_size=D(min_size),
        )

    def set_kalshi(self, market: str, *, yes_bids: Levels = (), yes_asks: Levels = ()) -> None:
        """Both views of one Kalshi book: a NO bid is a YES ask at ``1 - p``, a NO ask a YES bid at ``1 - p``."""
        self.set(market, "yes", bids=yes_bids, asks=yes_asks, min_size="0.01")
        self.set(market, "no", bids=_flip(yes_asks), asks=_flip(yes_bids), min_size="0.01")

    async def snapshot(self, market_id: str, outcome_id: str) -> BookSnapshot | None:
        self.reads += 1
        return self.books.get((market_id, outcome_id))


def order(
    coid: str,
    *,
    price: str,
    qty: str,
    side: Side = "buy",
    tif: TimeInForce = "gtc",
    market: str = "m",
    outcome: str = "yes",
    **extra: object,
) -> OrderRequest:
    return OrderRequest(
        client_order_id=coid,
        market_id=market,
        outcome_id=outcome,
        side=side,
        limit_price=D(price),
        quantity=D(qty),
        time_in_force=tif,
        **extra,  # type: ignore[arg-type]
    )
