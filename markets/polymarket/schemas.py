"""Wire schemas: pydantic models mirroring Polymarket's JSON (Gamma, CLOB REST, CLOB WebSockets).

These models only describe the wire; :mod:`markets.polymarket.parsing` turns them into domain types.
They are tolerant: unknown fields are ignored, optional fields may be missing, numbers may arrive as
JSON numbers or strings (feed JSON through :func:`markets.polymarket.parsing.loads`, which decodes JSON
numbers as ``Decimal``, never ``float``), and both the current and the legacy field sets are accepted
(``mid``/``mid_price``, pre-2025-09-15 ``price_change`` with ``changes``, ``ORDER_STATUS_*``/``LIVE``).

Gamma's ``outcomes``, ``outcomePrices`` and ``clobTokenIds`` are JSON-encoded *strings*
(``"[\\"Yes\\", \\"No\\"]"``); they are decoded here.

References
----------
https://docs.polymarket.com/api-reference/markets/list-markets ,
https://docs.polymarket.com/api-reference/market-data/get-order-book ,
https://docs.polymarket.com/market-data/websocket/market-channel ,
https://docs.polymarket.com/market-data/websocket/user-channel
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field


def _text(value: Any) -> Any:
    if isinstance(value, bool):
        return value
    if isinstance(value, int | Decimal):
        return str(value)
    return value


def _json_list(value: Any) -> Any:
    if value is None or value == "":
        return []
    if isinstance(value, str):
        return json.loads(value, parse_float=Decimal)
    return value


def _empty_none(value: Any) -> Any:
    return None if value == "" else value


Text = Annotated[str, BeforeValidator(_text)]
"""A string on the wire that is sometimes sent as a number (ids, timestamps, sizes)."""

OptText = Annotated[str | None, BeforeValidator(_text)]
OptDecimal = Annotated[Decimal | None, BeforeValidator(_empty_none)]
JsonStrList = Annotated[list[Text], BeforeValidator(_json_list)]
JsonDecimalList = Annotated[list[Decimal], BeforeValidator(_json_list)]


class Wire(BaseModel):
    """Base of every wire model: frozen, unknown fields ignored, camelCase aliases accepted."""

    model_config = ConfigDict(extra="ignore", populate_by_name=True, frozen=True)


# -- Gamma ------------------------------------------------------------------------------------------


class FeeScheduleWire(Wire):
    """Gamma ``feeSchedule``: taker fee ``rate x (p(1-p))^exponent`` per share."""

    exponent: Decimal = Decimal(1)
    rate: Decimal = Decimal(0)
    taker_only: bool = Field(default=True, alias="takerOnly")
    rebate_rate: OptDecimal = Field(default=None, alias="rebateRate")


class TagWire(Wire):
    """A Gamma tag (events carry several)."""

    id: OptText = None
    label: str | None = None
    slug: str | None = None


class GammaEventRefWire(Wire):
    """The parent-event summary nested in a Gamma market."""

    id: OptText = None
    slug: str | None = None
    title: str | None = None


class GammaMarketWire(Wire):
    """A Gamma market object (``GET /markets``, nested in ``GET /events``)."""

    id: Text
    question: str = ""
    description: str = ""
    resolution_source: str = Field(default="", alias="resolutionSource")
    condition_id: str = Field(default="", alias="conditionId")
    slug: str = ""
    outcomes: JsonStrList = Field(default_factory=list)
    outcome_prices: JsonDecimalList = Field(default_factory=list, alias="outcomePrices")
    clob_token_ids: JsonStrList = Field(default_factory=list, alias="clobTokenIds")
    active: bool | None = None
    closed: bool | None = None
    archived: bool | None = None
    accepting_orders: bool | None = Field(default=None, alias="acceptingOrders")
    enable_order_book: bool | None = Field(default=None, alias="enableOrderBook")
    order_price_min_tick_size: OptDecimal = Field(default=None, alias="orderPriceMinTickSize")
    order_min_size: OptDecimal = Field(default=None, alias="orderMinSize")
    neg_risk: bool | None = Field(default=None, alias="negRisk")
    fees_enabled: bool | None = Field(default=None, alias="feesEnabled")
    fee_schedule: FeeScheduleWire | None = Field(default=None, alias="feeSchedule")
    game_start_time: str | None = Field(default=None, alias="gameStartTime")
    event_start_time: str | None = Field(default=None, alias="eventStartTime")
    sports_market_type: str | None = Field(default=None, alias="sportsMarketType")
    line: OptDecimal = None
    game_id: OptText = Field(default=None, alias="gameId")
    seconds_delay: OptDecimal = Field(default=None, alias="secondsDelay")
    best_bid: OptDecimal = Field(default=None, alias="bestBid")
    best_ask: OptDecimal = Field(default=None, alias="bestAsk")
    last_trade_price: OptDecimal = Field(default=None, alias="lastTradePrice")
    group_item_title: str | None = Field(default=None, alias="groupItemTitle")
    events: list[GammaEventRefWire] = Field(default_factory=list)


class GammaEventWire(Wire):
    """A Gamma event object (``GET /events``) with nested markets."""

    id: Text
    slug: str = ""
    title: str = ""
    ticker: str | None = None
    active: bool | None = None
    closed: bool | None = None
    neg_risk: bool | None = Field(default=None, alias="negRisk")
    start_date: str | None = Field(default=None, alias="startDate")
    end_date: str | None = Field(default=None, alias="endDate")
    start_time: str | None = Field(default=None, alias="startTime")
    markets: list[GammaMarketWire] = Field(default_factory=list)
    tags: list[TagWire] = Field(default_factory=list)
    game_id: OptText = Field(default=None, alias="gameId")
    live: bool | None = None
    ended: bool | None = None
    score: OptText = None
    period: OptText = None


class GammaMarketsPageWire(Wire):
    """``GET /markets/keyset``."""

    markets: list[GammaMarketWire] = Field(default_factory=list)
    next_cursor: str | None = None


class GammaEventsPageWire(Wire):
    """``GET /events/keyset``."""

    events: list[GammaEventWire] = Field(default_factory=list)
    next_cursor: str | None = None


class SportWire(Wire):
    """A row of ``GET /sports``; ``tags`` is a comma-separated list of tag ids."""

    sport: str
    image: str | None = None
    resolution: str | None = None
    ordering: str | None = None
    tags: OptText = None
    series: OptText = None


class TeamWire(Wire):
    """A row of ``GET /teams``."""

    id: Text
    name: str = ""
    league: str | None = None
    record: str | None = None
    abbreviation: str | None = None
    alias: str | None = None


# -- CLOB REST -----------------------------------------------------------------------------------------


class OrderSummaryWire(Wire):
    """One book level: ``{"price": "0.48", "size": "30"}`` (strings on the wire)."""

    price: Text
    size: Text


class BookWire(Wire):
    """``GET /book`` and the WS ``book`` event. Levels are worst->best on both sides (top is last)."""

    event_type: str | None = None
    market: str
    asset_id: Text
    timestamp: Text = ""
    hash: str = ""
    bids: list[OrderSummaryWire] = Field(default_factory=list)
    asks: list[OrderSummaryWire] = Field(default_factory=list)
    min_order_size: OptText = None
    tick_size: OptText = None
    neg_risk: bool | None = None
    last_trade_price: OptText = None


class PriceWire(Wire):
    """``GET /price``: ``{"price": "0.19"}`` (docs say number; the wire sends a string)."""

    price: Text


class MidpointWire(Wire):
    """``GET /midpoint``: live ``{"mid": "0.5"}``; docs ``{"mid_price": ...}``."""

    mid: OptText = None
    mid_price: OptText = None


class SpreadWire(Wire):
    """``GET /spread``."""

    spread: Text


class TickSizeWire(Wire):
    """``GET /tick-size``: ``{"minimum_tick_size": 0.01}`` (a number)."""

    minimum_tick_size: Text


class NegRiskWire(Wire):
    """``GET /neg-risk``."""

    neg_risk: bool


class LastTradePriceRestWire(Wire):
    """``GET /last-trade-price``."""

    price: Text
    side: str | None = None


class VersionWire(Wire):
    """``GET /version``: which order version the exchange signs against."""

    version: int = 2


class ApiKeyWire(Wire):
    """``POST /auth/api-key`` and ``GET /auth/derive-api-key``."""

    api_key: str = Field(alias="apiKey")
    secret: str
    passphrase: str


class PostOrderResponseWire(Wire):
    """``POST /order`` (and each item of ``POST /orders``)."""

    success: bool = False
    error_msg: str = Field(default="", alias="errorMsg")
    order_id: str = Field(default="", alias="orderID")
    status: str = ""
    making_amount: OptText = Field(default=None, alias="makingAmount")
    taking_amount: OptText = Field(default=None, alias="takingAmount")
    transactions_hashes: list[str] | None = Field(default=None, alias="transactionsHashes")
    trade_ids: list[str] | None = Field(default=None, alias="tradeIDs")


class CancelResponseWire(Wire):
    """``DELETE /order``, ``/orders``, ``/cancel-all``, ``/cancel-market-orders``."""

    canceled: list[str] | None = None
    not_canceled: dict[str, Any] | None = None


class ErrorWire(Wire):
    """Error bodies: ``{"error": "..."}``, sometimes with ``code`` and ``retry_after_seconds``."""

    error: Any = None
    code: str | None = None
    retry_after_seconds: OptDecimal = None


class GeoblockWire(Wire):
    """``GET https://polymarket.com/api/geoblock``."""

    blocked: bool
    ip: str = ""
    country: str = ""
    region: str = ""


