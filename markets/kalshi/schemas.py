"""Kalshi wire schemas: pydantic models mirroring the venue's JSON, tolerant of both eras.

Each model accepts the current fixed-point fields (``*_dollars`` price strings, ``*_fp`` count strings,
since 2026-03-12) **and** the legacy integer-cent / integer-count fields still seen in recorded traffic,
ignoring anything else. Values stay as they were on the wire (strings, ints); converting them to
``Decimal`` and choosing between current and legacy fields is the job of :mod:`markets.kalshi.parsing`.
Legacy float fields (``price`` on trades and fills, ``floor_strike``) are deliberately not modelled.

References
----------
https://docs.kalshi.com/getting_started/fixed_point_migration, https://docs.kalshi.com/openapi.yaml,
https://docs.kalshi.com/asyncapi.yaml (mirrored in ``/work/shared/docs/venues.md`` §1).
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class Wire(BaseModel):
    """Base of every wire model: unknown fields ignored, instances frozen."""

    model_config = ConfigDict(extra="ignore", frozen=True)


# -- errors ------------------------------------------------------------------------------------------


class ErrorDetail(Wire):
    """The inner object of ``{"error": {"code", "message", "details", "service"}}``."""

    code: str | None = None
    message: str | None = None
    details: str | None = None
    service: str | None = None


class ErrorBody(Wire):
    """An error response; ``error`` is an object, or a flat string on 429 (``"too many requests"``)."""

    error: ErrorDetail | str


# -- exchange, series, events ------------------------------------------------------------------------


class ExchangeStatus(Wire):
    """``GET /exchange/status``."""

    exchange_active: bool
    trading_active: bool
    exchange_estimated_resume_time: str | None = None


class SettlementSource(Wire):
    """A series' settlement source."""

    name: str | None = None
    url: str | None = None


class Series(Wire):
    """One series (``GET /series/{ticker}`` → ``series``)."""

    ticker: str
    title: str = ""
    category: str = ""
    frequency: str = ""
    tags: list[str] | None = None
    settlement_sources: list[SettlementSource] | None = None
    fee_type: str | None = None
    fee_multiplier: int | str | float | None = None  # a JSON number; not money (parsed via its repr)
    contract_url: str | None = None


class SeriesResponse(Wire):
    """``GET /series/{series_ticker}``."""

    series: Series


class SeriesList(Wire):
    """``GET /series``."""

    series: list[Series] | None = None


class PriceRange(Wire):
    """One band of a market's price grid: prices from ``start`` to ``end`` in ``step`` increments."""

    start: str
    end: str
    step: str


class MveLeg(Wire):
    """One leg of a multivariate (combo) market."""

    event_ticker: str | None = None
    market_ticker: str | None = None
    side: str | None = None


class Market(Wire):
    """One market, current or legacy shape."""

    ticker: str
    event_ticker: str
    market_type: str = "binary"
    title: str | None = None
    subtitle: str | None = None
    yes_sub_title: str | None = None
    no_sub_title: str | None = None
    status: str
    created_time: str | None = None
    updated_time: str | None = None
    open_time: str | None = None
    close_time: str | None = None
    expected_expiration_time: str | None = None
    expiration_time: str | None = None
    latest_expiration_time: str | None = None
    occurrence_datetime: str | None = None
    settlement_timer_seconds: int | None = None
    result: str | None = None
    can_close_early: bool | None = None
    rules_primary: str | None = None
    rules_secondary: str | None = None
    early_close_condition: str | None = None
    custom_strike: dict[str, Any] | None = None
    strike_type: str | None = None
    mve_collection_ticker: str | None = None
    mve_selected_legs: list[MveLeg] | None = None
    price_level_structure: str | None = None
    price_ranges: list[PriceRange] | None = None
    fractional_trading_enabled: bool | None = None
    # current fixed-point fields
    yes_bid_dollars: str | None = None
    yes_ask_dollars: str | None = None
    no_bid_dollars: str | None = None
    no_ask_dollars: str | None = None
    last_price_dollars: str | None = None
    yes_bid_size_fp: str | None = None
    yes_ask_size_fp: str | None = None
    volume_fp: str | None = None
    volume_24h_fp: str | None = None
    open_interest_fp: str | None = None
    settlement_value_dollars: str | None = None
    # legacy integer fields (removed 2026-03-12)
    yes_bid: int | None = None
    yes_ask: int | None = None
    no_bid: int | None = None
    no_ask: int | None = None
    last_price: int | None = None
    volume: int | None = None
    volume_24h: int | None = None
    open_interest: int | None = None
    settlement_value: int | None = None
    tick_size: int | None = None
    exchange_index: int | None = None  # the shard the market lives on (absent: the default shard 0)


