"""Rendering simulator state as Kalshi JSON, in the current (2026) fixed-point shapes.

Prices are ``*_dollars`` strings with 4 decimals (``"0.5600"``), counts ``*_fp`` strings with 2
(``"10.00"``), times RFC 3339 with microseconds. Market ``status`` uses the REST enum observed in
July-2026 production data (``active``, ``finalized``...) and ``result`` is ``""`` until determined.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any, TypeVar

from markets.sim.kalshi.accounts import Account, Position, SimFill, SimOrder
from markets.sim.kalshi.exchange import SimEvent, SimMarket, SimSeries, SimTrade
from shared.prices import ONE, ZERO

T = TypeVar("T")
_DOLLARS = Decimal("0.0001")
_COUNT = Decimal("0.01")


def dollars(value: Decimal) -> str:
    """``FixedPointDollars`` response form (4 dp)."""
    return format(value.quantize(_DOLLARS), "f")


def fp(value: Decimal) -> str:
    """``FixedPointCount`` response form (2 dp)."""
    return format(value.quantize(_COUNT), "f")


def rfc3339(value: datetime | None) -> str | None:
    """``2025-11-03T20:28:07.351361Z``."""
    return None if value is None else value.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def ms(value: datetime) -> int:
    """Unix milliseconds."""
    return int(value.timestamp() * 1000)


def page(items: Sequence[T], limit: int, cursor: str | None) -> tuple[Sequence[T], str]:
    """Slice ``items`` for a cursor-paged listing; the cursor is opaque and ``""`` on the last page."""
    start = 0
    if cursor:
        try:
            start = int(base64.urlsafe_b64decode(cursor.encode()).decode())
        except ValueError:
            start = 0
    end = start + limit
    following = base64.urlsafe_b64encode(str(end).encode()).decode() if end < len(items) else ""
    return items[start:end], following


# -- reference data ----------------------------------------------------------------------------------


def series_json(series: SimSeries) -> dict[str, Any]:
    """A ``Series``."""
    return {
        "ticker": series.ticker,
        "title": series.title,
        "category": series.category,
        "frequency": series.frequency,
        "tags": list(series.tags),
        "settlement_sources": [{"name": "ESPN", "url": "https://www.espn.com"}],
        "contract_url": "",
        "contract_terms_url": "",
        "fee_type": series.fee_type,
        "fee_multiplier": series.fee_multiplier,
        "additional_prohibitions": [],
        "product_metadata": {},
    }


def event_json(event: SimEvent, markets: list[SimMarket] | None = None) -> dict[str, Any]:
    """An ``EventData`` (with ``markets`` when given)."""
    body: dict[str, Any] = {
        "event_ticker": event.event_ticker,
        "series_ticker": event.series_ticker,
        "title": event.title,
        "sub_title": event.sub_title,
        "collateral_return_type": "MECNET" if event.mutually_exclusive else "",
        "mutually_exclusive": event.mutually_exclusive,
        "category": "Sports",
        "available_on_brokers": True,
        "product_metadata": {},
    }
    if markets is not None:
        body["markets"] = [market_json(m) for m in markets]
    return body


def _top(market: SimMarket) -> tuple[Decimal, Decimal, Decimal, Decimal]:
    yes, no = market.aggregated()
    yes_bid = max(yes) if yes else ZERO
    no_bid = max(no) if no else ZERO
    return yes_bid, yes.get(yes_bid, ZERO), no_bid, no.get(no_bid, ZERO)


def market_json(market: SimMarket) -> dict[str, Any]:
    """A ``Market`` in the current fixed-point shape."""
    yes_bid, yes_bid_size, no_bid, no_bid_size = _top(market)
    yes_ask = ONE - no_bid if no_bid else ONE
    no_ask = ONE - yes_bid if yes_bid else ONE
    body: dict[str, Any] = {
        "ticker": market.ticker,
        "event_ticker": market.event_ticker,
        "market_type": "binary",
        "title": market.title,
        "subtitle": "",
        "yes_sub_title": market.yes_sub_title,
        "no_sub_title": market.no_sub_title,
        "created_time": rfc3339(market.created_time),
        "updated_time": rfc3339(market.created_time),
        "open_time": rfc3339(market.open_time),
        "close_time": rfc3339(market.close_time),
        "expected_expiration_time": rfc3339(market.expected_expiration_time),
        "expiration_time": rfc3339(market.close_time),
        "latest_expiration_time": rfc3339(market.close_time),
        "occurrence_datetime": rfc3339(market.expected_expiration_time),
        "settlement_timer_seconds": 300,
        "status": market.status,
        "yes_bid_dollars": dollars(yes_bid),
        "yes_bid_size_fp": fp(yes_bid_size),
        "yes_ask_dollars": dollars(yes_ask),
        "yes_ask_size_fp": fp(no_bid_size),
        "no_bid_dollars": dollars(no_bid),
        "no_ask_dollars": dollars(no_ask),
        "last_price_dollars": dollars(market.last_price),
        "previous_yes_bid_dollars": "0.0000",
        "previous_yes_ask_dollars": "0.0000",
        "previous_price_dollars": "0.0000",
        "volume_fp": fp(market.volume),
        "volume_24h_fp": fp(market.volume),
        "open_interest_fp": fp(market.open_interest),
        "notional_value_dollars": "1.0000",
        "liquidity_dollars": "0.0000",
        "result": market.result,
        "can_close_early": True,
        "expiration_value": "",
        "early_close_condition": "This market will close and expire after a winner is declared.",
        "rules_primary": market.rules_primary,
        "rules_secondary": "",
        "strike_type": "structured",
        "custom_strike": market.custom_strike,
        "price_level_structure": market.price_level_structure,
        "price_ranges": [
            {"start": dollars(start), "end": dollars(end), "step": dollars(step)}
            for start, end, step in market.price_ranges
        ],
        "fractional_trading_enabled": True,
        "response_price_units": "usd_cent",
        "exchange_index": market.exchange_index,
    }
    if market.settlement_value is not None:
        body["settlement_value_dollars"] = dollars(market.settlement_value)
        body["settlement_ts"] = rfc3339(market.settled_time)
    return body


def orderbook_fp(market: SimMarket, depth: int = 0) -> dict[str, Any]:
    """``{"orderbook_fp": {"yes_dollars": [...], "no_dollars": [...]}}``, ascending, best last."""
    yes, no = market.aggregated()

    def side(levels: dict[Decimal, Decimal]) -> list[list[str]]:
        prices = sorted(levels)
        if depth:
            prices = prices[-depth:]
        return [[dollars(p), fp(levels[p])] for p in prices]

    return {"orderbook_fp": {"yes_dollars": side(yes), "no_dollars": side(no)}}


def trade_json(trade: SimTrade) -> dict[str, Any]:
    """A public ``Trade``."""
    outcome = "yes" if trade.taker_side == "bid" else "no"
    return {
        "trade_id": trade.trade_id,
        "ticker": trade.ticker,
        "count_fp": fp(trade.count),
        "yes_price_dollars": dollars(trade.yes_price),
        "no_price_dollars": dollars(ONE - trade.yes_price),
        "taker_side": outcome,
        "taker_outcome_side": outcome,
        "taker_book_side": trade.taker_side,
        "created_time": rfc3339(trade.created),
        "is_block_trade": False,
    }


# -- portfolio ---------------------------------------------------------------------------------------


def _legacy_direction(order: SimOrder) -> tuple[str, str]:
    if order.legacy_side and order.legacy_action:
        return order.legacy_side, order.legacy_action
    return ("yes", "buy") if order.side == "bid" else ("no", "buy")


def order_json(order: SimOrder) -> dict[str, Any]:
    """An ``Order`` (June-2026 schema: V2 direction fields plus the deprecated legacy pair)."""
    side, action = _legacy_direction(order)
    expiration = (
        None if order.expiration_ts is None else datetime.fromtimestamp(order.expiration_ts, order.created.tzinfo)
    )
    return {
        "order_id": order.order_id,
        "user_id": order.user_id,
        "client_order_id": order.client_order_id,
        "ticker": order.ticker,
        "side": side,
        "action": action,
        "outcome_side": "yes" if order.side == "bid" else "no",
        "book_side": order.side,
        "type": "limit",
        "status": order.status,
        "yes_price_dollars": dollars(order.price),
        "no_price_dollars": dollars(ONE - order.price),
        "fill_count_fp": fp(order.filled),
        "remaining_count_fp": fp(order.remaining),
        "initial_count_fp": fp(order.initial),
        "taker_fill_cost_dollars": dollars(order.taker_fill_cost),
        "maker_fill_cost_dollars": dollars(order.maker_fill_cost),
        "taker_fees_dollars": dollars(order.taker_fees),
        "maker_fees_dollars": dollars(order.maker_fees),
        "expiration_time": rfc3339(expiration),
        "created_time": rfc3339(order.created),
        "last_update_time": rfc3339(order.updated),
        "self_trade_prevention_type": order.self_trade_prevention,
        "order_group_id": None,
        "cancel_order_on_pause": False,
        "subaccount_number": 0,
        "exchange_index": order.exchange_index,
    }


def user_order_json(order: SimOrder) -> dict[str, Any]:
    """A ``user_order`` WebSocket message (channel ``user_orders``; docs.kalshi.com/websockets/user-orders)."""
    expiration = (
        None if order.expiration_ts is None else datetime.fromtimestamp(order.expiration_ts, order.created.tzinfo)
    )
    return {
        "order_id": order.order_id,
        "user_id": order.user_id,
        "ticker": order.ticker,
        "status": order.status,
        "side": "yes" if order.side == "bid" else "no",
        "is_yes": order.side == "bid",
        "yes_price_dollars": dollars(order.price),
        "fill_count_fp": fp(order.filled),
        "remaining_count_fp": fp(order.remaining),
        "initial_count_fp": fp(order.initial),
        "taker_fill_cost_dollars": dollars(order.taker_fill_cost),
        "maker_fill_cost_dollars": dollars(order.maker_fill_cost),
        "client_order_id": order.client_order_id,
        "order_group_id": None,
        "self_trade_prevention_type": order.self_trade_prevention,
        "created_time": rfc3339(order.created),
        "created_ts_ms": ms(order.created),
        "expiration_time": rfc3339(expiration),
        "expiration_ts_ms": None if expiration is None else ms(expiration),
        "subaccount_number": 0,
    }


def create_v2_json(order: SimOrder) -> dict[str, Any]:
    """The V2 create answer (counts without ``_fp``; averages only once something filled)."""
    body: dict[str, Any] = {
        "order_id": order.order_id,
        "client_order_id": order.client_order_id,
        "fill_count": fp(order.filled),
        "remaining_count": fp(order.remaining),
        "ts_ms": ms(order.updated),
    }
    if order.filled > 0:
        cost = order.taker_fill_cost + order.maker_fill_cost
        fees = order.taker_fees + order.maker_fees
        body["average_fill_price"] = dollars(cost / order.filled)
        body["average_fee_paid"] = dollars(fees / order.filled)
    return body


def fill_json(fill: SimFill) -> dict[str, Any]:
    """A REST ``Fill``."""
    side, action = ("yes", "buy") if fill.side == "bid" else ("no", "buy")
    return {
        "fill_id": fill.trade_id,
        "trade_id": fill.trade_id,
        "order_id": fill.order_id,
        "ticker": fill.ticker,
        "market_ticker": fill.ticker,
        "side": side,
        "action": action,
        "outcome_side": "yes" if fill.side == "bid" else "no",
        "book_side": fill.side,
        "count_fp": fp(fill.count),
        "yes_price_dollars": dollars(fill.yes_price),
        "no_price_dollars": dollars(ONE - fill.yes_price),
        "is_taker": fill.is_taker,
        "created_time": rfc3339(fill.created),
        "fee_cost": dollars(fill.fee),
        "ts": int(fill.created.timestamp()),
        "exchange_index": fill.exchange_index,
    }


def position_json(ticker: str, position: Position, exchange_index: int) -> dict[str, Any]:
    """A ``market_positions`` item."""
    return {
        "ticker": ticker,
        "total_traded_dollars": dollars(position.total_traded),
        "position_fp": fp(position.position),
        "market_exposure_dollars": dollars(position.cost),
        "realized_pnl_dollars": dollars(position.realized_pnl),
        "fees_paid_dollars": dollars(position.fees_paid),
        "last_updated_ts": rfc3339(position.updated),
        "exchange_index": exchange_index,
    }


def balance_json(account: Account, portfolio_value: Decimal, now: datetime) -> dict[str, Any]:
    """``GET /portfolio/balance``: integer cents plus ``balance_dollars`` (totals over shards), and the
    available cash of each exchange shard in ``balance_breakdown``."""
    available = account.available
    return {
        "balance": int((available * 100).to_integral_value(rounding="ROUND_FLOOR")),
        "balance_dollars": dollars(available),
        "portfolio_value": int((portfolio_value * 100).to_integral_value(rounding="ROUND_FLOOR")),
        "updated_ts": int(now.timestamp()),
        "balance_breakdown": [
            {"exchange_index": shard, "balance": dollars(account.available_on(shard))}
            for shard in sorted(account.shard_cash)
        ],
    }


def error_json(code: str, message: str, details: str = "") -> dict[str, Any]:
    """Kalshi's error body (no ``service`` since 2026-08-06)."""
    inner = {"code": code, "message": message}
    if details:
        inner["details"] = details
    return {"error": inner}
