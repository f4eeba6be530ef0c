"""Pure wire → domain functions for Kalshi: the one place where wire strings become ``Decimal``.

Every function takes a model from :mod:`markets.kalshi.schemas` and returns a type from
:mod:`markets.kalshi.models`. Current fixed-point fields win; legacy integer-cent/-count fields are used
only when the current ones are absent. A float never enters: ``to_decimal`` refuses one. A malformed
value raises :class:`KalshiParseError` (a :class:`shared.errors.Fatal`: the venue's answer cannot be
trusted, so nothing should trade on it).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from decimal import Decimal
from typing import cast

from markets.kalshi import schemas as w
from markets.kalshi.models import (
    DEFAULT_SHARD,
    BookDelta,
    BookLevel,
    BookSide,
    CancelAck,
    EventInfo,
    ExchangeState,
    KalshiBalance,
    KalshiFill,
    KalshiOrder,
    KalshiPosition,
    MarketInfo,
    MarketStatus,
    OrderAck,
    OrderBookSnapshot,
    OrderStatusWire,
    OutcomeSide,
    Page,
    PriceBand,
    PublicTrade,
    SeriesInfo,
    TickerUpdate,
)
from shared.errors import Fatal
from shared.prices import ONE, ZERO, PriceError, to_decimal

_CENTS = Decimal(100)
_STATUS_ALIASES: dict[str, MarketStatus] = {
    # Nov-2025 demo traffic used the filter vocabulary; the REST enum is the documented one.
    "open": "active",
    "unopened": "initialized",
    "paused": "inactive",
    "settled": "finalized",
}
_STATUSES: frozenset[str] = frozenset(
    {"initialized", "inactive", "active", "closed", "determined", "disputed", "amended", "finalized"}
)
_FRACTION = re.compile(r"(\.\d{6})\d+")


class KalshiParseError(Fatal):
    """A Kalshi payload could not be turned into domain values."""

    def __init__(self, message: str) -> None:
        super().__init__(message, venue="kalshi")


# -- scalars -----------------------------------------------------------------------------------------


def dollars(value: str | int) -> Decimal:
    """A ``*_dollars`` string (or legacy dollar value) as exact ``Decimal``."""
    try:
        return to_decimal(value)
    except PriceError as e:
        raise KalshiParseError(str(e)) from None


def price_of(fixed: str | None, cents: int | None) -> Decimal | None:
    """A probability-scale price from the current string or the legacy integer cents."""
    if fixed is not None and fixed != "":
        result = dollars(fixed)
    elif cents is not None:
        result = Decimal(cents) / _CENTS
    else:
        return None
    if not ZERO <= result <= ONE:
        raise KalshiParseError(f"price out of [0, 1]: {fixed if fixed is not None else cents}")
    return result


def count_of(fixed: str | None, legacy: int | None) -> Decimal | None:
    """A contract count from the ``_fp`` string or the legacy integer."""
    if fixed is not None and fixed != "":
        return dollars(fixed)
    if legacy is not None:
        return Decimal(legacy)
    return None


def money_of(fixed: str | None, cents: int | None) -> Decimal | None:
    """A dollar amount from the ``_dollars`` string or legacy integer cents."""
    if fixed is not None and fixed != "":
        return dollars(fixed)
    if cents is not None:
        return Decimal(cents) / _CENTS
    return None


def parse_time(value: str | None) -> datetime | None:
    """An RFC 3339 timestamp (``2025-11-03T20:28:07.351361Z``) as aware UTC ``datetime``."""
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(_FRACTION.sub(r"\1", value).replace("Z", "+00:00"))
    except ValueError:
        raise KalshiParseError(f"not an RFC 3339 time: {value!r}") from None
    return parsed.astimezone(UTC) if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def parse_ts_ms(ms: int | None, seconds: int | None = None) -> datetime | None:
    """A Unix timestamp in milliseconds (or, failing that, seconds) as aware UTC ``datetime``."""
    if ms is not None:
        return datetime.fromtimestamp(ms / 1000, UTC)
    if seconds is not None:
        return datetime.fromtimestamp(seconds, UTC)
    return None


def normalize_status(raw: str) -> MarketStatus:
    """Map either status vocabulary onto the REST enum (``open`` → ``active`` ...)."""
    if raw in _STATUS_ALIASES:
        return _STATUS_ALIASES[raw]
    return cast(MarketStatus, raw) if raw in _STATUSES else "unknown"


def _outcome(value: str | None) -> OutcomeSide | None:
    return cast(OutcomeSide, value) if value in ("yes", "no") else None


def _book_side(value: str | None) -> BookSide | None:
    return cast(BookSide, value) if value in ("bid", "ask") else None


def direction(
    *, book_side: str | None, outcome_side: str | None, side: str | None, action: str | None
) -> tuple[BookSide, OutcomeSide]:
    """``(book_side, outcome_side)`` from the V2 fields or the legacy ``side``/``action`` pair.

    Buy YES ≡ sell NO → ``bid``/``yes``; buy NO ≡ sell YES → ``ask``/``no`` (venues.md §1.3, order_direction).
    """
    explicit = _book_side(book_side)
    if explicit is not None:
        return explicit, "yes" if explicit == "bid" else "no"
    if side in ("yes", "no"):
        buying = action != "sell"
        bid = (side == "yes") == buying
        return ("bid", "yes") if bid else ("ask", "no")
    outcome = _outcome(outcome_side)
    if outcome is not None:
        return ("bid" if outcome == "yes" else "ask"), outcome
    raise KalshiParseError(f"no direction: book_side={book_side} outcome_side={outcome_side} side={side}")


# -- exchange, series, events, markets ---------------------------------------------------------------


def parse_exchange_status(raw: w.ExchangeStatus) -> ExchangeState:
    """Exchange and trading switches."""
    return ExchangeState(raw.exchange_active, raw.trading_active, parse_time(raw.exchange_estimated_resume_time))


def parse_series(raw: w.Series) -> SeriesInfo:
    """One series with its fee schedule."""
    value = raw.fee_multiplier
    # fee_multiplier is a JSON number (e.g. 1 or 0.5), not money: its shortest repr is the exact value meant.
    multiplier = None if value is None else dollars(repr(value) if isinstance(value, float) else value)
    return SeriesInfo(
        raw.ticker, raw.title, raw.category, raw.frequency, tuple(raw.tags or ()), raw.fee_type, multiplier
    )


def _bands(raw: w.Market) -> tuple[PriceBand, ...]:
    if raw.price_ranges:
        return tuple(PriceBand(dollars(r.start), dollars(r.end), dollars(r.step)) for r in raw.price_ranges)
    step = Decimal(raw.tick_size or 1) / _CENTS
    return (PriceBand(ZERO, ONE, step),)


def parse_market(raw: w.Market) -> MarketInfo:
    """One market in either era; ``result`` ``""``/``null`` means not yet determined."""
    volume = count_of(raw.volume_fp, raw.volume)
    return MarketInfo(
        ticker=raw.ticker,
        event_ticker=raw.event_ticker,
        market_type=raw.market_type,
        title=raw.title or "",
        yes_sub_title=raw.yes_sub_title or "",
        no_sub_title=raw.no_sub_title or "",
        status=normalize_status(raw.status),
        status_raw=raw.status,
        result=_outcome(raw.result),
        yes_bid=price_of(raw.yes_bid_dollars, raw.yes_bid),
        yes_ask=price_of(raw.yes_ask_dollars, raw.yes_ask),
        no_bid=price_of(raw.no_bid_dollars, raw.no_bid),
        no_ask=price_of(raw.no_ask_dollars, raw.no_ask),
        last_price=price_of(raw.last_price_dollars, raw.last_price),
        yes_bid_size=count_of(raw.yes_bid_size_fp, None),
        yes_ask_size=count_of(raw.yes_ask_size_fp, None),
        volume=volume,
        open_interest=count_of(raw.open_interest_fp, raw.open_interest),
        open_time=parse_time(raw.open_time),
        close_time=parse_time(raw.close_time),
        expected_expiration_time=parse_time(raw.expected_expiration_time),
        price_level_structure=raw.price_level_structure or "linear_cent",
        price_bands=_bands(raw),
        fractional_trading_enabled=bool(raw.fractional_trading_enabled),
        custom_strike=dict(raw.custom_strike or {}),
        mve_legs=tuple(leg.market_ticker for leg in raw.mve_selected_legs or () if leg.market_ticker),
        rules_primary=raw.rules_primary or "",
        rules_secondary=raw.rules_secondary or "",
        early_close_condition=raw.early_close_condition or "",
        occurrence_time=parse_time(raw.occurrence_datetime),
        can_close_early=raw.can_close_early,
        exchange_index=DEFAULT_SHARD if raw.exchange_index is None else raw.exchange_index,
    )


def parse_markets_page(raw: w.MarketsPage) -> Page[MarketInfo]:
    """A page of markets; the cursor is ``None`` on the last page."""
    return Page(tuple(parse_market(m) for m in raw.markets or ()), raw.cursor or None)


def parse_event(raw: w.Event, extra_markets: list[w.Market] | None = None) -> EventInfo:
    """An event with its nested markets (``event.markets``, or the deprecated top-level list)."""
    markets = raw.markets if raw.markets is not None else extra_markets
    return EventInfo(
        raw.event_ticker,
        raw.series_ticker,
        raw.title,
        raw.sub_title,
        raw.mutually_exclusive,
        tuple(parse_market(m) for m in markets or ()),
    )


def parse_events_page(raw: w.EventsPage) -> Page[EventInfo]:
    """A page of events."""
    return Page(tuple(parse_event(e) for e in raw.events or ()), raw.cursor or None)


# -- books and trades --------------------------------------------------------------------------------


def _levels(levels: list[w.Level] | None) -> tuple[BookLevel, ...]:
    out = [BookLevel(dollars(price), dollars(size)) for price, size in levels or ()]
    return tuple(sorted(out, key=lambda lv: lv.price))


def _cent_levels(levels: list[tuple[int, int]] | None) -> tuple[BookLevel, ...]:
    out = [BookLevel(Decimal(c) / _CENTS, Decimal(n)) for c, n in levels or ()]
    return tuple(sorted(out, key=lambda lv: lv.price))


def parse_orderbook(ticker: str, raw: w.OrderbookResponse) -> OrderBookSnapshot:
    """``orderbook_fp`` (current) or legacy ``orderbook`` (dollar levels, else cents; null sides = empty)."""
    if raw.orderbook_fp is not None:
        return OrderBookSnapshot(ticker, _levels(raw.orderbook_fp.yes_dollars), _levels(raw.orderbook_fp.no_dollars))
    legacy = raw.orderbook
    if legacy is None:
        return OrderBookSnapshot(ticker, (), ())
    yes = _levels(legacy.yes_dollars) if legacy.yes_dollars is not None else _cent_levels(legacy.yes)
    no = _levels(legacy.no_dollars) if legacy.no_dollars is not None else _cent_levels(legacy.no)
    return OrderBookSnapshot(ticker, yes, no)


def _taker(
    book_side: str | None, outcome_side: str | None, legacy: str | None
) -> tuple[BookSide | None, OutcomeSide | None]:
    outcome = _outcome(outcome_side) or _outcome(legacy)
    side = _book_side(book_side)
    if side is None and outcome is not None:
        side = "bid" if outcome == "yes" else "ask"
    return side, outcome


def _trade(raw: w.Trade | w.WsTrade, ticker: str, ts: datetime | None) -> PublicTrade:
    yes = price_of(raw.yes_price_dollars, raw.yes_price)
    no = price_of(raw.no_price_dollars, raw.no_price)
    count = count_of(raw.count_fp, raw.count)
    if yes is None or count is None:
        raise KalshiParseError(f"trade {raw.trade_id} has no price or count")
    side, outcome = _taker(raw.taker_book_side, raw.taker_outcome_side, raw.taker_side)
    return PublicTrade(
        raw.trade_id, ticker, count, yes, no if no is not None else ONE - yes, outcome, side, ts,
        bool(raw.is_block_trade),
    )  # fmt: skip


def parse_trade(raw: w.Trade) -> PublicTrade:
    """One public trade."""
    return _trade(raw, raw.ticker, parse_time(raw.created_time))


def parse_trades_page(raw: w.TradesPage) -> Page[PublicTrade]:
    """A page of public trades."""
    return Page(tuple(parse_trade(t) for t in raw.trades or ()), raw.cursor or None)


# -- orders ------------------------------------------------------------------------------------------


def _order_status(raw: str) -> OrderStatusWire:
    return cast(OrderStatusWire, raw) if raw in ("resting", "canceled", "executed", "pending") else "unknown"


def parse_order(raw: w.Order) -> KalshiOrder:
    """An order in either era; the limit is expressed on the YES leg."""
    book_side, outcome = direction(
        book_side=raw.book_side, outcome_side=raw.outcome_side, side=raw.side, action=raw.action
    )
    yes_price = price_of(raw.yes_price_dollars, raw.yes_price)
    if yes_price is None:
        no_price = price_of(raw.no_price_dollars, raw.no_price)
        if no_price is None:
            raise KalshiParseError(f"order {raw.order_id} has no price")
        yes_price = ONE - no_price
    initial = count_of(raw.initial_count_fp, raw.initial_count)
    filled = count_of(raw.fill_count_fp, raw.fill_count) or ZERO
    remaining = count_of(raw.remaining_count_fp, raw.remaining_count)
    if remaining is None:
        remaining = ZERO if initial is None else initial - filled
    return KalshiOrder(
        order_id=raw.order_id,
        client_order_id=raw.client_order_id or None,
        ticker=raw.ticker,
        status=_order_status(raw.status),
        book_side=book_side,
        outcome_side=outcome,
        yes_price=yes_price,
        initial_count=initial if initial is not None else filled + remaining,
        fill_count=filled,
        remaining_count=remaining,
        taker_fill_cost=money_of(raw.taker_fill_cost_dollars, raw.taker_fill_cost) or ZERO,
        maker_fill_cost=money_of(raw.maker_fill_cost_dollars, raw.maker_fill_cost) or ZERO,
        taker_fees=money_of(raw.taker_fees_dollars, raw.taker_fees) or ZERO,
        maker_fees=money_of(raw.maker_fees_dollars, raw.maker_fees) or ZERO,
        created_time=parse_time(raw.created_time),
        last_update_time=parse_time(raw.last_update_time),
        expiration_time=parse_time(raw.expiration_time),
        exchange_index=raw.exchange_index,
    )


def parse_orders_page(raw: w.OrdersPage) -> Page[KalshiOrder]:
    """A page of orders."""
    return Page(tuple(parse_order(o) for o in raw.orders or ()), raw.cursor or None)


def parse_order_ack(raw: w.CreateOrderV2Response) -> OrderAck:
    """The V2 create answer."""
    return OrderAck(
        order_id=raw.order_id,
        client_order_id=raw.client_order_id or None,
        fill_count=dollars(raw.fill_count),
        remaining_count=dollars(raw.remaining_count),
        average_fill_price=None if raw.average_fill_price is None else dollars(raw.average_fill_price),
        average_fee_paid=None if raw.average_fee_paid is None else dollars(raw.average_fee_paid),
        ts=parse_ts_ms(raw.ts_ms),
    )


def ack_from_order(order: KalshiOrder, *, duplicate: bool = False) -> OrderAck:
    """An :class:`OrderAck` describing an order already known (legacy create, duplicate resolution)."""
    cost = order.taker_fill_cost + order.maker_fill_cost
    fees = order.taker_fees + order.maker_fees
    filled = order.fill_count
    return OrderAck(
        order_id=order.order_id,
        client_order_id=order.client_order_id,
        fill_count=filled,
        remaining_count=order.remaining_count,
        average_fill_price=(cost / filled) if filled else None,
        average_fee_paid=(fees / filled) if filled else None,
        ts=order.last_update_time,
        duplicate=duplicate,
    )


def parse_cancel_v2(raw: w.CancelOrderV2Response) -> CancelAck:
    """The V2 cancel answer."""
    return CancelAck(raw.order_id, raw.client_order_id or None, dollars(raw.reduced_by), parse_ts_ms(raw.ts_ms))


def parse_cancel_legacy(raw: w.CancelOrderLegacyResponse) -> CancelAck:
    """The legacy cancel answer (``reduced_by_fp`` or older integer ``reduced_by``)."""
    reduced = count_of(raw.reduced_by_fp, raw.reduced_by) or ZERO
    return CancelAck(
        raw.order.order_id, raw.order.client_order_id or None, reduced, parse_time(raw.order.last_update_time)
    )


# -- fills, positions, balance -----------------------------------------------------------------------


def parse_fill(raw: w.Fill) -> KalshiFill:
    """A REST fill in either era (``yes_price_dollars``, Nov-2025 ``yes_price_fixed``, or cents)."""
    book_side, outcome = direction(
        book_side=raw.book_side, outcome_side=raw.outcome_side, side=raw.side, action=raw.action
    )
    yes = price_of(raw.yes_price_dollars or raw.yes_price_fixed, raw.yes_price)
    count = count_of(raw.count_fp, raw.count)
    ticker = raw.ticker or raw.market_ticker
    if yes is None or count is None or not ticker:
        raise KalshiParseError(f"fill {raw.trade_id} has no price, count or ticker")
    return KalshiFill(
        trade_id=raw.trade_id,
        order_id=raw.order_id,
        ticker=ticker,
        book_side=book_side,
        outcome_side=outcome,
        count=count,
        yes_price=yes,
        is_taker=bool(raw.is_taker),
        fee=None if raw.fee_cost is None else dollars(raw.fee_cost),
        client_order_id=raw.client_order_id or None,
        post_position=None,
        ts=parse_time(raw.created_time) or parse_ts_ms(None, raw.ts),
    )


def parse_fills_page(raw: w.FillsPage) -> Page[KalshiFill]:
    """A page of fills."""
    return Page(tuple(parse_fill(f) for f in raw.fills or ()), raw.cursor or None)


def parse_position(raw: w.MarketPosition) -> KalshiPosition:
    """One market position (negative = NO)."""
    return KalshiPosition(
        ticker=raw.ticker,
        position=count_of(raw.position_fp, raw.position) or ZERO,
        market_exposure=money_of(raw.market_exposure_dollars, raw.market_exposure) or ZERO,
        realized_pnl=money_of(raw.realized_pnl_dollars, raw.realized_pnl) or ZERO,
        fees_paid=money_of(raw.fees_paid_dollars, raw.fees_paid) or ZERO,
        total_traded=money_of(raw.total_traded_dollars, raw.total_traded) or ZERO,
    )


def parse_positions_page(raw: w.PositionsPage) -> Page[KalshiPosition]:
    """A page of market positions."""
    return Page(tuple(parse_position(p) for p in raw.market_positions or ()), raw.cursor or None)


def parse_balance(raw: w.Balance) -> KalshiBalance:
    """Balance in dollars (``balance_dollars`` when present, else integer cents), with the per-shard
    ``balance_breakdown`` (each entry a dollars string; integer cents tolerated)."""
    balance = money_of(raw.balance_dollars, raw.balance)
    assert balance is not None
    value = None if raw.portfolio_value is None else Decimal(raw.portfolio_value) / _CENTS
    by_shard: dict[int, Decimal] = {}
    for entry in raw.balance_breakdown or ():
        cash = money_of(entry.balance, None) if isinstance(entry.balance, str) else money_of(None, entry.balance)
        assert cash is not None
        by_shard[entry.exchange_index] = by_shard.get(entry.exchange_index, ZERO) + cash
    return KalshiBalance(balance, value, parse_ts_ms(None, raw.updated_ts), by_shard)


# -- WebSocket messages ------------------------------------------------------------------------------


def parse_ws_snapshot(raw: w.WsOrderbookSnapshot) -> OrderBookSnapshot:
    """``orderbook_snapshot``: current ``*_dollars_fp`` (a missing side is empty) or legacy cents."""
    yes = _levels(raw.yes_dollars_fp) if raw.yes_dollars_fp is not None else _cent_levels(raw.yes)
    no = _levels(raw.no_dollars_fp) if raw.no_dollars_fp is not None else _cent_levels(raw.no)
    return OrderBookSnapshot(raw.market_ticker, yes, no)


def parse_ws_delta(raw: w.WsOrderbookDelta) -> BookDelta:
    """``orderbook_delta``: a signed increment (NO side on the NO leg)."""
    side = _outcome(raw.side)
    price = price_of(raw.price_dollars, raw.price)
    delta = count_of(raw.delta_fp, raw.delta)
    if side is None or price is None or delta is None:
        raise KalshiParseError(f"bad orderbook_delta for {raw.market_ticker}")
    return BookDelta(raw.market_ticker, side, price, delta, raw.client_order_id, parse_ts_ms(raw.ts_ms))


def parse_ws_ticker(raw: w.WsTicker) -> TickerUpdate:
    """``ticker``: current dollars/fp or the legacy cents capture."""
    return TickerUpdate(
        ticker=raw.market_ticker,
        last_price=price_of(raw.price_dollars, raw.price),
        yes_bid=price_of(raw.yes_bid_dollars, raw.yes_bid),
        yes_ask=price_of(raw.yes_ask_dollars, raw.yes_ask),
        yes_bid_size=count_of(raw.yes_bid_size_fp, None),
        yes_ask_size=count_of(raw.yes_ask_size_fp, None),
        volume=count_of(raw.volume_fp, raw.volume),
        open_interest=count_of(raw.open_interest_fp, raw.open_interest),
        ts=parse_ts_ms(raw.ts_ms, raw.ts),
    )


def parse_ws_trade(raw: w.WsTrade) -> PublicTrade:
    """``trade``."""
    return _trade(raw, raw.market_ticker, parse_ts_ms(raw.ts_ms, raw.ts))


def parse_ws_fill(raw: w.WsFill) -> KalshiFill:
    """``fill`` (private): ``purchased_side``/``side`` + ``action``, or V2 ``book_side``."""
    book_side, outcome = direction(
        book_side=raw.book_side, outcome_side=raw.outcome_side, side=raw.side, action=raw.action
    )
    yes = price_of(raw.yes_price_dollars, raw.yes_price)
    count = count_of(raw.count_fp, raw.count)
    if yes is None or count is None:
        raise KalshiParseError(f"fill {raw.trade_id} has no price or count")
    return KalshiFill(
        trade_id=raw.trade_id,
        order_id=raw.order_id,
        ticker=raw.market_ticker,
        book_side=book_side,
        outcome_side=outcome,
        count=count,
        yes_price=yes,
        is_taker=bool(raw.is_taker),
        fee=None if raw.fee_cost is None else dollars(raw.fee_cost),
        client_order_id=raw.client_order_id or None,
        post_position=None if raw.post_position_fp is None else dollars(raw.post_position_fp),
        ts=parse_ts_ms(raw.ts_ms, raw.ts),
    )


def parse_ws_user_order(raw: w.WsUserOrder) -> KalshiOrder:
    """``user_order`` (channel ``user_orders``) as an order; fees are not on this message (reported as 0)."""
    book_side: BookSide
    outcome: OutcomeSide
    if raw.book_side is None and raw.side is None and raw.outcome_side is None and raw.is_yes is not None:
        book_side, outcome = ("bid", "yes") if raw.is_yes else ("ask", "no")
    else:
        book_side, outcome = direction(
            book_side=raw.book_side, outcome_side=raw.outcome_side, side=raw.side, action=None
        )
    yes = price_of(raw.yes_price_dollars, None)
    initial = count_of(raw.initial_count_fp, None)
    filled = count_of(raw.fill_count_fp, None) or ZERO
    remaining = count_of(raw.remaining_count_fp, None)
    if yes is None or initial is None or remaining is None:
        raise KalshiParseError(f"user_order {raw.order_id} has no price or counts")
    return KalshiOrder(
        order_id=raw.order_id,
        client_order_id=raw.client_order_id or None,
        ticker=raw.ticker,
        status=_order_status(raw.status),
        book_side=book_side,
        outcome_side=outcome,
        yes_price=yes,
        initial_count=initial,
        fill_count=filled,
        remaining_count=remaining,
        taker_fill_cost=money_of(raw.taker_fill_cost_dollars, None) or ZERO,
        maker_fill_cost=money_of(raw.maker_fill_cost_dollars, None) or ZERO,
        taker_fees=ZERO,
        maker_fees=ZERO,
        created_time=parse_ts_ms(raw.created_ts_ms),
        last_update_time=None,
        expiration_time=parse_ts_ms(raw.expiration_ts_ms),
    )