class MarketsPage(Wire):
    """``GET /markets``."""

    markets: list[Market] | None = None
    cursor: str | None = None


class MarketResponse(Wire):
    """``GET /markets/{ticker}``."""

    market: Market


class Event(Wire):
    """One event (``EventData``)."""

    event_ticker: str
    series_ticker: str = ""
    title: str = ""
    sub_title: str = ""
    category: str | None = None
    mutually_exclusive: bool = False
    collateral_return_type: str | None = None
    strike_date: str | None = None
    markets: list[Market] | None = None


class EventsPage(Wire):
    """``GET /events``."""

    events: list[Event] | None = None
    cursor: str | None = None


class EventResponse(Wire):
    """``GET /events/{event_ticker}``; top-level ``markets`` is deprecated in favour of ``event.markets``."""

    event: Event
    markets: list[Market] | None = None


# -- order book and trades ---------------------------------------------------------------------------

Level = tuple[str, str | int]
"""``[price_dollars, count]``: count is an ``_fp`` string now, an integer in the legacy era."""


class OrderbookFp(Wire):
    """Current ``orderbook_fp``: bids only, ascending, best last; a side may be absent or null."""

    yes_dollars: list[Level] | None = None
    no_dollars: list[Level] | None = None


class OrderbookLegacy(Wire):
    """Legacy ``orderbook``: cents levels and dollar levels with integer counts; all null when empty."""

    yes: list[tuple[int, int]] | None = None
    no: list[tuple[int, int]] | None = None
    yes_dollars: list[Level] | None = None
    no_dollars: list[Level] | None = None


class OrderbookResponse(Wire):
    """``GET /markets/{ticker}/orderbook`` in either era."""

    orderbook_fp: OrderbookFp | None = None
    orderbook: OrderbookLegacy | None = None


class Trade(Wire):
    """One public trade."""

    trade_id: str
    ticker: str
    count_fp: str | None = None
    count: int | None = None
    yes_price_dollars: str | None = None
    no_price_dollars: str | None = None
    yes_price: int | None = None
    no_price: int | None = None
    taker_outcome_side: str | None = None
    taker_book_side: str | None = None
    taker_side: str | None = None
    created_time: str | None = None
    is_block_trade: bool | None = None


class TradesPage(Wire):
    """``GET /markets/trades``."""

    trades: list[Trade] | None = None
    cursor: str | None = None


# -- portfolio ---------------------------------------------------------------------------------------


class Order(Wire):
    """One order (``GET /portfolio/orders[/{id}]``, legacy create/cancel)."""

    order_id: str
    user_id: str | None = None
    client_order_id: str | None = None
    ticker: str
    status: str
    type: str | None = None
    outcome_side: str | None = None
    book_side: str | None = None
    side: str | None = None
    action: str | None = None
    yes_price_dollars: str | None = None
    no_price_dollars: str | None = None
    yes_price: int | None = None
    no_price: int | None = None
    initial_count_fp: str | None = None
    fill_count_fp: str | None = None
    remaining_count_fp: str | None = None
    initial_count: int | None = None
    fill_count: int | None = None
    remaining_count: int | None = None
    taker_fill_cost_dollars: str | None = None
    maker_fill_cost_dollars: str | None = None
    taker_fees_dollars: str | None = None
    maker_fees_dollars: str | None = None
    taker_fill_cost: int | None = None
    maker_fill_cost: int | None = None
    taker_fees: int | None = None
    maker_fees: int | None = None
    created_time: str | None = None
    last_update_time: str | None = None
    expiration_time: str | None = None
    self_trade_prevention_type: str | None = None
    order_group_id: str | None = None
    exchange_index: int | None = None


