"""The simulated Kalshi exchange: markets, one price-time order book each, orders, fills, settlement.

Each market has one :class:`~markets.sim.common.orderbook.OrderBook` for its YES contract: a ``bid``
buys YES at ``p``; an ``ask`` sells YES at ``p``, which is the same as buying NO at ``1 - p`` (so the
public book shows it as a NO bid at ``1 - p``). Orders are idempotent per API key by
``client_order_id``: a repeat returns the existing order and never creates a second one. Fees follow
:func:`shared.fees.kalshi_fee` per fill; settlement pays $1 per winning contract.

Every state change is announced to :attr:`KalshiExchange.listeners` (the WebSocket hub) as book
deltas computed by diffing the aggregated levels before and after the operation, then trades, fills,
order changes and a market-changed note — in that order, synchronously, so sequence numbers follow
the book.

A market past its close (``closed``, ``determined`` ... ``finalized``: :data:`CLOSED_STATUSES`) refuses every
order operation, cancellations included, with 400 ``MARKET_INACTIVE`` (venues.md §1.5, after close:
"``MARKET_INACTIVE`` rejections for all order ops"; Kalshi's market-lifecycle page: "all order operations,
including cancellations, are rejected with ``MARKET_INACTIVE``. Resting orders are cancelled shortly after
close, and cancellation updates are published on the usual user channels"). So closing a market cancels
what rests on it at once (:meth:`KalshiExchange.cancel_closed_market`), each cancellation announced like any
other; ``set_status(..., cancel_resting=False)`` holds that back to model the "shortly after" window, in
which a resting order can no longer be cancelled by its owner. The venue's status code is not documented;
400 is the one this simulator gives every other refused order.
"""

from __future__ import annotations

import contextlib
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import ROUND_FLOOR, Decimal
from typing import Literal

from markets.sim.common.orderbook import BookOrder, OrderBook
from markets.sim.kalshi.accounts import Account, BookSide, SimFill, SimOrder, unit_cost
from shared.fees import kalshi_fee
from shared.prices import ONE, ZERO

USER_NAMESPACE = uuid.UUID("2d7c7d1e-4c1b-5f7e-9a55-6b1f0e2a9c41")
CENT = Decimal("0.01")
DEFAULT_SHARD_ALLOCATION: dict[int, Decimal] = {0: Decimal("0.5"), 1: Decimal("0.5")}
"""A new account's cash per exchange shard: half on the default shard 0, half on shard 1 (baseball, tennis)."""
Outcome = Literal["yes", "no"]
CLOSED_STATUSES = frozenset({"closed", "determined", "disputed", "amended", "finalized"})
"""Market statuses past ``close_time``: every order operation is refused ``MARKET_INACTIVE``."""


class ExchangeError(Exception):
    """A request the exchange refuses; rendered as Kalshi's ``{"error": {...}}`` body."""

    def __init__(self, status: int, code: str, message: str, details: str = "") -> None:
        super().__init__(f"{status} {code}: {message} {details}".strip())
        self.status = status
        self.code = code
        self.message = message
        self.details = details


@dataclass
class SimSeries:
    """A series such as ``KXNBAGAME``."""

    ticker: str
    title: str
    category: str = "Sports"
    tags: tuple[str, ...] = ()
    frequency: str = "custom"
    fee_type: str = "quadratic"
    fee_multiplier: int = 1


@dataclass
class SimEvent:
    """An event (one game)."""

    event_ticker: str
    series_ticker: str
    title: str
    sub_title: str = ""
    mutually_exclusive: bool = True


