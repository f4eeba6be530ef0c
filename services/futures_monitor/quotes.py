"""Reading a market's pre-game home-win bid and ask with the production venue clients (public data, no keys).

Kalshi: ``GET /markets/{ticker}/orderbook`` (YES and NO bids; the YES ask is ``1 - best NO bid``).
Polymarket: the CLOB ``GET /book`` of the token (top of book is the last level of each side).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from markets.kalshi.rest import KalshiRestClient
from markets.polymarket.clob import ClobReader
from services.futures_monitor.sources import LineSource

ZERO, ONE = Decimal(0), Decimal(1)


@dataclass(frozen=True, slots=True)
class HomeQuote:
    """A two-sided home-win quote of one market, probability scale."""

    venue: str
    market_id: str
    bid: Decimal
    ask: Decimal

    @property
    def mid(self) -> Decimal:
        """``(bid + ask) / 2``."""
        return (self.bid + self.ask) / 2


class LineReader(Protocol):
    """Reads one source's home-win quote; ``None`` when its book is not two-sided."""

    async def read(self, source: LineSource) -> HomeQuote | None:
        """The quote now (raises the venue client's errors)."""
        ...


def _quote(source: LineSource, bid: Decimal | None, ask: Decimal | None) -> HomeQuote | None:
    if bid is None or ask is None or not ZERO < bid <= ask < ONE:
        return None
    if source.flip:
        bid, ask = ONE - ask, ONE - bid
    return HomeQuote(source.venue, source.market_id, bid, ask)


class VenueLineReader:
    """Kalshi order books and Polymarket CLOB books through the production clients (owned by the caller)."""

    def __init__(self, kalshi: KalshiRestClient, clob: ClobReader) -> None:
        self._kalshi = kalshi
        self._clob = clob

    async def read(self, source: LineSource) -> HomeQuote | None:
        """The source's quote now."""
        if source.venue == "kalshi":
            book = await self._kalshi.get_orderbook(source.market_id)
            own, other = (book.yes, book.no) if source.outcome_id == "yes" else (book.no, book.yes)
            bid = own[-1].price if own else None
            ask = ONE - other[-1].price if other else None
            return _quote(source, bid, ask)
        snapshot = await self._clob.book(source.outcome_id)
        bid = snapshot.bids[-1].price if snapshot.bids else None
        ask = snapshot.asks[-1].price if snapshot.asks else None
        return _quote(source, bid, ask)
