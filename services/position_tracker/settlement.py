"""Settlement from the venues: when a held market resolves, a ``MarketSettled`` goes on the settlements stream.

Positions settle at what the venue pays, paper ones included (a paper position on a real market settles
when the real market does). The watcher asks the venues about every market with an open position every
``interval_s``, and at once when a game is reported over on the bus: Kalshi ``GET /markets/{ticker}``
(``finalized`` with a ``result``), Polymarket Gamma by condition id (``closed`` with each outcome priced
exactly 0 or 1, or 0.5/0.5 for a 50-50 resolution). The message id is a pure function of the market, so
asking again emits nothing new (the outbox and the inbox drop the repeat).
"""

from __future__ import annotations

import asyncio
import logging
from decimal import Decimal

import httpx

from markets.kalshi.rest import KalshiRestClient
from markets.polymarket.gamma import GammaClient
from services.position_tracker.crosscheck import alert_on_disagreement
from shared.aio import wait_event
from shared.bus import keys
from shared.db.uow import Store
from shared.errors import VenueError
from shared.messages import GameStateUpdated, MarketSettled, derive_id
from shared.prices import ONE, ZERO, Venue

log = logging.getLogger(__name__)
_FINAL_KALSHI = frozenset({"finalized"})
_HALF = Decimal("0.5")


def polymarket_payouts(token_ids: tuple[str, ...], prices: tuple[Decimal, ...]) -> dict[str, Decimal] | None:
    """Payout per token of a resolved market, or ``None`` while prices are not a resolution."""
    if not token_ids or len(token_ids) != len(prices):
        return None
    if sorted(prices) in ([ZERO, ONE], [_HALF, _HALF]) or (
        len(prices) > 2 and prices.count(ONE) == 1 and prices.count(ZERO) == len(prices) - 1
    ):
        return dict(zip(token_ids, prices, strict=True))
    return None


class SettlementWatcher:
    """Emits ``MarketSettled`` for held markets the venue has resolved."""

    def __init__(self, store: Store, kalshi: KalshiRestClient, gamma: GammaClient, interval_s: float) -> None:
        self._store = store
        self._kalshi = kalshi
        self._gamma = gamma
        self._interval_s = interval_s
        self._wake = asyncio.Event()
        self.emitted = 0

    def on_game_state(self, state: GameStateUpdated) -> None:
        """A game ended: look at the venues now rather than at the next interval."""
        if state.status == "post":
            self._wake.set()

    async def run(self, stopping: asyncio.Event) -> None:
        """Check every ``interval_s`` (or when woken) until ``stopping``."""
        while not stopping.is_set():
            await wait_event(self._wake, self._interval_s)
            self._wake.clear()
            try:
                await self.check_once()
            except Exception:  # noqa: BLE001 - the next round asks again
                log.exception("settlement check failed")

    async def check_once(self) -> int:
        """Ask about every market with an open position; return how many settlements were emitted."""
        rows = await self._store.pool.fetch(
            "SELECT DISTINCT venue, market_id FROM positions WHERE status = 'open' ORDER BY venue, market_id"
        )
        found: list[MarketSettled] = []
        kalshi = [r["market_id"] for r in rows if r["venue"] == "kalshi"]
        polymarket = [r["market_id"] for r in rows if r["venue"] == "polymarket"]
        for ticker in kalshi:
            settled = await self._kalshi_result(ticker)
            if settled is not None:
                found.append(settled)
        if polymarket:
            found.extend(await self._polymarket_results(polymarket))
        if not found:
            return 0
        for message in found:
            try:
                await alert_on_disagreement(self._store.pool, message)
            except Exception:  # noqa: BLE001 - the cross-check must never hold a settlement back
                log.exception("settlement cross-check with ESPN failed")
        async with self._store.unit_of_work() as uow:
            for message in found:
                await uow.emit(keys.SETTLEMENTS, message)
        self.emitted += len(found)
        for message in found:
            log.info("market resolved", extra={"venue": message.venue, "market_id": message.market_id})
        return len(found)

    async def _kalshi_result(self, ticker: str) -> MarketSettled | None:
        try:
            market = await self._kalshi.get_market(ticker)
        except VenueError as e:
            log.warning("kalshi market read failed", extra={"ticker": ticker, "error": str(e)})
            return None
        if market.status not in _FINAL_KALSHI or market.result not in ("yes", "no"):
            return None
        yes = ONE if market.result == "yes" else ZERO
        return _settled("kalshi", ticker, {"yes": yes, "no": ONE - yes})

    async def _polymarket_results(self, condition_ids: list[str]) -> list[MarketSettled]:
        try:
            markets = await self._gamma.markets({"condition_ids": condition_ids, "closed": True}, limit=100)
        except (VenueError, httpx.HTTPError) as e:
            log.warning("polymarket market read failed", extra={"error": str(e)})
            return []
        out = []
        for market in markets:
            if market.condition_id not in condition_ids or not market.closed:
                continue
            payouts = polymarket_payouts(market.token_ids, market.outcome_prices)
            if payouts is not None:
                out.append(_settled("polymarket", market.condition_id, payouts))
        return out


def _settled(venue: Venue, market_id: str, payouts: dict[str, Decimal]) -> MarketSettled:
    return MarketSettled(
        message_id=derive_id("market-settled", venue, market_id),
        venue=venue,
        market_id=market_id,
        payouts=payouts,
        source="venue",
    )
