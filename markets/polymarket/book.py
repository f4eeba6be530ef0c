"""A local order book of one Polymarket token, kept from ``book`` snapshots and ``price_change`` totals.

Every change is checked against the venue's book hash (:mod:`markets.polymarket.hashing`); a mismatch
puts the book ``OUT_OF_SYNC`` and the owner (the market feed) re-snapshots it over REST. A book that is
not ``FRESH`` must not be priced from: :meth:`LocalBook.to_market_price` refuses it.

The hash also covers metadata a WS ``book`` frame does not carry (``min_order_size``, ``neg_risk``), so
a book learns them from a REST snapshot (``GET /book``) before its hashes can be checked.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from decimal import Decimal
from enum import StrEnum

from markets.polymarket.hashing import TextLevel, candidate_hashes
from markets.polymarket.types import BookSnapshot, LastTradePriceEvent, Level, LevelChange, TickSizeChangeEvent
from shared.messages.market_data import MarketPriceUpdated


class BookState(StrEnum):
    """Whether a book may be priced from."""

    EMPTY = "empty"  # no snapshot yet
    FRESH = "fresh"  # snapshot plus hash-verified changes
    OUT_OF_SYNC = "out_of_sync"  # a hash did not match: re-snapshot needed
    STALE = "stale"  # the feed went quiet or dropped: re-snapshot needed


class BookNotFresh(RuntimeError):
    """Raised when a price is asked of a book that is not ``FRESH``."""


class LocalBook:
    """Bids and asks of one token (aggregated levels), with hash verification.

    Not thread-safe; owned by one feed task.
    """

    def __init__(self, asset_id: str, market: str = "") -> None:
        self.asset_id = asset_id
        self.market = market
        self.state = BookState.EMPTY
        self.timestamp_text = ""
        self.hash = ""
        self.min_order_size: str | None = None
        self.tick_size: str | None = None
        self.neg_risk: bool | None = None
        self.last_trade_price: str | None = None
        self.hash_mismatches = 0
        self._bids: dict[Decimal, Level] = {}
        self._asks: dict[Decimal, Level] = {}

    # -- updates -------------------------------------------------------------------------------------

    def load(self, snapshot: BookSnapshot) -> bool:
        """Replace the book with ``snapshot``; returns whether its hash verified (or was not checkable).

        A snapshot whose hash does not verify still replaces the book but leaves it ``OUT_OF_SYNC``.
        """
        if snapshot.market:
            self.market = snapshot.market
        self.min_order_size = snapshot.min_order_size or self.min_order_size
        self.tick_size = snapshot.tick_size or self.tick_size
        self.neg_risk = snapshot.neg_risk if snapshot.neg_risk is not None else self.neg_risk
        if snapshot.last_trade_price is not None:
            self.last_trade_price = snapshot.last_trade_price
        self._bids = {lv.price: lv for lv in snapshot.bids if lv.size > 0}
        self._asks = {lv.price: lv for lv in snapshot.asks if lv.size > 0}
        self.timestamp_text = snapshot.timestamp_text
        self.hash = snapshot.hash
        return self._settle(self.verify((snapshot.hash,)) if snapshot.hash else None, full=True)

    def apply_changes(self, changes: Iterable[LevelChange], timestamp_text: str) -> bool:
        """Apply this token's items of one ``price_change`` (new totals; "0" removes), then check the hash.

        Returns ``False`` (and marks the book ``OUT_OF_SYNC``) when the resulting book matches none of
        the hashes the items carry; ``True`` otherwise (also when no hash could be checked).
        """
        hashes: list[str] = []
        for change in changes:
            side = self._bids if change.side == "BUY" else self._asks
            if change.level.size == 0:
                side.pop(change.level.price, None)
            else:
                side[change.level.price] = change.level
            if change.hash:
                hashes.append(change.hash)
        if timestamp_text:
            self.timestamp_text = timestamp_text
        if hashes:
            self.hash = hashes[-1]
        return self._settle(self.verify(tuple(hashes)) if hashes else None)

    def apply_last_trade(self, event: LastTradePriceEvent) -> None:
        """Remember the last trade price (part of the newer hash form)."""
        self.last_trade_price = event.price_text

    def apply_tick_size(self, event: TickSizeChangeEvent) -> None:
        """Adopt the new minimum tick."""
        self.tick_size = event.new_tick_size

    def mark(self, state: BookState) -> None:
        """Force a state (the feed marks books ``STALE`` on a freeze or disconnect)."""
        self.state = state

    def _settle(self, verified: bool | None, *, full: bool = False) -> bool:
        if verified is False:
            self.hash_mismatches += 1
            self.state = BookState.OUT_OF_SYNC
            return False
        # A full snapshot or a hash-verified change proves the book; an unverifiable change keeps the state.
        if full or verified is True or self.state is BookState.FRESH:
            self.state = BookState.FRESH
        return True

    # -- queries -------------------------------------------------------------------------------------

    def wire_levels(self, side: str) -> list[TextLevel]:
        """Levels as the venue lists them: bids ascending, asks descending (worst to best)."""
        book = self._bids if side == "BUY" else self._asks
        prices = sorted(book, reverse=side != "BUY")
        return [(book[p].price_text, book[p].size_text) for p in prices]

    def expected_hashes(self) -> tuple[str, ...]:
        """The hashes this book would have in both accepted forms; empty until metadata is known."""
        if self.min_order_size is None or self.tick_size is None or self.neg_risk is None:
            return ()
        return candidate_hashes(
            market=self.market,
            asset_id=self.asset_id,
            timestamp=self.timestamp_text,
            bids=self.wire_levels("BUY"),
            asks=self.wire_levels("SELL"),
            min_order_size=self.min_order_size,
            tick_size=self.tick_size,
            neg_risk=self.neg_risk,
            last_trade_price=self.last_trade_price,
        )

    def verify(self, hashes: tuple[str, ...]) -> bool | None:
        """Whether the book matches one of ``hashes``; ``None`` when it cannot be checked yet."""
        expected = self.expected_hashes()
        if not expected:
            return None
        return any(h in expected for h in hashes)

    def best_bid(self) -> Level | None:
        """The highest bid, or ``None``."""
        return self._bids[max(self._bids)] if self._bids else None

    def best_ask(self) -> Level | None:
        """The lowest ask, or ``None``."""
        return self._asks[min(self._asks)] if self._asks else None

    def same_levels(self, snapshot: BookSnapshot) -> bool:
        """True when ``snapshot`` has exactly this book's levels (timestamps ignored)."""
        bids = {lv.price: lv.size for lv in snapshot.bids if lv.size > 0}
        asks = {lv.price: lv.size for lv in snapshot.asks if lv.size > 0}
        return bids == {p: lv.size for p, lv in self._bids.items()} and asks == {
            p: lv.size for p, lv in self._asks.items()
        }

    def to_market_price(self) -> MarketPriceUpdated:
        """Top of book as a :class:`MarketPriceUpdated`; raises :class:`BookNotFresh` unless ``FRESH``."""
        if self.state is not BookState.FRESH:
            raise BookNotFresh(f"book {self.asset_id} is {self.state}")
        bid, ask = self.best_bid(), self.best_ask()
        ts_ms = int(self.timestamp_text) if self.timestamp_text.isdigit() else None
        extra = {"ts_event": datetime.fromtimestamp(ts_ms / 1000, UTC)} if ts_ms else {}
        return MarketPriceUpdated(
            venue="polymarket",
            market_id=self.market or self.asset_id,
            outcome_id=self.asset_id,
            best_bid=bid.price if bid else None,
            best_ask=ask.price if ask else None,
            bid_size=bid.size if bid else None,
            ask_size=ask.size if ask else None,
            tick_size=Decimal(self.tick_size) if self.tick_size else Decimal("0.01"),
            **extra,
        )