class BalanceAllowanceWire(Wire):
    """``GET /balance-allowance``: ``balance`` in 6-decimal fixed-point units (pUSD or shares)."""

    balance: Text = "0"
    allowances: dict[str, Any] | None = None


class ClosedOnlyWire(Wire):
    """``GET /auth/ban-status/closed-only``."""

    closed_only: bool = False


# -- orders and trades (REST rows and user-channel events) -----------------------------------------


class OrderWire(Wire):
    """An order: REST ``OpenOrder`` or user-channel ``order`` event (``type`` = PLACEMENT/UPDATE/CANCELLATION)."""

    event_type: str | None = None
    type: str | None = None
    id: str
    owner: str = ""
    order_owner: str | None = None
    market: str = ""
    asset_id: Text = ""
    side: str
    price: Text
    original_size: Text = "0"
    size_matched: Text = "0"
    status: str = ""
    outcome: str | None = None
    order_type: str | None = None
    maker_address: str | None = None
    created_at: OptText = None
    expiration: OptText = None
    associate_trades: list[str] | None = None
    timestamp: OptText = None


class MakerOrderWire(Wire):
    """One maker order inside a trade."""

    order_id: str
    owner: str = ""
    maker_address: str | None = None
    matched_amount: Text = "0"
    price: Text
    asset_id: Text = ""
    side: str | None = None
    outcome: str | None = None
    fee_rate_bps: OptText = None


