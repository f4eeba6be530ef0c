"""Checks made before a Kalshi order leaves the process; each refusal is ``Rejected(sent=False)``.

- **Shape** (:func:`check_request`, pure): a usable client order id, ``yes``/``no`` outcome, ``buy``/``sell``,
  exact ``Decimal`` price inside (0, 1) and quantity in 0.01-contract steps (Kalshi's granularity,
  venues.md §1.3) at or above the request's ``min_size``, a supported time in force.
- **Market** (:func:`check_market`, pure): the market is ``active``; the YES-leg price sits on one band of
  its ``price_ranges`` grid (the source of truth for ticks); whole contracts unless fractional trading is on.
- **Money** (:class:`BalanceGate`): a buy must fit the available balance of its market's exchange shard
  with the worst-case (taker) fee.

Market metadata is cached for ``market_ttl_s`` (:class:`MarketCache`); an unknown ticker is refused.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal

from markets.base import OrderRequest, Rejected
from markets.kalshi.execution.mapping import yes_leg
from markets.kalshi.models import DEFAULT_SHARD, KalshiBalance, MarketInfo, PriceBand
from markets.kalshi.rest import KalshiRestClient
from shared.fees import kalshi_fee
from shared.prices import ONE, ZERO

log = logging.getLogger(__name__)

MIN_COUNT = Decimal("0.01")
MAX_CLIENT_ORDER_ID = 64
_PRICE_DP = Decimal("0.0001")


def refuse(request: OrderRequest, reason: str, code: str) -> Rejected:
    """A refusal made before anything was sent."""
    return Rejected(reason, code=code, client_order_id=request.client_order_id, sent=False)


def check_request(request: OrderRequest, now: datetime | None = None) -> Rejected | None:
    """The refusal for a malformed request, or ``None`` (no I/O)."""
    cid = request.client_order_id
    if not isinstance(cid, str) or not cid or len(cid) > MAX_CLIENT_ORDER_ID:
        return refuse(request, f"client_order_id must be 1..{MAX_CLIENT_ORDER_ID} characters", "invalid_order")
    if request.outcome_id not in ("yes", "no"):
        return refuse(request, f"outcome_id must be 'yes' or 'no', not {request.outcome_id!r}", "invalid_order")
    if request.side not in ("buy", "sell"):
        return refuse(request, f"side must be 'buy' or 'sell', not {request.side!r}", "invalid_order")
    return _check_price(request) or _check_quantity(request) or _check_time(request, now or datetime.now(UTC))


def _check_price(request: OrderRequest) -> Rejected | None:
    price = request.limit_price
    if not isinstance(price, Decimal) or not price.is_finite():
        return refuse(request, f"limit_price must be an exact Decimal, not {price!r}", "invalid_price")
    if not ZERO < price < ONE:
        return refuse(request, f"limit price {price} must be inside (0, 1)", "invalid_price")
    tick = request.tick_size
    if tick is not None and tick > 0 and price % tick != 0:
        return refuse(request, f"limit price {price} is off the tick {tick}", "off_tick")
    if price != price.quantize(_PRICE_DP):
        return refuse(request, f"limit price {price} is off the tick grid (finer than 0.0001)", "off_tick")
    return None


def _check_quantity(request: OrderRequest) -> Rejected | None:
    quantity = request.quantity
    if not isinstance(quantity, Decimal) or not quantity.is_finite():
        return refuse(request, f"quantity must be an exact Decimal, not {quantity!r}", "invalid_quantity")
    minimum = max(MIN_COUNT, request.min_size or ZERO)
    if quantity < minimum:
        return refuse(request, f"quantity {quantity} is below the minimum size {minimum} contracts", "below_minimum")
    if quantity % MIN_COUNT != 0:
        return refuse(request, f"quantity {quantity} must be in steps of {MIN_COUNT} contracts", "invalid_quantity")
    return None


def _check_time(request: OrderRequest, now: datetime) -> Rejected | None:
    tif, expires = request.time_in_force, request.expires_at
    if tif not in ("gtc", "gtd", "ioc", "fok"):
        return refuse(request, f"time in force {tif!r} is not supported", "invalid_order")
    if tif == "gtd" and expires is None:
        return refuse(request, "a gtd order needs expires_at", "invalid_order")
    if expires is not None:
        if tif in ("ioc", "fok"):
            return refuse(request, f"expires_at cannot be used with {tif}", "invalid_order")
        if expires.tzinfo is None or expires <= now:
            return refuse(request, "expires_at must be a timezone-aware time in the future", "invalid_order")
    return None


def on_grid(price: Decimal, bands: tuple[PriceBand, ...]) -> bool:
    """True when ``price`` lies on one band of the market's price grid."""
    return any(b.start <= price <= b.end and (price - b.start) % b.step == 0 for b in bands)


def check_market(request: OrderRequest, market: MarketInfo) -> Rejected | None:
    """The refusal for a request the market cannot take, or ``None`` (no I/O)."""
    if not market.is_open:
        return refuse(
            request, f"market {market.ticker} is not open for trading (status {market.status_raw})", "market_inactive"
        )
    price = yes_leg(request.outcome_id, request.limit_price)  # type: ignore[arg-type]
    if not on_grid(price, market.price_bands):
        steps = ", ".join(f"{b.start}-{b.end} step {b.step}" for b in market.price_bands)
        return refuse(request, f"limit price {request.limit_price} is off the market's tick grid ({steps})", "off_tick")
    if not market.fractional_trading_enabled and request.quantity % 1 != 0:
        reason = f"quantity {request.quantity} must be whole contracts in this market"
        return refuse(request, reason, "invalid_quantity")
    return None


