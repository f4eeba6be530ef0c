"""The local order book of one Kalshi market, built from an ``orderbook_snapshot`` and its deltas.

Kalshi publishes bids only: YES bids and NO bids, each priced on its own leg (venues.md §1.7, NO-leg
pricing is the default). The YES ask is ``1 - best NO bid`` and the NO ask is ``1 - best YES bid``.
A delta is a signed increment of the size at one level; a level that reaches zero disappears, and one
that would go negative proves the book is out of sync (:class:`BookOutOfSync`) — the caller clears it
and takes a fresh snapshot.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from markets.kalshi.models import BookDelta, BookLevel, OrderBookSnapshot, OutcomeSide
from shared.messages.market_data import MarketPriceUpdated
from shared.prices import ONE, ZERO


class BookOutOfSync(Exception):
    """A delta cannot apply to the book we hold (a level would go negative)."""


class LocalBook:
    """YES and NO bid ladders of one market.

    ``valid`` is false until a snapshot arrives and after :meth:`clear`; ``stale`` is set by the feed
    when data stopped arriving. Consumers must not price from a book that is invalid or stale.

    Parameters
    ----------
    ticker
        The market ticker.
    tick_size
        The market's finest price step (reported in :class:`MarketPriceUpdated`).
    """

    def __init__(self, ticker: str, *, tick_size: Decimal = Decimal("0.01")) -> None:
        self.ticker = ticker
        self.tick_size = tick_size
        self._yes: dict[Decimal, Decimal] = {}
        self._no: dict[Decimal, Decimal] = {}
        self.valid = False
        self.stale = False
        self.updated_at: datetime | None = None
        self.updated_mono: float | None = None

    # -- mutations -------------------------------------------------------------------------------

    def apply_snapshot(
        self, snapshot: OrderBookSnapshot, *, at: datetime | None = None, mono: float | None = None
    ) -> None:
        """Replace the book with ``snapshot``; the book becomes valid and fresh."""
        self._yes = {lv.price: lv.size for lv in snapshot.yes if lv.size > 0}
        self._no = {lv.price: lv.size for lv in snapshot.no if lv.size > 0}
        self.valid = True
        self.stale = False
        self._touch(at, mono)

    def apply_delta(self, delta: BookDelta, *, mono: float | None = None) -> None:
        """Add ``delta.delta`` contracts at ``delta.price`` on ``delta.side``.

        Raises
        ------
        BookOutOfSync
            When the book is not valid or the level would go negative (the book is left unchanged).
        """
        if not self.valid:
            raise BookOutOfSync(f"{self.ticker}: delta before snapshot")
        ladder = self._yes if delta.side == "yes" else self._no
        size = ladder.get(delta.price, ZERO) + delta.delta
        if size < 0:
            raise BookOutOfSync(f"{self.ticker}: {delta.side} {delta.price} would go to {size}")
        if size == 0:
            ladder.pop(delta.price, None)
        else:
            ladder[delta.price] = size
        self._touch(delta.ts, mono)

    def clear(self) -> None:
        """Forget every level; the book is invalid until the next snapshot."""
        self._yes.clear()
        self._no.clear()
        self.valid = False

    def _touch(self, at: datetime | None, mono: float | None) -> None:
        self.updated_at = at or datetime.now(UTC)
        if mono is not None:
            self.updated_mono = mono

    # -- queries ---------------------------------------------------------------------------------

    def levels(self, side: OutcomeSide) -> tuple[BookLevel, ...]:
        """Bids of ``side`` ascending by price (best last), as the REST order book lists them."""
        ladder = self._yes if side == "yes" else self._no
        return tuple(BookLevel(price, ladder[price]) for price in sorted(ladder))

    def snapshot(self) -> OrderBookSnapshot:
        """The whole book in the REST shape (comparable with ``KalshiRestClient.get_orderbook``)."""
        return OrderBookSnapshot(self.ticker, self.levels("yes"), self.levels("no"))

    def best_bid(self, side: OutcomeSide) -> BookLevel | None:
        """Best bid of ``side`` on its own leg."""
        ladder = self._yes if side == "yes" else self._no
        if not ladder:
            return None
        price = max(ladder)
        return BookLevel(price, ladder[price])

    def best_ask(self, side: OutcomeSide) -> BookLevel | None:
        """Best ask of ``side``: ``1 -`` the best bid of the other side, with that size."""
        other = self.best_bid("no" if side == "yes" else "yes")
        return None if other is None else BookLevel(ONE - other.price, other.size)

    @property
    def best_yes_bid(self) -> Decimal | None:
        """Highest YES bid."""
        level = self.best_bid("yes")
        return None if level is None else level.price

    @property
    def best_yes_ask(self) -> Decimal | None:
        """Lowest YES ask (``1 - best NO bid``)."""
        level = self.best_ask("yes")
        return None if level is None else level.price

    def to_market_price(self) -> tuple[MarketPriceUpdated, MarketPriceUpdated]:
        """Top of book as ``(yes, no)`` :class:`MarketPriceUpdated` messages (``market_id`` = ticker)."""
        return self._price("yes"), self._price("no")

    def _price(self, side: OutcomeSide) -> MarketPriceUpdated:
        bid, ask = self.best_bid(side), self.best_ask(side)
        kwargs = {"ts_event": self.updated_at} if self.updated_at is not None else {}
        return MarketPriceUpdated(
            venue="kalshi",
            market_id=self.ticker,
            outcome_id=side,
            best_bid=None if bid is None else bid.price,
            best_ask=None if ask is None else ask.price,
            bid_size=None if bid is None else bid.size,
            ask_size=None if ask is None else ask.size,
            tick_size=self.tick_size,
            **kwargs,
        )