class TradeWire(Wire):
    """A trade: REST ``/data/trades`` row or user-channel ``trade`` event."""

    event_type: str | None = None
    type: str | None = None
    id: str
    taker_order_id: str = ""
    market: str = ""
    asset_id: Text = ""
    side: str
    size: Text
    price: Text
    status: str = ""
    fee_rate_bps: OptText = None
    outcome: str | None = None
    owner: str | None = None
    trade_owner: str | None = None
    maker_address: str | None = None
    transaction_hash: str | None = None
    match_time: OptText = None
    last_update: OptText = None
    trader_side: str | None = None
    bucket_index: int | None = None
    maker_orders: list[MakerOrderWire] = Field(default_factory=list)
    timestamp: OptText = None


class PagedWire(Wire):
    """``GET /data/orders`` and ``/data/trades`` pages: cursor starts ``MA==``, ends ``LTE=``."""

    limit: int | None = None
    count: int | None = None
    next_cursor: str | None = None
    data: list[dict[str, Any]] = Field(default_factory=list)


# -- market channel ------------------------------------------------------------------------------------


class PriceChangeItemWire(Wire):
    """One item of a current-format ``price_change`` (since 2025-09-15)."""

    asset_id: Text
    price: Text
    size: Text
    side: str
    hash: str | None = None
    best_bid: OptText = None
    best_ask: OptText = None


class LegacyChangeWire(Wire):
    """One change of a pre-2025-09-15 ``price_change`` (asset and hash at the top level)."""

    price: Text
    size: Text
    side: str


class PriceChangeWire(Wire):
    """``price_change``: current ``price_changes[]`` or legacy ``asset_id`` + ``changes[]`` + ``hash``."""

    market: str = ""
    timestamp: Text = ""
    price_changes: list[PriceChangeItemWire] = Field(default_factory=list)
    asset_id: OptText = None
    hash: str | None = None
    changes: list[LegacyChangeWire] = Field(default_factory=list)


class LastTradePriceWire(Wire):
    """``last_trade_price``."""

    market: str = ""
    asset_id: Text
    price: Text
    size: OptText = None
    side: str | None = None
    fee_rate_bps: OptText = None
    timestamp: Text = ""
    transaction_hash: str | None = None


class TickSizeChangeWire(Wire):
    """``tick_size_change``."""

    market: str = ""
    asset_id: Text
    old_tick_size: Text
    new_tick_size: Text
    timestamp: Text = ""


class BestBidAskWire(Wire):
    """``best_bid_ask`` (``custom_feature_enabled``)."""

    market: str = ""
    asset_id: Text
    best_bid: OptText = None
    best_ask: OptText = None
    timestamp: Text = ""


class MarketResolvedWire(Wire):
    """``market_resolved`` (``custom_feature_enabled``)."""

    market: str = ""
    assets_ids: list[Text] = Field(default_factory=list)
    winning_asset_id: Text
    winning_outcome: str = ""
    timestamp: Text = ""
