"""Simulated market makers for the Kalshi simulator: resting liquidity that follows a reference path.

Each quoted market has a :class:`Quoter`: a reference probability path (a replayed game's
``reference()`` on the shared :class:`~markets.sim.replay_types.ReplayClock`, a random walk for demo
markets, or a fixed fair price set through ``/_sim``) and :class:`~markets.sim.common.makers.MakerParams`.
Every ``refresh_s`` the :class:`MakerDesk` computes the makers' fair value (lagged, noisy) and
reconciles the maker account's orders with the ladder from ``quote_ladder``, cancelling only levels
that changed. Makers trade through the normal matching engine, so a quote that moves through a
resting user order fills it. A replayed game that ends settles its market.
"""

from __future__ import annotations

import asyncio
import logging
import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from markets.sim.common.makers import MakerParams, fair_value, quote_ladder
from markets.sim.kalshi.accounts import BookSide
from markets.sim.kalshi.exchange import ExchangeError, KalshiExchange, OrderSpec
from markets.sim.replay_types import ReplayGame
from shared.prices import ONE

MAKER_KEY = "sim-maker"
log = logging.getLogger(__name__)

Reference = Callable[[float], float]


@dataclass
class Quoter:
    """How one market is quoted; ``fixed_fair`` (set via ``/_sim``) overrides the reference path.

    ``invert`` quotes ``1 - reference`` (the away team's market of a game).
    """

    ticker: str
    reference: Reference
    time_fn: Callable[[], float]
    params: MakerParams = field(default_factory=MakerParams)
    fixed_fair: Decimal | None = None
    invert: bool = False
    game: ReplayGame | None = None
    enabled: bool = True

    def fair(self, rng: random.Random) -> float:
        """The makers' fair price now, in (0, 1)."""
        if self.fixed_fair is not None:
            return float(self.fixed_fair)
        value = fair_value(self.reference, self.time_fn(), self.params, rng)
        return 1 - value if self.invert else value


class MakerDesk:
    """All simulated makers of one exchange (one maker account, unlimited collateral)."""

    def __init__(self, exchange: KalshiExchange, *, seed: int = 0) -> None:
        self.exchange = exchange
        self.quoters: dict[str, Quoter] = {}
        self._rng = random.Random(seed)
        exchange.add_account(MAKER_KEY, Decimal("1000000000"), unlimited=True)

    def add(self, quoter: Quoter) -> None:
        """Start quoting ``quoter.ticker``."""
        self.quoters[quoter.ticker] = quoter

    def set_fair(self, ticker: str, fair: Decimal) -> None:
        """Pin the makers' fair price of ``ticker`` (noise and lag no longer apply) and requote now."""
        quoter = self.quoters.get(ticker)
        if quoter is None:
            quoter = Quoter(ticker, lambda _t: float(fair), lambda: 0.0, MakerParams(noise_sd=0.0, lag_s=0.0))
            self.add(quoter)
        quoter.fixed_fair = fair
        quoter.enabled = True
        self.refresh(ticker)

    def set_book(self, ticker: str, yes: list[tuple[Decimal, Decimal]], no: list[tuple[Decimal, Decimal]]) -> None:
        """Replace the makers' orders in ``ticker`` with exactly these YES and NO bids; stop auto-quoting it."""
        if ticker in self.quoters:
            self.quoters[ticker].enabled = False
        desired: dict[tuple[BookSide, Decimal], Decimal] = {("bid", p): s for p, s in yes}
        desired |= {("ask", ONE - p): s for p, s in no}
        self._reconcile(ticker, desired)

    def refresh(self, ticker: str) -> None:
        """Requote one market from its quoter (no-op when the market is not active)."""
        quoter = self.quoters.get(ticker)
        market = self.exchange.markets.get(ticker)
        if quoter is None or market is None or not quoter.enabled or market.status != "active":
            return
        bids, asks = quote_ladder(quoter.fair(self._rng), market.tick, quoter.params)
        desired: dict[tuple[BookSide, Decimal], Decimal] = {("bid", p): s for p, s in bids}
        desired |= {("ask", p): s for p, s in asks}
        self._reconcile(ticker, desired)

    def refresh_all(self) -> None:
        """Requote every market and settle replayed games that ended."""
        self.exchange.expire_orders()
        for ticker, quoter in list(self.quoters.items()):
            self._maybe_settle(quoter)
            self.refresh(ticker)

    def _maybe_settle(self, quoter: Quoter) -> None:
        game = quoter.game
        market = self.exchange.markets.get(quoter.ticker)
        if game is None or market is None or market.status == "finalized" or game.home_won is None:
            return
        if game.at(quoter.time_fn()).status == "post":
            home_won = game.home_won != quoter.invert
            self.exchange.settle(quoter.ticker, "yes" if home_won else "no")

    def _reconcile(self, ticker: str, desired: dict[tuple[BookSide, Decimal], Decimal]) -> None:
        account = self.exchange.account(MAKER_KEY)
        for order in [o for o in account.orders.values() if o.ticker == ticker and o.status == "resting"]:
            key = (order.side, order.price)
            if desired.get(key) == order.remaining:
                desired.pop(key)
            else:
                self.exchange.cancel_order(MAKER_KEY, order.order_id)
        for (side, price), size in sorted(desired.items(), key=lambda kv: (kv[0][0], kv[0][1])):
            spec = OrderSpec(ticker, side, price, size, client_order_id=f"mk-{uuid.uuid4().hex[:16]}")
            try:
                self.exchange.create_order(MAKER_KEY, spec)
            except ExchangeError as e:
                log.debug("maker order refused: %s", e)
        for order_id in [o.order_id for o in account.orders.values() if o.status != "resting"]:
            order = account.orders.pop(order_id)
            account.by_client_id.pop(order.client_order_id, None)
            self.exchange.orders.pop(order_id, None)

    async def run(self, interval_s: float | None = None) -> None:
        """Requote every ``interval_s`` (default: the smallest ``refresh_s``) until cancelled."""
        while True:
            self.refresh_all()
            refresh = [q.params.refresh_s for q in self.quoters.values()]
            await asyncio.sleep(interval_s or min(refresh, default=1.0))