class OrderResponse(Wire):
    """``{"order": Order}`` (get order, legacy create)."""

    order: Order


class OrdersPage(Wire):
    """``GET /portfolio/orders``."""

    orders: list[Order] | None = None
    cursor: str | None = None


class CreateOrderV2Response(Wire):
    """``POST /portfolio/events/orders`` (201). Counts carry no ``_fp`` suffix on this endpoint."""

    order_id: str
    client_order_id: str | None = None
    fill_count: str
    remaining_count: str
    average_fill_price: str | None = None
    average_fee_paid: str | None = None
    ts_ms: int | None = None


class CancelOrderV2Response(Wire):
    """``DELETE /portfolio/events/orders/{order_id}``."""

    order_id: str
    client_order_id: str | None = None
    reduced_by: str
    ts_ms: int | None = None


class CancelOrderLegacyResponse(Wire):
    """Legacy ``DELETE /portfolio/orders/{order_id}``: the order plus ``reduced_by_fp`` (older: ``reduced_by``)."""

    order: Order
    reduced_by_fp: str | None = None
    reduced_by: int | None = None


class Fill(Wire):
    """One of our fills (``GET /portfolio/fills``)."""

    fill_id: str | None = None
    trade_id: str
    order_id: str
    ticker: str | None = None
    market_ticker: str | None = None
    outcome_side: str | None = None
    book_side: str | None = None
    side: str | None = None
    action: str | None = None
    count_fp: str | None = None
    count: int | None = None
    yes_price_dollars: str | None = None
    no_price_dollars: str | None = None
    yes_price_fixed: str | None = None
    no_price_fixed: str | None = None
    yes_price: int | None = None
    no_price: int | None = None
    is_taker: bool | None = None
    fee_cost: str | None = None
    client_order_id: str | None = None
    created_time: str | None = None
    ts: int | None = None


class FillsPage(Wire):
    """``GET /portfolio/fills``."""

    fills: list[Fill] | None = None
    cursor: str | None = None


class MarketPosition(Wire):
    """One market position; ``position_fp`` negative means NO contracts."""

    ticker: str
    position_fp: str | None = None
    position: int | None = None
    market_exposure_dollars: str | None = None
    market_exposure: int | None = None
    realized_pnl_dollars: str | None = None
    realized_pnl: int | None = None
    fees_paid_dollars: str | None = None
    fees_paid: int | None = None
    total_traded_dollars: str | None = None
    total_traded: int | None = None
    resting_orders_count: int | None = None
    last_updated_ts: str | int | None = None


class EventPosition(Wire):
    """One event position."""

    event_ticker: str
    event_exposure_dollars: str | None = None
    realized_pnl_dollars: str | None = None
    fees_paid_dollars: str | None = None
    total_cost_dollars: str | None = None


class PositionsPage(Wire):
    """``GET /portfolio/positions``."""

    market_positions: list[MarketPosition] | None = None
    event_positions: list[EventPosition] | None = None
    cursor: str | None = None


class ShardBalance(Wire):
    """One entry of ``balance_breakdown``: the cash on one exchange shard (dollars string; integer cents tolerated)."""

    exchange_index: int
    balance: str | int


class Balance(Wire):
    """``GET /portfolio/balance``: integer cents ``balance``/``portfolio_value`` plus ``balance_dollars``, and the
    per-shard ``balance_breakdown`` (https://docs.kalshi.com/getting_started/exchange_sharding)."""

    balance: int
    balance_dollars: str | None = None
    portfolio_value: int | None = None
    updated_ts: int | None = None
    balance_breakdown: list[ShardBalance] | None = None


# -- WebSocket ---------------------------------------------------------------------------------------


class WsEnvelope(Wire):
    """Every server frame: ``{"type", "id"?, "sid"?, "seq"?, "msg"?}``."""

    type: str
    id: int | None = None
    sid: int | None = None
    seq: int | None = None
    msg: Any = None


