"""Kalshi domain types: what the rest of Arbees sees, exact and era-independent.

Built only by :mod:`markets.kalshi.parsing`. Prices are probability-scale ``Decimal`` on the YES leg
unless a name says otherwise; counts are ``Decimal`` contracts (Kalshi trades fractional contracts in
0.01 steps); money is ``Decimal`` dollars. Direction is V2's single-book view: ``book_side`` ``bid`` =
buy YES (≡ sell NO), ``ask`` = sell YES (≡ buy NO at ``1 - price``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any, Generic, Literal, TypeVar

BookSide = Literal["bid", "ask"]
OutcomeSide = Literal["yes", "no"]
DEFAULT_SHARD = 0
"""The exchange shard Kalshi routes to when a request names none."""
MarketStatus = Literal[
    "initialized", "inactive", "active", "closed", "determined", "disputed", "amended", "finalized", "unknown"
]
OrderStatusWire = Literal["resting", "canceled", "executed", "pending", "unknown"]
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class ExchangeState:
    """``GET /exchange/status``; ``trading_active`` can turn false at any time."""

    exchange_active: bool
    trading_active: bool
    estimated_resume_time: datetime | None


@dataclass(frozen=True, slots=True)
class SeriesInfo:
    """A series (e.g. ``KXNBAGAME``) and its fee schedule."""

    ticker: str
    title: str
    category: str
    frequency: str
    tags: tuple[str, ...]
    fee_type: str | None
    fee_multiplier: Decimal | None


@dataclass(frozen=True, slots=True)
class PriceBand:
    """Prices ``start..end`` are valid in multiples of ``step``."""

    start: Decimal
    end: Decimal
    step: Decimal


@dataclass(frozen=True, slots=True)
class MarketInfo:
    """One market. ``status`` is normalized to the REST enum (legacy ``open`` → ``active``, ...)."""

    ticker: str
    event_ticker: str
    market_type: str
    title: str
    yes_sub_title: str
    no_sub_title: str
    status: MarketStatus
    status_raw: str
    result: OutcomeSide | None
    yes_bid: Decimal | None
    yes_ask: Decimal | None
    no_bid: Decimal | None
    no_ask: Decimal | None
    last_price: Decimal | None
    yes_bid_size: Decimal | None
    yes_ask_size: Decimal | None
    volume: Decimal | None
    open_interest: Decimal | None
    open_time: datetime | None
    close_time: datetime | None
    expected_expiration_time: datetime | None
    price_level_structure: str
    price_bands: tuple[PriceBand, ...]
    fractional_trading_enabled: bool
    custom_strike: dict[str, Any] = field(default_factory=dict)
    mve_legs: tuple[str, ...] = ()
    rules_primary: str = ""
    rules_secondary: str = ""
    early_close_condition: str = ""
    occurrence_time: datetime | None = None
    can_close_early: bool | None = None
    exchange_index: int = DEFAULT_SHARD
    """The exchange shard the market lives on; orders, cancels and balance checks for it must name it."""

    @property
    def tick_size(self) -> Decimal:
        """The finest step of the price grid (0.01 for ``linear_cent``)."""
        return min((b.step for b in self.price_bands), default=Decimal("0.01"))

    @property
    def is_open(self) -> bool:
        """True while the market accepts orders."""
        return self.status == "active"


@dataclass(frozen=True, slots=True)
class EventInfo:
    """An event (one game) and, when requested, its markets."""

    event_ticker: str
    series_ticker: str
    title: str
    sub_title: str
    mutually_exclusive: bool
    markets: tuple[MarketInfo, ...] = ()


@dataclass(frozen=True, slots=True)
class BookLevel:
    """One aggregated price level: ``size`` contracts bid at ``price`` (on that side's own leg)."""

    price: Decimal
    size: Decimal


@dataclass(frozen=True, slots=True)
class OrderBookSnapshot:
    """A full book: YES bids and NO bids, each **ascending** by price (best last), as Kalshi sends them.

    NO levels are priced on the NO leg (a NO bid at 0.30 = an offer to sell YES at 0.70).
    """

    ticker: str
    yes: tuple[BookLevel, ...]
    no: tuple[BookLevel, ...]


@dataclass(frozen=True, slots=True)
class BookDelta:
    """A signed change of ``delta`` contracts at ``price`` on ``side`` (NO side priced on the NO leg)."""

    ticker: str
    side: OutcomeSide
    price: Decimal
    delta: Decimal
    client_order_id: str | None
    ts: datetime | None


@dataclass(frozen=True, slots=True)
class TickerUpdate:
    """A ``ticker`` channel message: top of book and last trade of one market."""

    ticker: str
    last_price: Decimal | None
    yes_bid: Decimal | None
    yes_ask: Decimal | None
    yes_bid_size: Decimal | None
    yes_ask_size: Decimal | None
    volume: Decimal | None
    open_interest: Decimal | None
    ts: datetime | None


@dataclass(frozen=True, slots=True)
class PublicTrade:
    """One public trade."""

    trade_id: str
    ticker: str
    count: Decimal
    yes_price: Decimal
    no_price: Decimal
    taker_outcome_side: OutcomeSide | None
    taker_book_side: BookSide | None
    created_time: datetime | None
    is_block_trade: bool


@dataclass(frozen=True, slots=True)
class OrderAck:
    """The answer to a V2 create (or a duplicate resolved to the existing order)."""

    order_id: str
    client_order_id: str | None
    fill_count: Decimal
    remaining_count: Decimal
    average_fill_price: Decimal | None
    average_fee_paid: Decimal | None
    ts: datetime | None
    duplicate: bool = False


@dataclass(frozen=True, slots=True)
class CancelAck:
    """The answer to a cancel: how many contracts were taken off the book."""

    order_id: str
    client_order_id: str | None
    reduced_by: Decimal
    ts: datetime | None


@dataclass(frozen=True, slots=True)
class KalshiOrder:
    """An order as the venue reports it; ``yes_price`` is the limit on the YES leg."""

    order_id: str
    client_order_id: str | None
    ticker: str
    status: OrderStatusWire
    book_side: BookSide
    outcome_side: OutcomeSide
    yes_price: Decimal
    initial_count: Decimal
    fill_count: Decimal
    remaining_count: Decimal
    taker_fill_cost: Decimal
    maker_fill_cost: Decimal
    taker_fees: Decimal
    maker_fees: Decimal
    created_time: datetime | None
    last_update_time: datetime | None
    expiration_time: datetime | None
    exchange_index: int | None = None
    """The order's exchange shard (``None`` when the venue did not say; then the market's shard applies)."""


@dataclass(frozen=True, slots=True)
class KalshiFill:
    """One fill of one of our orders (REST or the ``fill`` channel)."""

    trade_id: str
    order_id: str
    ticker: str
    book_side: BookSide
    outcome_side: OutcomeSide
    count: Decimal
    yes_price: Decimal
    is_taker: bool
    fee: Decimal | None
    client_order_id: str | None
    post_position: Decimal | None
    ts: datetime | None


@dataclass(frozen=True, slots=True)
class KalshiPosition:
    """A market position: ``position`` contracts, positive YES, negative NO."""

    ticker: str
    position: Decimal
    market_exposure: Decimal
    realized_pnl: Decimal
    fees_paid: Decimal
    total_traded: Decimal


@dataclass(frozen=True, slots=True)
class KalshiBalance:
    """Cash available to trade and the value of open positions, in dollars.

    ``balance`` is the total over every exchange shard; ``by_shard`` the per-shard cash from
    ``balance_breakdown`` (empty when the venue sent none: then everything is on the default shard).
    """

    balance: Decimal
    portfolio_value: Decimal | None
    updated: datetime | None
    by_shard: dict[int, Decimal] = field(default_factory=dict)

    def on_shard(self, exchange_index: int) -> Decimal:
        """Cash available on one shard (an order there can only use that)."""
        if not self.by_shard:
            return self.balance if exchange_index == DEFAULT_SHARD else Decimal(0)
        return self.by_shard.get(exchange_index, Decimal(0))


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    """One page of a cursor-paged listing; ``cursor`` is ``None`` on the last page."""

    items: tuple[T, ...]
    cursor: str | None
