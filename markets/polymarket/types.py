"""Domain types for Polymarket, exact (``Decimal`` prices and sizes), built only by :mod:`parsing`.

Book levels keep the venue's own text for price and size next to the ``Decimal`` value: the CLOB book
hash is computed over those exact strings ("0.3", not "0.30"), so they must survive untouched.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Literal

from pydantic import SecretStr

from shared.fees import PolymarketFeeSchedule

Side = Literal["BUY", "SELL"]


# -- Gamma ------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class GammaMarket:
    """A Gamma market: one binary question whose outcome ``i`` trades as CLOB token ``token_ids[i]``."""

    id: str
    condition_id: str
    slug: str
    question: str
    outcomes: tuple[str, ...]
    outcome_prices: tuple[Decimal, ...]
    token_ids: tuple[str, ...]
    neg_risk: bool
    tick_size: Decimal | None
    min_order_size: Decimal | None
    fee_schedule: PolymarketFeeSchedule | None
    active: bool
    closed: bool
    accepting_orders: bool
    enable_order_book: bool
    game_start_time: datetime | None = None
    event_start_time: datetime | None = None
    sports_market_type: str | None = None
    line: Decimal | None = None
    game_id: str | None = None
    seconds_delay: Decimal | None = None
    best_bid: Decimal | None = None
    best_ask: Decimal | None = None
    last_trade_price: Decimal | None = None
    group_item_title: str | None = None
    event_slugs: tuple[str, ...] = ()
    description: str = ""
    resolution_source: str = ""

    def token_for(self, outcome: str) -> str:
        """The CLOB token id of ``outcome`` (case-insensitive); ``KeyError`` if the market has no such outcome."""
        for name, token in zip(self.outcomes, self.token_ids, strict=False):
            if name.casefold() == outcome.casefold():
                return token
        raise KeyError(f"market {self.slug or self.id} has no outcome {outcome!r}")


@dataclass(frozen=True, slots=True)
class GammaEvent:
    """A Gamma event (a game, for sports) with its nested markets."""

    id: str
    slug: str
    title: str
    active: bool
    closed: bool
    neg_risk: bool
    start_date: datetime | None
    end_date: datetime | None
    markets: tuple[GammaMarket, ...]
    tags: tuple[str, ...] = ()
    game_id: str | None = None
    live: bool | None = None
    ended: bool | None = None
    score: str | None = None
    period: str | None = None


@dataclass(frozen=True, slots=True)
class Sport:
    """One row of Gamma ``GET /sports``."""

    sport: str
    tag_ids: tuple[str, ...]
    series: str | None
    ordering: str | None
    resolution: str | None
    image: str | None


@dataclass(frozen=True, slots=True)
class Team:
    """One row of Gamma ``GET /teams``."""

    id: str
    name: str
    league: str | None
    abbreviation: str | None
    alias: str | None
    record: str | None


# -- CLOB books ---------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Level:
    """One aggregated price level: exact values and the venue's text (for hashing)."""

    price: Decimal
    size: Decimal
    price_text: str
    size_text: str


@dataclass(frozen=True, slots=True)
class BookSnapshot:
    """A full book of one token, levels in wire order (worst to best on both sides: top is LAST)."""

    market: str
    asset_id: str
    timestamp_text: str
    hash: str
    bids: tuple[Level, ...]
    asks: tuple[Level, ...]
    min_order_size: str | None = None
    tick_size: str | None = None
    neg_risk: bool | None = None
    last_trade_price: str | None = None

    @property
    def timestamp_ms(self) -> int:
        """Book time in ms since the epoch (0 when the venue sent none)."""
        return int(self.timestamp_text) if self.timestamp_text.isdigit() else 0


# -- market channel events -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class BookEvent:
    """``book``: a full snapshot of one token's book."""

    snapshot: BookSnapshot


@dataclass(frozen=True, slots=True)
class LevelChange:
    """One item of ``price_change``: the NEW aggregate ``size`` at ``price`` ("0" removes the level)."""

    asset_id: str
    side: Side
    level: Level
    hash: str | None
    best_bid: Decimal | None
    best_ask: Decimal | None


@dataclass(frozen=True, slots=True)
class PriceChangeEvent:
    """``price_change``: level totals that changed, possibly for both tokens of a market."""

    market: str
    timestamp_text: str
    changes: tuple[LevelChange, ...]


@dataclass(frozen=True, slots=True)
class LastTradePriceEvent:
    """``last_trade_price``: a trade printed on ``asset_id``."""

    market: str
    asset_id: str
    price: Decimal
    price_text: str
    size: Decimal | None
    side: Side | None
    fee_rate_bps: Decimal | None
    timestamp_text: str
    transaction_hash: str | None


