"""Simulated market makers: resting liquidity on both sides of every market, following a reference path.

Each market gets a reference ``p(t)`` — the probability of outcome 0 (for a replayed game, derived from
the game's reference win probability; for demo markets, a random walk) — and
:class:`~markets.sim.common.makers.MakerParams`. Every ``refresh_s`` the makers re-quote a ladder
around :func:`~markets.sim.common.makers.fair_value` (lagged, noisy) in token-0 terms; the mirrored
token-1 book follows automatically. Their quotes trade against resting client orders they cross, as a
real maker hitting a stale quote would.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from markets.sim.common.makers import MakerParams, fair_value, quote_ladder
from markets.sim.polymarket.exchange import MAKER_ADDRESS, MAKER_OWNER, Exchange
from markets.sim.polymarket.market import SimMarket, derive_hex
from markets.sim.polymarket.records import Side, SimOrder

log = logging.getLogger(__name__)
Reference = Callable[[float], float]
_quote_ids = itertools.count(1)
Ladder = list[tuple[Decimal, Decimal]]


def _sides(bids: Ladder, asks: Ladder) -> list[tuple[Side, Ladder]]:
    return [("BUY", bids), ("SELL", asks)]


@dataclass
class MakerBook:
    """The makers of one market."""

    market: SimMarket
    reference: Reference
    params: MakerParams
    rng: random.Random
    enabled: bool = True
    next_refresh: float = field(default=0.0)
    settle_when: Callable[[float], int | None] | None = None


class Makers:
    """All simulated makers of a simulator.

    Parameters
    ----------
    exchange
        Where the quotes go.
    timeline
        Seconds on the reference's time axis "now" (replay seconds for replayed games, seconds since
        start for demo markets).
    """

    def __init__(self, exchange: Exchange, timeline: Callable[[], float], clock: Callable[[], float] = time.time):
        self.exchange = exchange
        self.timeline = timeline
        self._clock = clock
        self.books: dict[str, MakerBook] = {}

    def add(
        self,
        market: SimMarket,
        reference: Reference,
        params: MakerParams,
        seed: int = 0,
        settle_when: Callable[[float], int | None] | None = None,
    ) -> MakerBook:
        """Start quoting ``market`` (first quotes immediately).

        ``settle_when(t)`` (optional) returns the winning outcome index once the underlying game is over;
        the market is then settled and the makers stop.
        """
        book = MakerBook(market, reference, params, random.Random(seed), settle_when=settle_when)
        self.books[market.condition_id] = book
        self.refresh(book)
        return book

    def set_price(self, condition_id: str, probability: float) -> None:
        """Pin the reference of a market to ``probability`` and re-quote now (the control API's "move price")."""
        book = self.books[condition_id]
        book.reference = lambda _t: probability
        self.refresh(book)

    def set_enabled(self, condition_id: str, enabled: bool) -> None:
        """Pause (cancelling the quotes) or resume a market's makers."""
        book = self.books[condition_id]
        book.enabled = enabled
        if enabled:
            self.refresh(book)
        else:
            self.exchange.replace_quotes(book.market, [])

    def refresh(self, book: MakerBook) -> None:
        """Replace the market's quotes with a fresh ladder."""
        book.next_refresh = self._clock() + book.params.refresh_s
        market = book.market
        if market.closed or not book.enabled:
            return
        now_t = self.timeline()
        winner = book.settle_when(now_t) if book.settle_when is not None else None
        if winner is not None:
            self.exchange.replace_quotes(market, [])
            self.exchange.settle(market, winner)
            return
        fair = fair_value(book.reference, now_t, book.params, book.rng)
        bids, asks = quote_ladder(fair, market.tick_size, book.params)
        now = int(self._clock())
        orders = [
            SimOrder(
                order_id=derive_hex("maker", market.condition_id, next(_quote_ids)),
                owner=MAKER_OWNER,
                address=MAKER_ADDRESS,
                market=market,
                index=0,
                side=side,
                price=price,
                size=size,
                order_type="GTC",
                created_at_s=now,
                bot=True,
            )
            for side, ladder in _sides(bids, asks)
            for price, size in ladder
        ]
        self.exchange.replace_quotes(market, orders)

    def refresh_due(self) -> None:
        """Re-quote every market whose refresh time has come."""
        now = self._clock()
        for book in list(self.books.values()):
            if book.enabled and now >= book.next_refresh:
                try:
                    self.refresh(book)
                except Exception:  # a bad reference must not stop the other markets
                    log.exception("maker refresh failed for %s", book.market.slug)
                    book.next_refresh = now + book.params.refresh_s

    async def run(self, tick_s: float = 0.1) -> None:
        """Re-quote markets as their refresh times come, until cancelled."""
        while True:
            self.refresh_due()
            await asyncio.sleep(tick_s)