def worst_case_cost(request: OrderRequest) -> Decimal:
    """Dollars a buy can take from the balance: price x quantity plus the taker fee (0 for a sell)."""
    if request.side != "buy":
        return ZERO  # a sell may close a position; the venue decides whether it opens one it cannot pay for
    return request.limit_price * request.quantity + kalshi_fee(request.limit_price, request.quantity)


class MarketCache:
    """Market metadata by ticker, trusted for ``ttl_s`` seconds."""

    def __init__(self, rest: KalshiRestClient, ttl_s: float, clock: Callable[[], float] = time.monotonic) -> None:
        self._rest = rest
        self._ttl_s = ttl_s
        self._clock = clock
        self._markets: dict[str, tuple[float, MarketInfo]] = {}

    async def get(self, ticker: str) -> MarketInfo:
        """The market (cached).

        Raises
        ------
        shared.errors.Rejected
            The venue does not know ``ticker`` (``not_found``).
        shared.errors.VenueError
            Any other failure to read it.
        """
        cached = self._markets.get(ticker)
        now = self._clock()
        if cached is not None and now - cached[0] < self._ttl_s:
            return cached[1]
        market = await self._rest.get_market(ticker)
        self._markets[ticker] = (now, market)
        return market

    def invalidate(self, ticker: str) -> None:
        """Forget ``ticker`` (after the venue said it is not tradable)."""
        self._markets.pop(ticker, None)


class BalanceGate:
    """The available balance for pre-send checks, per exchange shard.

    Kalshi keeps a separate balance on each exchange shard (``balance_breakdown``); an order can only use
    the cash of its market's shard, so a buy is checked against that shard's balance, never the total.
    A known balance, minus what orders sent since it was read may take, answers the check at once; once
    it is older than ``ttl_s`` (or a fill or a venue ``insufficient_balance`` made it stale) a fresh read
    starts in the background, so no order waits on it. An order that does not fit the estimate is
    re-checked against a fresh balance before it is refused, so a refusal is never made on stale data; the
    venue remains the final judge. Only the very first check waits for a read.
    """

    def __init__(self, rest: KalshiRestClient, ttl_s: float, clock: Callable[[], float] = time.monotonic) -> None:
        self._rest = rest
        self._ttl_s = ttl_s
        self._clock = clock
        self._balance: KalshiBalance | None = None
        self._spent: dict[int, Decimal] = {}
        self._spent_during_read: dict[int, Decimal] | None = None  # reserved while a read is on its way
        self._fetched = 0.0
        self._stale = True
        self._reading: asyncio.Task[None] | None = None
        self.reads = 0

    def _start_read(self) -> asyncio.Task[None]:
        # Reservations from now on may be missing from the venue's figure (counted twice at worst: safe).
        self._spent_during_read = {}
        self._reading = asyncio.ensure_future(self._read())
        return self._reading

    async def _read(self) -> None:
        try:
            balance = await self._rest.get_balance()
        except BaseException:
            self._spent_during_read = None
            raise
        # What was reserved before the read began is in the venue's figure; what came since is not.
        self._balance, self._spent = balance, self._spent_during_read or {}
        self._spent_during_read = None
        self._fetched = self._clock()
        self._stale = False
        self.reads += 1

    async def _fresh(self) -> None:
        """A read that began now or is under way (one at a time)."""
        reading = self._reading if self._reading is not None and not self._reading.done() else self._start_read()
        await asyncio.shield(reading)

    def _refresh_later(self) -> None:
        if self._reading is None or self._reading.done():
            self._start_read().add_done_callback(_log_failed_read)

    async def shortfall(self, cost: Decimal, exchange_index: int = DEFAULT_SHARD) -> Decimal | None:
        """``None`` when ``cost`` fits shard ``exchange_index`` (and reserve it); else that shard's freshly
        fetched available balance."""
        if cost <= 0:
            return None
        if self._balance is None:
            await self._fresh()
        elif self._stale or self._clock() - self._fetched >= self._ttl_s:
            self._refresh_later()
        if cost > self._available(exchange_index):
            await self._fresh()  # never refused on an estimate
            available = self._available(exchange_index)
            if cost > available:
                return available
        self._reserve(exchange_index, cost)
        return None

    def _available(self, exchange_index: int) -> Decimal:
        assert self._balance is not None
        return self._balance.on_shard(exchange_index) - self._spent.get(exchange_index, ZERO)

    def _reserve(self, exchange_index: int, cost: Decimal) -> None:
        self._spent[exchange_index] = self._spent.get(exchange_index, ZERO) + cost
        if self._spent_during_read is not None:
            self._spent_during_read[exchange_index] = self._spent_during_read.get(exchange_index, ZERO) + cost

    def invalidate(self) -> None:
        """Read again soon (after a venue ``insufficient_balance`` or a fill); checks go on from the estimate."""
        self._stale = True


def _log_failed_read(task: asyncio.Task[None]) -> None:
    if not task.cancelled() and task.exception() is not None:
        log.warning("background balance read failed; checks go on from the last balance", exc_info=task.exception())
