"""A price-time priority limit order book for one binary instrument, exact in ``Decimal``.

Orders buy or sell the instrument at a limit price; an incoming order matches resting orders of the
other side at the resting (maker) price, best price first and, at a price, oldest first; what is left
rests (GTC/GTD) or is dropped (IOC/FAK, FOK all-or-nothing). Kalshi maps its YES/NO legs onto one book
(buy NO at p == sell YES at 1 - p); Polymarket keeps one book per outcome token.
"""

from __future__ import annotations

import itertools
import time
from collections import deque
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Literal

Side = Literal["buy", "sell"]
_seq = itertools.count(1)


@dataclass
class BookOrder:
    """An order in (or entering) the book."""

    order_id: str
    owner: str
    side: Side
    price: Decimal
    quantity: Decimal
    remaining: Decimal | None = None
    client_order_id: str | None = None
    ts_ns: int = field(default_factory=time.time_ns)
    seq: int = field(default_factory=lambda: next(_seq))

    def __post_init__(self) -> None:
        if self.remaining is None:
            self.remaining = self.quantity

    @property
    def left(self) -> Decimal:
        """Quantity still open."""
        assert self.remaining is not None
        return self.remaining


@dataclass(frozen=True)
class Match:
    """One execution between a resting maker order and an incoming taker order."""

    trade_id: str
    maker: BookOrder
    taker: BookOrder
    price: Decimal
    quantity: Decimal


class OrderBook:
    """Bids and asks of one instrument."""

    def __init__(self, instrument: str) -> None:
        self.instrument = instrument
        self._bids: dict[Decimal, deque[BookOrder]] = {}
        self._asks: dict[Decimal, deque[BookOrder]] = {}
        self._by_id: dict[str, BookOrder] = {}
        self._trade_ids = itertools.count(1)

    # -- queries ---------------------------------------------------------------------------------

    def best_bid(self) -> Decimal | None:
        """Highest bid price, or ``None``."""
        return max(self._bids) if self._bids else None

    def best_ask(self) -> Decimal | None:
        """Lowest ask price, or ``None``."""
        return min(self._asks) if self._asks else None

    def levels(self, side: Side) -> list[tuple[Decimal, Decimal]]:
        """Aggregated ``(price, size)`` levels, best first."""
        book = self._bids if side == "buy" else self._asks
        prices = sorted(book, reverse=side == "buy")
        return [(p, sum((o.left for o in book[p]), Decimal(0))) for p in prices]

    def get(self, order_id: str) -> BookOrder | None:
        """A resting order by id."""
        return self._by_id.get(order_id)

    def resting(self, owner: str | None = None) -> list[BookOrder]:
        """Every resting order (of ``owner`` when given)."""
        return [o for o in self._by_id.values() if owner is None or o.owner == owner]

    def fillable(self, side: Side, price: Decimal, exclude_owner: str | None = None) -> Decimal:
        """Quantity an order of ``side`` at ``price`` could take right now."""
        book = self._asks if side == "buy" else self._bids
        total = Decimal(0)
        for level, orders in book.items():
            if (side == "buy" and level <= price) or (side == "sell" and level >= price):
                total += sum((o.left for o in orders if o.owner != exclude_owner), Decimal(0))
        return total

    # -- mutations -------------------------------------------------------------------------------

    def match(self, taker: BookOrder, *, self_trade: Literal["cancel_taker", "allow"] = "cancel_taker") -> list[Match]:
        """Match ``taker`` against the book (it does not rest here); returns the executions in order."""
        book = self._asks if taker.side == "buy" else self._bids
        matches: list[Match] = []
        while taker.left > 0 and book:
            best = min(book) if taker.side == "buy" else max(book)
            if (taker.side == "buy" and best > taker.price) or (taker.side == "sell" and best < taker.price):
                break
            queue = book[best]
            maker = queue[0]
            if maker.owner == taker.owner and self_trade == "cancel_taker":
                taker.remaining = Decimal(0)
                break
            quantity = min(maker.left, taker.left)
            maker.remaining = maker.left - quantity
            taker.remaining = taker.left - quantity
            matches.append(
                Match(
                    trade_id=f"{self.instrument}-t{next(self._trade_ids)}",
                    maker=replace(maker),
                    taker=replace(taker),
                    price=best,
                    quantity=quantity,
                )
            )
            if maker.left == 0:
                queue.popleft()
                self._by_id.pop(maker.order_id, None)
                if not queue:
                    del book[best]
        return matches

    def rest(self, order: BookOrder) -> None:
        """Put what is left of ``order`` on its side of the book (after :meth:`match`)."""
        if order.left <= 0:
            return
        book = self._bids if order.side == "buy" else self._asks
        book.setdefault(order.price, deque()).append(order)
        self._by_id[order.order_id] = order

    def cancel(self, order_id: str) -> BookOrder | None:
        """Remove a resting order; returns it, or ``None`` if it is not resting."""
        order = self._by_id.pop(order_id, None)
        if order is None:
            return None
        book = self._bids if order.side == "buy" else self._asks
        queue = book.get(order.price)
        if queue is not None:
            queue.remove(order)
            if not queue:
                del book[order.price]
        return order

    def reduce(self, order_id: str, new_remaining: Decimal) -> BookOrder | None:
        """Lower a resting order's open quantity (keeps its time priority); 0 cancels it."""
        order = self._by_id.get(order_id)
        if order is None:
            return None
        if new_remaining <= 0:
            return self.cancel(order_id)
        order.remaining = min(order.left, new_remaining)
        return order