@dataclass(frozen=True, slots=True)
class TickSizeChangeEvent:
    """``tick_size_change``: the minimum tick of ``asset_id`` changed (near 0 or 1)."""

    market: str
    asset_id: str
    old_tick_size: str
    new_tick_size: str
    timestamp_text: str


@dataclass(frozen=True, slots=True)
class BestBidAskEvent:
    """``best_bid_ask`` (custom feature): top of book of one token."""

    market: str
    asset_id: str
    best_bid: Decimal | None
    best_ask: Decimal | None
    timestamp_text: str


@dataclass(frozen=True, slots=True)
class MarketResolvedEvent:
    """``market_resolved`` (custom feature): the market settled to ``winning_asset_id``."""

    market: str
    asset_ids: tuple[str, ...]
    winning_asset_id: str
    winning_outcome: str
    timestamp_text: str


MarketEvent = (
    BookEvent | PriceChangeEvent | LastTradePriceEvent | TickSizeChangeEvent | BestBidAskEvent | MarketResolvedEvent
)


# -- orders, trades, user channel -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class OrderUpdate:
    """An order as the venue reports it (REST ``OpenOrder`` or user-channel ``order`` event).

    ``status`` is normalised: ``ORDER_STATUS_LIVE`` and ``LIVE`` both become ``LIVE``. ``event`` is the
    user-channel type (``PLACEMENT``, ``UPDATE``, ``CANCELLATION``) or ``None`` for REST rows.
    """

    order_id: str
    owner: str
    market: str
    asset_id: str
    side: Side
    price: Decimal
    original_size: Decimal
    size_matched: Decimal
    status: str
    outcome: str | None = None
    order_type: str | None = None
    event: str | None = None
    maker_address: str | None = None
    created_at: int | None = None
    expiration: int | None = None
    associate_trades: tuple[str, ...] = ()
    timestamp_ms: int | None = None

    @property
    def remaining(self) -> Decimal:
        """Shares still open."""
        return max(self.original_size - self.size_matched, Decimal(0))


@dataclass(frozen=True, slots=True)
class MakerFill:
    """One maker order's part of a trade."""

    order_id: str
    owner: str
    maker_address: str | None
    matched_amount: Decimal
    price: Decimal
    asset_id: str
    side: Side | None
    outcome: str | None
    fee_rate_bps: Decimal | None


@dataclass(frozen=True, slots=True)
class TradeUpdate:
    """A trade (REST ``/data/trades`` row or user-channel ``trade`` event).

    ``status`` moves ``MATCHED`` -> ``MINED`` -> ``CONFIRMED`` (or ``RETRYING`` -> ``FAILED``); a MATCHED
    trade is provisional exposure until CONFIRMED.
    """

    trade_id: str
    taker_order_id: str
    market: str
    asset_id: str
    side: Side
    size: Decimal
    price: Decimal
    status: str
    trader_side: str | None
    owner: str | None
    fee_rate_bps: Decimal | None = None
    outcome: str | None = None
    maker_address: str | None = None
    transaction_hash: str | None = None
    match_time: int | None = None
    last_update: int | None = None
    maker_orders: tuple[MakerFill, ...] = ()
    timestamp_ms: int | None = None


UserEvent = OrderUpdate | TradeUpdate


@dataclass(frozen=True, slots=True)
class PostOrderResult:
    """The venue's answer to ``POST /order`` (or one item of ``POST /orders``).

    ``status`` is ``live`` (resting), ``matched``, ``delayed`` (sports matching delay; resolves later on
    the user channel) or ``unmatched``. ``success=False`` with ``error_msg`` is a definitive refusal.
    """

    success: bool
    order_id: str
    status: str
    error_msg: str = ""
    making_amount: Decimal | None = None
    taking_amount: Decimal | None = None
    trade_ids: tuple[str, ...] = ()
    transaction_hashes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class CancelResult:
    """The venue's answer to a cancel: ids cancelled, and the reason for each one that was not."""

    canceled: tuple[str, ...]
    not_canceled: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ApiCredentials:
    """L2 API credentials (the secret and passphrase never appear in ``repr``)."""

    api_key: str
    secret: SecretStr
    passphrase: SecretStr


@dataclass(frozen=True, slots=True)
class GeoblockAnswer:
    """What ``GET /api/geoblock`` said about the caller's IP."""

    blocked: bool
    country: str
    region: str
    ip: str = ""