class WsSubscribed(Wire):
    """``subscribed`` ``msg``."""

    channel: str
    sid: int


class WsError(Wire):
    """``error`` ``msg``."""

    code: int
    msg: str = ""


class WsOrderbookSnapshot(Wire):
    """``orderbook_snapshot`` ``msg``: current ``*_dollars_fp`` levels (a side absent when empty) or legacy cents."""

    market_ticker: str
    market_id: str | None = None
    yes_dollars_fp: list[Level] | None = None
    no_dollars_fp: list[Level] | None = None
    yes: list[tuple[int, int]] | None = None
    no: list[tuple[int, int]] | None = None


class WsOrderbookDelta(Wire):
    """``orderbook_delta`` ``msg``: a signed increment ``delta_fp`` at ``price_dollars`` on ``side``."""

    market_ticker: str
    market_id: str | None = None
    side: str
    price_dollars: str | None = None
    delta_fp: str | None = None
    price: int | None = None
    delta: int | None = None
    client_order_id: str | None = None
    ts_ms: int | None = None


class WsTicker(Wire):
    """``ticker`` ``msg`` (current dollars, or legacy cents as in the 2024 production capture)."""

    market_ticker: str
    market_id: str | None = None
    price_dollars: str | None = None
    yes_bid_dollars: str | None = None
    yes_ask_dollars: str | None = None
    yes_bid_size_fp: str | None = None
    yes_ask_size_fp: str | None = None
    last_trade_size_fp: str | None = None
    volume_fp: str | None = None
    open_interest_fp: str | None = None
    price: int | None = None
    yes_bid: int | None = None
    yes_ask: int | None = None
    volume: int | None = None
    open_interest: int | None = None
    ts: int | None = None
    ts_ms: int | None = None


class WsTrade(Wire):
    """``trade`` ``msg``."""

    trade_id: str
    market_ticker: str
    yes_price_dollars: str | None = None
    no_price_dollars: str | None = None
    count_fp: str | None = None
    yes_price: int | None = None
    no_price: int | None = None
    count: int | None = None
    taker_outcome_side: str | None = None
    taker_book_side: str | None = None
    taker_side: str | None = None
    is_block_trade: bool | None = None
    ts: int | None = None
    ts_ms: int | None = None


class WsFill(Wire):
    """``fill`` ``msg`` (private)."""

    trade_id: str
    order_id: str
    market_ticker: str
    is_taker: bool | None = None
    side: str | None = None
    action: str | None = None
    outcome_side: str | None = None
    book_side: str | None = None
    purchased_side: str | None = None
    yes_price_dollars: str | None = None
    yes_price: int | None = None
    count_fp: str | None = None
    count: int | None = None
    fee_cost: str | None = None
    post_position_fp: str | None = None
    client_order_id: str | None = None
    subaccount: int | None = None
    ts: int | None = None
    ts_ms: int | None = None


class WsUserOrder(Wire):
    """``user_order`` ``msg`` (private)."""

    order_id: str
    ticker: str
    status: str
    client_order_id: str | None = None
    side: str | None = None
    is_yes: bool | None = None
    outcome_side: str | None = None
    book_side: str | None = None
    yes_price_dollars: str | None = None
    fill_count_fp: str | None = None
    remaining_count_fp: str | None = None
    initial_count_fp: str | None = None
    taker_fill_cost_dollars: str | None = None
    maker_fill_cost_dollars: str | None = None
    created_ts_ms: int | None = None
    expiration_ts_ms: int | None = None


class WsMarketPosition(Wire):
    """``market_position`` ``msg`` (private)."""

    market_ticker: str
    position_fp: str | None = None
    position_cost_dollars: str | None = None
    realized_pnl_dollars: str | None = None
    fees_paid_dollars: str | None = None
    volume_fp: str | None = None


class WsCommand(Wire):
    """A client command: ``{"id", "cmd", "params"}``."""

    id: int = 0
    cmd: str
    params: dict[str, Any] = Field(default_factory=dict)