@dataclass
class SimMarket:
    """One binary market and its book; prices on the YES leg."""

    ticker: str
    event_ticker: str
    title: str
    yes_sub_title: str
    no_sub_title: str
    open_time: datetime
    close_time: datetime
    expected_expiration_time: datetime
    created_time: datetime
    rules_primary: str = ""
    status: str = "active"
    result: str = ""
    price_level_structure: str = "linear_cent"
    price_ranges: tuple[tuple[Decimal, Decimal, Decimal], ...] = ((ZERO, ONE, CENT),)
    custom_strike: dict[str, str] = field(default_factory=dict)
    market_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    last_price: Decimal = ZERO
    last_trade_size: Decimal = ZERO
    volume: Decimal = ZERO
    open_interest: Decimal = ZERO
    settlement_value: Decimal | None = None
    settled_time: datetime | None = None
    exchange_index: int = 0
    """The exchange shard the market lives on (its orders, cancels and cash belong to that shard)."""
    book: OrderBook = field(init=False)

    def __post_init__(self) -> None:
        self.book = OrderBook(self.ticker)

    @property
    def tick(self) -> Decimal:
        """The finest step of the price grid."""
        return min(step for _, _, step in self.price_ranges)

    def on_grid(self, price: Decimal) -> bool:
        """True when ``price`` is strictly inside (0, 1) and on one band of the grid."""
        if not ZERO < price < ONE:
            return False
        return any(start <= price <= end and (price - start) % step == 0 for start, end, step in self.price_ranges)

    def aggregated(self) -> tuple[dict[Decimal, Decimal], dict[Decimal, Decimal]]:
        """``(yes_bids, no_bids)`` as ``price -> size``; NO prices on the NO leg."""
        yes = dict(self.book.levels("buy"))
        no = {ONE - price: size for price, size in self.book.levels("sell")}
        return yes, no


@dataclass(frozen=True)
class SimTrade:
    """A public trade; ``taker_side`` is the taker's book side."""

    trade_id: str
    ticker: str
    count: Decimal
    yes_price: Decimal
    taker_side: BookSide
    created: datetime


@dataclass(frozen=True)
class OrderSpec:
    """A validated order request, YES-leg view."""

    ticker: str
    side: BookSide
    price: Decimal
    count: Decimal
    client_order_id: str = ""
    time_in_force: str = "good_till_canceled"
    self_trade_prevention: str = "taker_at_cross"
    post_only: bool = False
    reduce_only: bool = False
    expiration_ts: int | None = None
    legacy_side: str | None = None
    legacy_action: str | None = None
    exchange_index: int | None = None
    """The shard the create named; ``None`` or ``-1``: routed by ticker; another shard than the market's: 404."""


@dataclass(frozen=True)
class BookChanged:
    """Aggregated size at one level changed by ``delta`` (caused by ``owner``'s order ``client_order_id``)."""

    ticker: str
    side: Outcome
    price: Decimal
    delta: Decimal
    owner: str | None
    client_order_id: str | None
    at: datetime


@dataclass(frozen=True)
class TradeExecuted:
    """A public trade happened."""

    trade: SimTrade


@dataclass(frozen=True)
class FillExecuted:
    """One of ``fill.owner``'s orders filled."""

    fill: SimFill


@dataclass(frozen=True)
class MarketChanged:
    """Top of book, last price or status of ``ticker`` may have changed."""

    ticker: str


@dataclass(frozen=True)
class OrderChanged:
    """``order`` was created, filled, cancelled or expired (feeds the private ``user_orders`` channel)."""

    order: SimOrder


ExchangeEvent = BookChanged | TradeExecuted | FillExecuted | MarketChanged | OrderChanged
Listener = Callable[[ExchangeEvent], None]


