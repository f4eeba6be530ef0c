"""A local order book of one Polymarket token, kept from ``book`` snapshots and ``price_change`` totals.

Every change is checked against the venue's book hash (:mod:`markets.polymarket.hashing`); a mismatch
puts the book ``OUT_OF_SYNC`` and the owner (the market feed) re-snapshots it over REST. A book that is
not ``FRESH`` must not be priced from: :meth:`LocalBook.to_market_price` refuses it.

The hash also covers metadata a WS ``book`` frame does not carry (``min_order_size``, ``neg_risk``), so
a book learns them from a REST snapshot (``GET /book``) before its hashes can be checked.

Updates are in place and cheap, since the price shard applies tens of thousands a second: each side
keeps its prices sorted (bisect) beside the JSON text of every level as the hash serialises it, so a
hash check joins cached fragments and runs SHA-1 once for both accepted forms (the newer form only
appends ``last_trade_price``). :func:`markets.polymarket.hashing.candidate_hashes` stays the reference
and the tests hold the two equal.
"""

from __future__ import annotations

import hashlib
from bisect import bisect_left
from collections.abc import Iterable
from datetime import UTC, datetime
from decimal import Decimal
from enum import StrEnum
from json.encoder import encode_basestring
from typing import Any

from markets.polymarket.hashing import TextLevel
from markets.polymarket.types import BookSnapshot, LastTradePriceEvent, Level, LevelChange, TickSizeChangeEvent
from shared.messages.market_data import MarketPriceUpdated

_DEFAULT_TICK = Decimal("0.01")


class BookState(StrEnum):
    """Whether a book may be priced from."""

    EMPTY = "empty"  # no snapshot yet
    FRESH = "fresh"  # snapshot plus hash-verified changes
    OUT_OF_SYNC = "out_of_sync"  # a hash did not match: re-snapshot needed
    STALE = "stale"  # the feed went quiet or dropped: re-snapshot needed


class BookNotFresh(RuntimeError):
    """Raised when a price is asked of a book that is not ``FRESH``."""


def _json(text: str) -> str:
    # The escaping json.dumps(..., ensure_ascii=False) uses, which is what the venue's hash covers.
    return encode_basestring(text)


class _Side:
    """One side's levels by price, with the prices sorted ascending and each level's hash JSON beside it."""

    __slots__ = ("levels", "prices", "fragments", "_text")

    def __init__(self) -> None:
        self.levels: dict[Decimal, Level] = {}
        self.prices: list[Decimal] = []
        self.fragments: list[bytes] = []
        self._text: dict[bool, bytes] = {}

    def replace(self, levels: Iterable[Level]) -> None:
        self.levels = {lv.price: lv for lv in levels if lv.size > 0}
        self.prices = sorted(self.levels)
        self.fragments = [_fragment(self.levels[p]) for p in self.prices]
        self._text = {}

    def put(self, level: Level) -> None:
        price = level.price
        i = bisect_left(self.prices, price)
        if price in self.levels:
            self.fragments[i] = _fragment(level)
        else:
            self.prices.insert(i, price)
            self.fragments.insert(i, _fragment(level))
        self.levels[price] = level
        self._text = {}

    def remove(self, price: Decimal) -> None:
        if self.levels.pop(price, None) is not None:
            i = bisect_left(self.prices, price)
            del self.prices[i]
            del self.fragments[i]
            self._text = {}

    def text(self, descending: bool) -> bytes:
        """The side as the hash serialises it: ``[{"price":..,"size":..},...]`` in wire order, UTF-8."""
        text = self._text.get(descending)
        if text is None:
            text = b"[" + b",".join(reversed(self.fragments) if descending else self.fragments) + b"]"
            self._text[descending] = text
        return text


