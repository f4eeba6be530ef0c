"""Walking a book for size, and remembering what paper orders already took from it.

A buy takes asks from the best (lowest) up to its limit; a sell takes bids from the best (highest) down
to its limit. Paper fills never reach the venue, so the displayed size stays on the book after we
"take" it: :class:`LiquidityLedger` remembers how much of each displayed level this engine has
consumed, so the same contracts are never filled twice. A record lives until the level disappears from
the book; when the displayed size drops below what we took, the record shrinks with it (whatever we
took is gone anyway), and when the level grows, only the growth is new liquidity.

Levels are identified by a hashable *liquidity key* chosen by the engine: on Kalshi the YES and NO books
are two views of one book (a NO bid at ``q`` is a YES ask at ``1 - q``), so both views map onto the same
key and consuming one consumes the other.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from markets.base import Side
from markets.paper.books import BookSnapshot
from shared.prices import ZERO

LevelKey = Hashable
KeyFn = Callable[[str, Decimal], LevelKey]
"""``(book_side, price) -> liquidity key``; ``book_side`` is ``"bid"`` or ``"ask"`` of the viewed book."""


@dataclass(frozen=True, slots=True)
class Take:
    """``quantity`` taken from the level at ``price`` (on the order's own outcome leg)."""

    price: Decimal
    quantity: Decimal
    key: LevelKey


def contra_side(side: Side) -> str:
    """The book side an order of ``side`` trades against: ``ask`` for a buy, ``bid`` for a sell."""
    return "ask" if side == "buy" else "bid"


def contra_levels(book: BookSnapshot, side: Side) -> tuple[tuple[Decimal, Decimal], ...]:
    """The levels an order of ``side`` can take, best first."""
    return book.asks if side == "buy" else book.bids


def crosses(side: Side, level_price: Decimal, limit: Decimal) -> bool:
    """True when a level at ``level_price`` is inside the limit of an order of ``side``."""
    return level_price <= limit if side == "buy" else level_price >= limit


class LiquidityLedger:
    """What this engine has taken from each displayed level, per book scope (one market or token).

    Not thread-safe; used from one event loop without awaits between read and update.
    """

    def __init__(self) -> None:
        self._taken: dict[Hashable, dict[LevelKey, Decimal]] = {}

    def refresh(self, scope: Hashable, visible: Mapping[LevelKey, Decimal]) -> None:
        """Reconcile the records of ``scope`` with the levels now displayed (see the module docstring)."""
        records = self._taken.get(scope)
        if not records:
            return
        for key in list(records):
            shown = visible.get(key)
            if shown is None or shown <= 0:
                del records[key]
            elif shown < records[key]:
                records[key] = shown

    def available(self, scope: Hashable, key: LevelKey, displayed: Decimal) -> Decimal:
        """Displayed size at ``key`` not yet taken by this engine."""
        return max(ZERO, displayed - self._taken.get(scope, {}).get(key, ZERO))

    def take(self, scope: Hashable, key: LevelKey, quantity: Decimal) -> None:
        """Record ``quantity`` taken from ``key``."""
        records = self._taken.setdefault(scope, {})
        records[key] = records.get(key, ZERO) + quantity

    def taken(self, scope: Hashable, key: LevelKey) -> Decimal:
        """What this engine has taken from ``key`` (0 when nothing is recorded)."""
        return self._taken.get(scope, {}).get(key, ZERO)


def visible_levels(book: BookSnapshot, key_fn: KeyFn) -> dict[LevelKey, Decimal]:
    """Every displayed level of ``book`` by liquidity key (sizes of levels sharing a key are added)."""
    out: dict[LevelKey, Decimal] = {}
    for book_side, levels in (("bid", book.bids), ("ask", book.asks)):
        for price, size in levels:
            key = key_fn(book_side, price)
            out[key] = out.get(key, ZERO) + size
    return out


def walk(
    levels: Iterable[tuple[Decimal, Decimal]],
    *,
    side: Side,
    limit: Decimal,
    quantity: Decimal,
    ledger: LiquidityLedger,
    scope: Hashable,
    key_fn: KeyFn,
) -> list[Take]:
    """The takes that fill up to ``quantity`` from ``levels`` (best first) within ``limit``.

    Pure with respect to ``ledger``: nothing is recorded until the caller calls :meth:`LiquidityLedger.take`.
    """
    book_side = contra_side(side)
    takes: list[Take] = []
    left = quantity
    for price, size in levels:
        if left <= 0 or not crosses(side, price, limit):
            break
        key = key_fn(book_side, price)
        already = sum((t.quantity for t in takes if t.key == key), ZERO)
        free = ledger.available(scope, key, size) - already
        if free <= 0:
            continue
        got = min(left, free)
        takes.append(Take(price, got, key))
        left -= got
    return takes


def total(takes: Iterable[Take]) -> Decimal:
    """Quantity of all ``takes``."""
    return sum((t.quantity for t in takes), ZERO)