class KalshiExchange:
    """All state of one simulated Kalshi venue.

    Parameters
    ----------
    starting_balance
        Dollars credited to an API key the first time it is seen, split over the exchange shards by
        ``shard_allocation``.
    shard_allocation
        The share of a new account's cash on each exchange shard (default: half on shard 0, half on
        shard 1, where baseball lives; see ``markets.sim.kalshi.seeding.SHARDS``). Shares sum to 1.
    clock
        Wall-clock seconds (``time.time``).
    """

    def __init__(
        self,
        *,
        starting_balance: Decimal = Decimal("10000"),
        shard_allocation: dict[int, Decimal] | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.starting_balance = starting_balance
        self.shard_allocation = dict(shard_allocation or DEFAULT_SHARD_ALLOCATION)
        if sum(self.shard_allocation.values(), ZERO) != ONE:
            raise ValueError(f"shard_allocation must sum to 1: {self.shard_allocation}")
        self.clock = clock
        self.trading_active = True
        self.series: dict[str, SimSeries] = {}
        self.events: dict[str, SimEvent] = {}
        self.markets: dict[str, SimMarket] = {}
        self.accounts: dict[str, Account] = {}
        self.orders: dict[str, SimOrder] = {}
        self.trades: list[SimTrade] = []
        self.listeners: list[Listener] = []
        self._pending: list[ExchangeEvent] = []
        self._touched: dict[str, SimOrder] = {}

    def now(self) -> datetime:
        """The exchange's current time (UTC)."""
        return datetime.fromtimestamp(self.clock(), UTC)

    # -- reference data --------------------------------------------------------------------------

    def add_series(self, series: SimSeries) -> SimSeries:
        """Register a series (idempotent by ticker)."""
        return self.series.setdefault(series.ticker, series)

    def add_event(self, event: SimEvent) -> SimEvent:
        """Register an event (idempotent by ticker)."""
        return self.events.setdefault(event.event_ticker, event)

    def add_market(self, market: SimMarket) -> SimMarket:
        """Open a market.

        Raises
        ------
        ExchangeError
            409 when the ticker exists, 404 when its event is unknown.
        """
        if market.ticker in self.markets:
            raise ExchangeError(409, "market_already_exists", "market already exists", market.ticker)
        if market.event_ticker not in self.events:
            raise ExchangeError(404, "event_not_found", "event not found", market.event_ticker)
        self.markets[market.ticker] = market
        return market

    def market(self, ticker: str) -> SimMarket:
        """The market, or 404 ``not_found``."""
        market = self.markets.get(ticker)
        if market is None:
            raise ExchangeError(404, "not_found", "not found")
        return market

    def series_of(self, market: SimMarket) -> SimSeries | None:
        """The series a market belongs to."""
        event = self.events.get(market.event_ticker)
        return self.series.get(event.series_ticker) if event else None

    # -- accounts --------------------------------------------------------------------------------

    def add_account(self, key_id: str, cash: Decimal | None = None, *, unlimited: bool = False) -> Account:
        """Create (or return) the account of ``key_id``."""
        if key_id not in self.accounts:
            user_id = str(uuid.uuid5(USER_NAMESPACE, key_id))
            balance = self.starting_balance if cash is None else cash
            self.accounts[key_id] = Account(key_id, user_id, self._split(balance), unlimited=unlimited)
        return self.accounts[key_id]

    def account(self, key_id: str) -> Account:
        """The account of ``key_id``, created with the starting balance on first use."""
        return self.add_account(key_id)

    def _split(self, cash: Decimal) -> dict[int, Decimal]:
        """``cash`` over the shards by ``shard_allocation`` (whole cents; the remainder on the last shard)."""
        shards = sorted(self.shard_allocation)
        split = {s: (cash * self.shard_allocation[s]).quantize(CENT, rounding=ROUND_FLOOR) for s in shards[:-1]}
        split[shards[-1]] = cash - sum(split.values(), ZERO)
        return split

    # -- orders ----------------------------------------------------------------------------------

    def create_order(self, owner: str, spec: OrderSpec) -> tuple[SimOrder, bool]:
        """Place an order; returns ``(order, duplicate)``.

        Idempotent: a repeated non-empty ``client_order_id`` of the same key returns the existing
        order with ``duplicate=True`` and changes nothing.

        Raises
        ------
        ExchangeError
            ``market_not_found`` (also when ``spec.exchange_index`` names another shard than the
            market's), ``MARKET_INACTIVE``, ``invalid_price``, ``invalid_order``, ``insufficient_balance``.
        """
        self.expire_orders()
        account = self.account(owner)
        market = self.markets.get(spec.ticker)
        if market is not None:
            _refuse_if_closed(market)  # even a repeated client_order_id: every order operation is refused
        if spec.client_order_id and spec.client_order_id in account.by_client_id:
            return self.orders[account.by_client_id[spec.client_order_id]], True
        if market is None or spec.exchange_index not in (None, -1, market.exchange_index):
            raise ExchangeError(404, "market_not_found", "market not found")  # not on the shard it was sent to
        count = self._check(market, account, spec)
        now = self.now()
        order = SimOrder(
            order_id=str(uuid.uuid4()), owner=owner, user_id=account.user_id, client_order_id=spec.client_order_id,
            ticker=spec.ticker, side=spec.side, price=spec.price, initial=count, remaining=count,
            time_in_force=spec.time_in_force, self_trade_prevention=spec.self_trade_prevention, created=now,
            updated=now, expiration_ts=spec.expiration_ts, post_only=spec.post_only, reduce_only=spec.reduce_only,
            legacy_side=spec.legacy_side, legacy_action=spec.legacy_action, exchange_index=market.exchange_index,
            requested_exchange_index=spec.exchange_index,
        )  # fmt: skip
        with self._publishing(market, owner, spec.client_order_id or None):
            self.orders[order.order_id] = order
            self._touched[order.order_id] = order
            account.orders[order.order_id] = order
            if spec.client_order_id:
                account.by_client_id[spec.client_order_id] = order.order_id
            self._place(market, account, order)
        return order, False

    def _check(self, market: SimMarket, account: Account, spec: OrderSpec) -> Decimal:
        if market.status != "active" or not self.trading_active:
            raise ExchangeError(400, "MARKET_INACTIVE", "market is not open for trading", market.status)
        if not market.on_grid(spec.price):
            raise ExchangeError(400, "invalid_price", "invalid price", f"{spec.price} is off the market's grid")
        if spec.count <= 0 or spec.count % CENT != 0:
            raise ExchangeError(400, "invalid_order", "invalid order", "count must be positive in 0.01 steps")
        if spec.time_in_force not in ("good_till_canceled", "immediate_or_cancel", "fill_or_kill"):
            raise ExchangeError(400, "invalid_order", "invalid order", f"time_in_force {spec.time_in_force}")
        count = spec.count
        if spec.reduce_only:
            count = min(count, account.closable(market.ticker, spec.side))
            if count <= 0:
                raise ExchangeError(400, "invalid_order", "invalid order", "reduce_only order would not reduce")
        taker_side: Literal["buy", "sell"] = "buy" if spec.side == "bid" else "sell"
        crossing = market.book.fillable(taker_side, spec.price, exclude_owner=account.key_id)
        if spec.post_only and crossing > 0:
            raise ExchangeError(400, "invalid_order", "invalid order", "post_only order would cross the book")
        if not account.unlimited:
            opening = max(ZERO, count - account.closable(market.ticker, spec.side))
            fee = self._fee(market, spec.price, min(count, crossing), maker=False)
            if opening * unit_cost(spec.side, spec.price) + fee > account.available_on(market.exchange_index):
                raise ExchangeError(400, "insufficient_balance", "insufficient balance")
        return count

    def _place(self, market: SimMarket, account: Account, order: SimOrder) -> None:
        side: Literal["buy", "sell"] = "buy" if order.side == "bid" else "sell"
        opening = max(ZERO, order.initial - account.closable(market.ticker, order.side))
        order.reserved = opening * unit_cost(order.side, order.price)
        if order.self_trade_prevention == "maker":
            for own in market.book.resting(account.key_id):
                crosses = own.price <= order.price if side == "buy" else own.price >= order.price
                if own.side != side and crosses:
                    self._cancel_resting(market, self.orders[own.order_id])
        if order.time_in_force == "fill_or_kill":
            if market.book.fillable(side, order.price, exclude_owner=account.key_id) < order.initial:
                order.close(self.now())
                return
        taker = BookOrder(order.order_id, account.key_id, side, order.price, order.initial, None, order.client_order_id)
        for match in market.book.match(taker):
            self._execute(market, self.orders[match.maker.order_id], order, match.price, match.quantity)
        if taker.left > 0 and order.remaining > 0 and order.time_in_force == "good_till_canceled":
            market.book.rest(taker)
        elif order.status == "resting":
            order.close(self.now())  # IOC remainder, or cut by self-trade prevention

    def _fee(self, market: SimMarket, price: Decimal, quantity: Decimal, *, maker: bool) -> Decimal:
        series = self.series_of(market)
        fee_type = series.fee_type if series else "quadratic"
        return kalshi_fee(price, quantity, maker=maker, fee_type=fee_type)

    def _execute(self, market: SimMarket, maker: SimOrder, taker: SimOrder, price: Decimal, quantity: Decimal) -> None:
        now = self.now()
        trade_id = str(uuid.uuid4())
        for order, is_taker in ((maker, False), (taker, True)):
            fee = self._fee(market, price, quantity, maker=not is_taker)
            order.record_fill(quantity, price, fee, taker=is_taker, at=now)
            self._touched[order.order_id] = order
            account = self.accounts[order.owner]
            post = account.apply_fill(market.ticker, order.side, price, quantity, fee, market.exchange_index)
            account.position(market.ticker).updated = now
            fill = SimFill(
                trade_id, order.order_id, order.owner, order.client_order_id, market.ticker, order.side, price,
                quantity, is_taker, fee, now, post, market.exchange_index,
            )  # fmt: skip
            account.fills.append(fill)
            self._pending.append(FillExecuted(fill))
        market.last_price, market.last_trade_size = price, quantity
        market.volume += quantity
        market.open_interest = sum(
            (
                max(ZERO, a.positions[market.ticker].position)
                for a in self.accounts.values()
                if market.ticker in a.positions
            ),
            ZERO,
        )
        trade = SimTrade(trade_id, market.ticker, quantity, price, taker.side, now)
        self.trades.append(trade)
        self._pending.append(TradeExecuted(trade))

    def cancel_order(
        self, owner: str, order_id: str, *, exchange_index: int | None = None, market_ticker: str | None = None
    ) -> tuple[SimOrder, Decimal]:
        """Cancel what is left of ``owner``'s order; returns ``(order, reduced_by)``.

        ``exchange_index`` (V2 and legacy cancels) must name the shard of the order's market: the order
        is looked up on that shard only. ``None`` skips the check (the simulator's own makers).

        Raises
        ------
        ExchangeError
            404 ``not_found`` when the order is unknown to this key, not on shard ``exchange_index``,
            not in ``market_ticker`` (when given), or no longer resting; 400 ``MARKET_INACTIVE`` when its
            market is past close (whether the order still rests or the venue already cancelled it).
        """
        self.expire_orders()
        order = self.accounts[owner].orders.get(order_id) if owner in self.accounts else None
        if order is None:
            raise ExchangeError(404, "not_found", "not found")
        if exchange_index is not None and exchange_index != order.exchange_index:
            raise ExchangeError(404, "not_found", "not found")
        if market_ticker is not None and market_ticker != order.ticker:
            raise ExchangeError(404, "not_found", "not found")
        market = self.markets[order.ticker]
        _refuse_if_closed(market)
        if order.status != "resting":
            raise ExchangeError(404, "not_found", "not found")
        with self._publishing(market, owner, order.client_order_id or None):
            reduced = self._cancel_resting(market, order)
        return order, reduced

    def _cancel_resting(self, market: SimMarket, order: SimOrder) -> Decimal:
        market.book.cancel(order.order_id)
        self._touched[order.order_id] = order
        return order.close(self.now())

    def get_order(self, owner: str, order_id: str) -> SimOrder:
        """``owner``'s order, or 404 ``not_found``."""
        self.expire_orders()
        order = self.accounts[owner].orders.get(order_id) if owner in self.accounts else None
        if order is None:
            raise ExchangeError(404, "not_found", "not found")
        return order

    def expire_orders(self) -> None:
        """Cancel resting orders whose ``expiration_ts`` has passed (good-till-time)."""
        now_s = self.clock()
        for order in [o for o in self.orders.values() if o.status == "resting" and o.expiration_ts is not None]:
            if order.expiration_ts is not None and order.expiration_ts <= now_s:
                market = self.markets[order.ticker]
                with self._publishing(market, order.owner, None):
                    self._cancel_resting(market, order)

    # -- market lifecycle ------------------------------------------------------------------------

    def set_status(self, ticker: str, status: str, *, cancel_resting: bool = True) -> SimMarket:
        """Change a market's status (``active``, ``inactive``, ``closed`` ...).

        A pause (``inactive``) keeps resting orders. A status past close (:data:`CLOSED_STATUSES`) refuses
        every order operation from now on and, unless ``cancel_resting`` is false, the venue cancels what
        rests on the market at once (:meth:`cancel_closed_market`; false leaves it to a later call).
        """
        market = self.market(ticker)
        market.status = status
        self._emit([MarketChanged(ticker)])
        if status in CLOSED_STATUSES and cancel_resting:
            self.cancel_closed_market(ticker)
        return market

    def cancel_closed_market(self, ticker: str) -> list[SimOrder]:
        """The venue's own cancellation of every order resting on a closed market; the orders cancelled.

        Each is announced like any cancellation (book deltas, ``user_order`` on the owner's ``user_orders``
        channel) and reads ``canceled`` over REST afterwards.
        """
        market = self.market(ticker)
        resting = [o for o in self.orders.values() if o.ticker == ticker and o.status == "resting"]
        for owner in dict.fromkeys(o.owner for o in resting):
            with self._publishing(market, owner, None):
                for order in [o for o in resting if o.owner == owner]:
                    self._cancel_resting(market, order)
        return resting

    def settle(self, ticker: str, result: Outcome) -> dict[str, Decimal]:
        """Determine and settle a market: cancel resting orders, pay $1 per winning contract.

        Returns the payout per API key. The market ends ``finalized`` with ``result`` set.
        """
        market = self.market(ticker)
        now = self.now()
        with self._publishing(market, None, None):
            for order in [o for o in self.orders.values() if o.ticker == ticker and o.status == "resting"]:
                self._cancel_resting(market, order)
        payouts = {
            key: account.settle(ticker, result, now, market.exchange_index) for key, account in self.accounts.items()
        }
        market.status, market.result = "finalized", result
        market.settlement_value = ONE if result == "yes" else ZERO
        market.settled_time = now
        market.open_interest = ZERO
        self._emit([MarketChanged(ticker)])
        return {key: value for key, value in payouts.items() if value}

    # -- publishing ------------------------------------------------------------------------------

    @contextlib.contextmanager
    def _publishing(self, market: SimMarket, owner: str | None, client_order_id: str | None) -> Iterator[None]:
        before_yes, before_no = market.aggregated()
        self._pending = []
        self._touched = {}
        try:
            yield
        finally:
            after_yes, after_no = market.aggregated()
            now = self.now()
            events: list[ExchangeEvent] = []
            sides: tuple[tuple[Outcome, dict[Decimal, Decimal], dict[Decimal, Decimal]], ...] = (
                ("yes", before_yes, after_yes),
                ("no", before_no, after_no),
            )
            for side, before, after in sides:
                for price in sorted(set(before) | set(after)):
                    delta = after.get(price, ZERO) - before.get(price, ZERO)
                    if delta:
                        events.append(BookChanged(market.ticker, side, price, delta, owner, client_order_id, now))
            pending, self._pending = self._pending, []
            touched, self._touched = self._touched, {}
            pending += [OrderChanged(order) for order in touched.values()]
            if events or pending:
                self._emit([*events, *pending, MarketChanged(market.ticker)])

    def _emit(self, events: list[ExchangeEvent]) -> None:
        for event in events:
            for listener in list(self.listeners):
                listener(event)


def _refuse_if_closed(market: SimMarket) -> None:
    """400 ``MARKET_INACTIVE`` when ``market`` is past close (no order operation is accepted any more)."""
    if market.status in CLOSED_STATUSES:
        raise ExchangeError(400, "MARKET_INACTIVE", "market is closed", f"{market.ticker} is {market.status}")


def default_times(now: datetime) -> tuple[datetime, datetime, datetime]:
    """``(open_time, close_time, expected_expiration_time)`` for a game market created at ``now``."""
    return now - timedelta(hours=1), now + timedelta(days=14), now + timedelta(hours=4)