def _fragment(level: Level) -> bytes:
    return ('{"price":' + _json(level.price_text) + ',"size":' + _json(level.size_text) + "}").encode()


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
        self._bids = _Side()
        self._asks = _Side()
        self._hash_parts: tuple[tuple[str | bool | None, ...], bytes, bytes, bytes | None] | None = None

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
        self._bids.replace(snapshot.bids)
        self._asks.replace(snapshot.asks)
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
                side.remove(change.level.price)
            else:
                side.put(change.level)
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
        prices = book.prices if side == "BUY" else reversed(book.prices)
        return [(book.levels[p].price_text, book.levels[p].size_text) for p in prices]

    def expected_hashes(self) -> tuple[str, ...]:
        """The hashes this book would have in both accepted forms; empty until metadata is known.

        Equal to :func:`markets.polymarket.hashing.candidate_hashes` over :meth:`wire_levels` (older form
        first, the newer one with ``last_trade_price`` when it is known), computed from cached text.
        """
        head = self._hash_head()
        if head is None:
            return ()
        newer_suffix = self._static_parts()[2]
        newer = None
        if newer_suffix is not None:
            newer = head.copy()
            newer.update(newer_suffix)
        head.update(b"}")
        return (head.hexdigest(),) if newer is None else (head.hexdigest(), newer.hexdigest())

    def _hash_head(self) -> Any:
        # SHA-1 over what both forms share: everything up to and including neg_risk.
        if self.min_order_size is None or self.tick_size is None or self.neg_risk is None:
            return None
        start, tail, _newer = self._static_parts()
        ts = self.timestamp_text
        ts_json = b'"' + ts.encode() + b'"' if ts.isdigit() else _json(ts).encode()
        text = b"".join(
            (start, ts_json, b',"hash":"","bids":', self._bids.text(False), b',"asks":', self._asks.text(True), tail)
        )
        return hashlib.sha1(text, usedforsecurity=False)

    def _static_parts(self) -> tuple[bytes, bytes, bytes | None]:
        # What changes only with the metadata: up to the timestamp, from min_order_size to neg_risk, and the
        # newer form's last_trade_price suffix.
        key = (self.market, self.asset_id, self.min_order_size, self.tick_size, self.neg_risk, self.last_trade_price)
        if self._hash_parts is None or self._hash_parts[0] != key:
            start = '{"market":' + _json(self.market) + ',"asset_id":' + _json(self.asset_id) + ',"timestamp":'
            tail = (
                ',"min_order_size":' + _json(self.min_order_size or "") + ',"tick_size":' + _json(self.tick_size or "")
                + ',"neg_risk":' + ("true" if self.neg_risk else "false")
            )  # fmt: skip
            ltp = self.last_trade_price
            newer = None if ltp is None else (',"last_trade_price":' + _json(ltp) + "}").encode()
            self._hash_parts = (key, start.encode(), tail.encode(), newer)
        return self._hash_parts[1], self._hash_parts[2], self._hash_parts[3]

    def verify(self, hashes: tuple[str, ...]) -> bool | None:
        """Whether the book matches one of ``hashes``; ``None`` when it cannot be checked yet.

        Same answer as checking against :meth:`expected_hashes`; the newer form (the one the venue
        sends since 2026) is tried first and the older one only if it did not match.
        """
        head = self._hash_head()
        if head is None:
            return None
        newer_suffix = self._static_parts()[2]
        if newer_suffix is not None:
            newer = head.copy()
            newer.update(newer_suffix)
            if newer.hexdigest() in hashes:
                return True
        head.update(b"}")
        return head.hexdigest() in hashes

    def best_bid(self) -> Level | None:
        """The highest bid, or ``None``."""
        bids = self._bids
        return bids.levels[bids.prices[-1]] if bids.prices else None

    def best_ask(self) -> Level | None:
        """The lowest ask, or ``None``."""
        asks = self._asks
        return asks.levels[asks.prices[0]] if asks.prices else None

    def same_levels(self, snapshot: BookSnapshot) -> bool:
        """True when ``snapshot`` has exactly this book's levels (timestamps ignored)."""
        bids = {lv.price: lv.size for lv in snapshot.bids if lv.size > 0}
        asks = {lv.price: lv.size for lv in snapshot.asks if lv.size > 0}
        return bids == {p: lv.size for p, lv in self._bids.levels.items()} and asks == {
            p: lv.size for p, lv in self._asks.levels.items()
        }

    def top_signature(self) -> tuple[str, Level | None, Level | None, str | None]:
        """What :meth:`to_market_price` is made of (market, best bid, best ask, tick), cheap to compare.

        Two equal signatures give tops that differ only in their ids and times.
        """
        bids, asks = self._bids, self._asks
        bid = bids.levels[bids.prices[-1]] if bids.prices else None
        ask = asks.levels[asks.prices[0]] if asks.prices else None
        return (self.market, bid, ask, self.tick_size)

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
            tick_size=Decimal(self.tick_size) if self.tick_size else _DEFAULT_TICK,
            **extra,
        )
