"""Pure wire -> domain functions for Polymarket: the only place wire strings become ``Decimal`` values.

Every function takes decoded JSON (from :func:`loads`, which decodes JSON numbers as ``Decimal``) and
returns the exact domain types of :mod:`markets.polymarket.types`. A payload that does not fit its
schema raises :class:`WireError` (a ``ValueError``); callers treat it as a malformed venue answer.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from datetime import datetime
from decimal import Decimal
from typing import Any, TypeVar, cast

from pydantic import SecretStr, ValidationError

from markets.polymarket import schemas as w
from markets.polymarket.types import (
    ApiCredentials,
    BestBidAskEvent,
    BookEvent,
    BookSnapshot,
    CancelResult,
    GammaEvent,
    GammaMarket,
    GeoblockAnswer,
    LastTradePriceEvent,
    Level,
    LevelChange,
    MakerFill,
    MarketEvent,
    MarketResolvedEvent,
    OrderUpdate,
    PostOrderResult,
    PriceChangeEvent,
    Side,
    Sport,
    Team,
    TickSizeChangeEvent,
    TradeUpdate,
    UserEvent,
)
from shared.fees import PolymarketFeeSchedule
from shared.prices import PriceError, to_decimal


class WireError(ValueError):
    """A venue payload did not match the documented (or observed) shape."""


def loads(text: str | bytes) -> Any:
    """Decode JSON with numbers as ``Decimal`` (never ``float``) and integers as ``int``."""
    try:
        return json.loads(text, parse_float=Decimal)
    except json.JSONDecodeError as e:
        raise WireError(f"not JSON: {e}") from None


def from_library_number(value: Any) -> Any:
    """Undo a ``float`` that py-clob-client-v2 produced by decoding a JSON number with ``resp.json()``.

    ``repr`` of a float is the shortest text that round-trips, i.e. the number as the venue wrote it;
    the result is a ``Decimal``. Containers are converted recursively; other values pass through.
    """
    if isinstance(value, float):
        return Decimal(repr(value))
    if isinstance(value, dict):
        return {k: from_library_number(v) for k, v in value.items()}
    if isinstance(value, list):
        return [from_library_number(v) for v in value]
    return value


M = TypeVar("M", bound=w.Wire)


def _model(cls: type[M], raw: Any) -> M:
    try:
        return cls.model_validate(raw)
    except ValidationError as e:
        raise WireError(f"{cls.__name__}: {e.error_count()} problem(s): {e.errors(include_url=False)[:3]}") from None


def _dec(text: str | None) -> Decimal | None:
    if text is None or text == "":
        return None
    try:
        return to_decimal(text)
    except PriceError as e:
        raise WireError(str(e)) from None


def _req_dec(text: str) -> Decimal:
    value = _dec(text)
    if value is None:
        raise WireError("missing number")
    return value


def _int(text: str | None) -> int | None:
    if text is None or text == "":
        return None
    try:
        return int(Decimal(text))
    except ArithmeticError:
        raise WireError(f"not an integer: {text!r}") from None


def _side(text: str | None) -> Side | None:
    if text is None or text == "":
        return None
    upper = text.upper()
    if upper not in ("BUY", "SELL"):
        raise WireError(f"bad side {text!r}")
    return cast(Side, upper)


def _req_side(text: str | None) -> Side:
    side = _side(text)
    if side is None:
        raise WireError("missing side")
    return side


def normalise_status(status: str) -> str:
    """``ORDER_STATUS_LIVE`` / ``TRADE_STATUS_CONFIRMED`` / ``live`` -> ``LIVE`` / ``CONFIRMED`` / ``LIVE``."""
    upper = status.upper()
    for prefix in ("ORDER_STATUS_", "TRADE_STATUS_"):
        if upper.startswith(prefix):
            return upper.removeprefix(prefix)
    return upper


def parse_time(text: str | None) -> datetime | None:
    """Gamma times: ISO 8601 (``2026-09-27T20:25:00Z``) or ``gameStartTime`` ``2026-09-27 20:25:00+00``."""
    if not text:
        return None
    try:
        value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise WireError(f"bad time {text!r}") from None
    if value.tzinfo is None:
        raise WireError(f"time without offset {text!r}")
    return value


# -- Gamma --------------------------------------------------------------------------------------------


def _fee_schedule(raw: w.GammaMarketWire) -> PolymarketFeeSchedule | None:
    if raw.fee_schedule is None:
        return None
    if raw.fees_enabled is False:
        return PolymarketFeeSchedule()
    schedule = raw.fee_schedule
    return PolymarketFeeSchedule(rate=schedule.rate, exponent=int(schedule.exponent), taker_only=schedule.taker_only)


def gamma_market(raw: Any) -> GammaMarket:
    """A Gamma market object -> :class:`GammaMarket` (JSON-string fields decoded)."""
    m = raw if isinstance(raw, w.GammaMarketWire) else _model(w.GammaMarketWire, raw)
    if m.clob_token_ids and len(m.clob_token_ids) != len(m.outcomes):
        raise WireError(f"market {m.id}: {len(m.outcomes)} outcomes but {len(m.clob_token_ids)} token ids")
    return GammaMarket(
        id=m.id,
        condition_id=m.condition_id,
        slug=m.slug,
        question=m.question,
        outcomes=tuple(m.outcomes),
        outcome_prices=tuple(to_decimal(p) for p in m.outcome_prices),
        token_ids=tuple(m.clob_token_ids),
        neg_risk=bool(m.neg_risk),
        tick_size=m.order_price_min_tick_size,
        min_order_size=m.order_min_size,
        fee_schedule=_fee_schedule(m),
        active=bool(m.active),
        closed=bool(m.closed),
        accepting_orders=bool(m.accepting_orders),
        enable_order_book=bool(m.enable_order_book),
        game_start_time=parse_time(m.game_start_time),
        event_start_time=parse_time(m.event_start_time),
        sports_market_type=m.sports_market_type or None,
        line=m.line,
        game_id=m.game_id,
        seconds_delay=m.seconds_delay,
        best_bid=m.best_bid,
        best_ask=m.best_ask,
        last_trade_price=m.last_trade_price,
        group_item_title=m.group_item_title,
        event_slugs=tuple(e.slug for e in m.events if e.slug),
        description=m.description or "",
        resolution_source=m.resolution_source or "",
    )


def gamma_markets(raw: Any) -> list[GammaMarket]:
    """A JSON array of Gamma markets."""
    if not isinstance(raw, list):
        raise WireError("expected a JSON array of markets")
    return [gamma_market(item) for item in raw]


def gamma_event(raw: Any) -> GammaEvent:
    """A Gamma event object -> :class:`GammaEvent` with its markets."""
    e = raw if isinstance(raw, w.GammaEventWire) else _model(w.GammaEventWire, raw)
    return GammaEvent(
        id=e.id,
        slug=e.slug,
        title=e.title,
        active=bool(e.active),
        closed=bool(e.closed),
        neg_risk=bool(e.neg_risk),
        start_date=parse_time(e.start_time or e.start_date),
        end_date=parse_time(e.end_date),
        markets=tuple(gamma_market(m) for m in e.markets),
        tags=tuple(t.slug or t.label or t.id or "" for t in e.tags),
        game_id=e.game_id,
        live=e.live,
        ended=e.ended,
        score=e.score,
        period=e.period,
    )


def gamma_events(raw: Any) -> list[GammaEvent]:
    """A JSON array of Gamma events."""
    if not isinstance(raw, list):
        raise WireError("expected a JSON array of events")
    return [gamma_event(item) for item in raw]


def gamma_markets_page(raw: Any) -> tuple[list[GammaMarket], str | None]:
    """``GET /markets/keyset`` -> (markets, next cursor or ``None`` at the end)."""
    page = _model(w.GammaMarketsPageWire, raw)
    return [gamma_market(m) for m in page.markets], page.next_cursor or None


def gamma_events_page(raw: Any) -> tuple[list[GammaEvent], str | None]:
    """``GET /events/keyset`` -> (events, next cursor or ``None`` at the end)."""
    page = _model(w.GammaEventsPageWire, raw)
    return [gamma_event(e) for e in page.events], page.next_cursor or None


def sports(raw: Any) -> list[Sport]:
    """``GET /sports``."""
    if not isinstance(raw, list):
        raise WireError("expected a JSON array of sports")
    rows = [_model(w.SportWire, item) for item in raw]
    return [
        Sport(
            sport=r.sport,
            tag_ids=tuple(t.strip() for t in (r.tags or "").split(",") if t.strip()),
            series=r.series,
            ordering=r.ordering,
            resolution=r.resolution,
            image=r.image,
        )
        for r in rows
    ]


def teams(raw: Any) -> list[Team]:
    """``GET /teams``."""
    if not isinstance(raw, list):
        raise WireError("expected a JSON array of teams")
    rows = [_model(w.TeamWire, item) for item in raw]
    return [
        Team(id=r.id, name=r.name, league=r.league, abbreviation=r.abbreviation, alias=r.alias, record=r.record)
        for r in rows
    ]


# -- CLOB books and prices --------------------------------------------------------------------------


def level(price: str, size: str) -> Level:
    """One level, exact, keeping the venue's text."""
    return Level(price=_req_dec(price), size=_req_dec(size), price_text=price, size_text=size)


def _levels(items: Iterable[w.OrderSummaryWire]) -> tuple[Level, ...]:
    return tuple(level(i.price, i.size) for i in items)


def book(raw: Any) -> BookSnapshot:
    """``GET /book`` body or a WS ``book`` event -> :class:`BookSnapshot` (wire order kept)."""
    b = _model(w.BookWire, raw)
    return BookSnapshot(
        market=b.market,
        asset_id=b.asset_id,
        timestamp_text=b.timestamp,
        hash=b.hash,
        bids=_levels(b.bids),
        asks=_levels(b.asks),
        min_order_size=b.min_order_size,
        tick_size=b.tick_size,
        neg_risk=b.neg_risk,
        last_trade_price=b.last_trade_price,
    )


def books(raw: Any) -> list[BookSnapshot]:
    """``POST /books`` -> one snapshot per requested token."""
    if not isinstance(raw, list):
        raise WireError("expected a JSON array of books")
    return [book(item) for item in raw]


def price(raw: Any) -> Decimal:
    """``GET /price`` -> the best price for that side."""
    return _req_dec(_model(w.PriceWire, raw).price)


def midpoint(raw: Any) -> Decimal:
    """``GET /midpoint``: ``mid`` (live) or ``mid_price`` (docs)."""
    m = _model(w.MidpointWire, raw)
    text = m.mid if m.mid is not None else m.mid_price
    if text is None:
        raise WireError("midpoint without mid or mid_price")
    return _req_dec(text)


def spread(raw: Any) -> Decimal:
    """``GET /spread``."""
    return _req_dec(_model(w.SpreadWire, raw).spread)


def tick_size(raw: Any) -> Decimal:
    """``GET /tick-size`` -> the minimum tick, exact."""
    return _req_dec(_model(w.TickSizeWire, raw).minimum_tick_size)


def neg_risk(raw: Any) -> bool:
    """``GET /neg-risk``."""
    return _model(w.NegRiskWire, raw).neg_risk


def last_trade_price(raw: Any) -> Decimal:
    """``GET /last-trade-price``."""
    return _req_dec(_model(w.LastTradePriceRestWire, raw).price)


def version(raw: Any) -> int:
    """``GET /version``."""
    return _model(w.VersionWire, raw).version


def server_time(raw: Any) -> int:
    """``GET /time``: Unix seconds, as a bare number (or ``{"time": n}``)."""
    if isinstance(raw, dict):
        raw = raw.get("time", raw.get("timestamp"))
    if isinstance(raw, int) and not isinstance(raw, bool):
        return raw
    if isinstance(raw, str | Decimal):
        value = _int(str(raw))
        if value is not None:
            return value
    raise WireError(f"bad server time {raw!r}")


# -- market channel ------------------------------------------------------------------------------------


def _price_change(raw: Any) -> PriceChangeEvent:
    pc = _model(w.PriceChangeWire, raw)
    changes: list[LevelChange] = [
        LevelChange(
            asset_id=i.asset_id,
            side=_req_side(i.side),
            level=level(i.price, i.size),
            hash=i.hash or None,
            best_bid=_dec(i.best_bid),
            best_ask=_dec(i.best_ask),
        )
        for i in pc.price_changes
    ]
    if pc.changes and pc.asset_id:  # legacy (pre-2025-09-15): one asset, hash at the top level
        last = len(pc.changes) - 1
        changes.extend(
            LevelChange(
                asset_id=pc.asset_id,
                side=_req_side(c.side),
                level=level(c.price, c.size),
                hash=pc.hash if n == last else None,
                best_bid=None,
                best_ask=None,
            )
            for n, c in enumerate(pc.changes)
        )
    return PriceChangeEvent(market=pc.market, timestamp_text=pc.timestamp, changes=tuple(changes))


def _last_trade(raw: Any) -> LastTradePriceEvent:
    t = _model(w.LastTradePriceWire, raw)
    return LastTradePriceEvent(
        market=t.market,
        asset_id=t.asset_id,
        price=_req_dec(t.price),
        price_text=t.price,
        size=_dec(t.size),
        side=_side(t.side),
        fee_rate_bps=_dec(t.fee_rate_bps),
        timestamp_text=t.timestamp,
        transaction_hash=t.transaction_hash or None,
    )


def _tick_change(raw: Any) -> TickSizeChangeEvent:
    t = _model(w.TickSizeChangeWire, raw)
    return TickSizeChangeEvent(
        market=t.market,
        asset_id=t.asset_id,
        old_tick_size=t.old_tick_size,
        new_tick_size=t.new_tick_size,
        timestamp_text=t.timestamp,
    )


def _best_bid_ask(raw: Any) -> BestBidAskEvent:
    b = _model(w.BestBidAskWire, raw)
    return BestBidAskEvent(
        market=b.market,
        asset_id=b.asset_id,
        best_bid=_dec(b.best_bid),
        best_ask=_dec(b.best_ask),
        timestamp_text=b.timestamp,
    )


def _resolved(raw: Any) -> MarketResolvedEvent:
    r = _model(w.MarketResolvedWire, raw)
    return MarketResolvedEvent(
        market=r.market,
        asset_ids=tuple(r.assets_ids),
        winning_asset_id=r.winning_asset_id,
        winning_outcome=r.winning_outcome,
        timestamp_text=r.timestamp,
    )


def _book_event(raw: Any) -> BookEvent:
    return BookEvent(book(raw))


_MARKET_PARSERS: dict[str, Callable[[Any], MarketEvent]] = {
    "book": _book_event,
    "price_change": _price_change,
    "last_trade_price": _last_trade,
    "tick_size_change": _tick_change,
    "best_bid_ask": _best_bid_ask,
    "market_resolved": _resolved,
}


def market_message(raw: Any) -> MarketEvent | None:
    """One decoded market-channel object -> event; ``None`` for event types we do not use (``new_market``)."""
    if not isinstance(raw, dict):
        raise WireError("market message is not an object")
    event_type = raw.get("event_type")
    if event_type is None and "bids" in raw and "asks" in raw:
        event_type = "book"
    parser = _MARKET_PARSERS.get(str(event_type))
    return parser(raw) if parser is not None else None


# Field readers shared with :mod:`markets.polymarket.market_frames`, the fast decoder of the same messages.
number = _req_dec
optional_number = _dec
side = _req_side
optional_side = _side


def market_frame(text: str) -> list[MarketEvent]:
    """A market-channel text frame (an object or an array of objects) -> events, in order.

    ``PONG`` is not a frame for this function; the caller filters it first.
    """
    decoded = loads(text)
    items = decoded if isinstance(decoded, list) else [decoded]
    return [e for e in (market_message(item) for item in items) if e is not None]


# -- orders, trades, user channel -----------------------------------------------------------------


def order(raw: Any) -> OrderUpdate:
    """REST ``OpenOrder`` or user-channel ``order`` event -> :class:`OrderUpdate`."""
    o = _model(w.OrderWire, raw)
    return OrderUpdate(
        order_id=o.id,
        owner=o.owner or (o.order_owner or ""),
        market=o.market,
        asset_id=o.asset_id,
        side=_req_side(o.side),
        price=_req_dec(o.price),
        original_size=_req_dec(o.original_size),
        size_matched=_req_dec(o.size_matched),
        status=normalise_status(o.status),
        outcome=o.outcome,
        order_type=o.order_type,
        event=o.type if o.event_type == "order" or o.type in ("PLACEMENT", "UPDATE", "CANCELLATION") else None,
        maker_address=o.maker_address,
        created_at=_int(o.created_at),
        expiration=_int(o.expiration),
        associate_trades=tuple(o.associate_trades or ()),
        timestamp_ms=_int(o.timestamp),
    )


def _maker_fill(m: w.MakerOrderWire) -> MakerFill:
    return MakerFill(
        order_id=m.order_id,
        owner=m.owner,
        maker_address=m.maker_address,
        matched_amount=_req_dec(m.matched_amount),
        price=_req_dec(m.price),
        asset_id=m.asset_id,
        side=_side(m.side),
        outcome=m.outcome,
        fee_rate_bps=_dec(m.fee_rate_bps),
    )


def trade(raw: Any) -> TradeUpdate:
    """REST trade row or user-channel ``trade`` event -> :class:`TradeUpdate`."""
    t = _model(w.TradeWire, raw)
    return TradeUpdate(
        trade_id=t.id,
        taker_order_id=t.taker_order_id,
        market=t.market,
        asset_id=t.asset_id,
        side=_req_side(t.side),
        size=_req_dec(t.size),
        price=_req_dec(t.price),
        status=normalise_status(t.status),
        trader_side=t.trader_side,
        owner=t.owner or t.trade_owner,
        fee_rate_bps=_dec(t.fee_rate_bps),
        outcome=t.outcome,
        maker_address=t.maker_address,
        transaction_hash=t.transaction_hash or None,
        match_time=_int(t.match_time),
        last_update=_int(t.last_update),
        maker_orders=tuple(_maker_fill(m) for m in t.maker_orders),
        timestamp_ms=_int(t.timestamp),
    )


def user_message(raw: Any) -> UserEvent | None:
    """One user-channel object -> :class:`OrderUpdate` / :class:`TradeUpdate`; ``None`` for other types."""
    if not isinstance(raw, dict):
        raise WireError("user message is not an object")
    event_type = raw.get("event_type")
    if event_type == "order":
        return order(raw)
    if event_type == "trade":
        return trade(raw)
    return None


def user_frame(text: str) -> list[UserEvent]:
    """A user-channel text frame (object or array) -> events, in order."""
    decoded = loads(text)
    items = decoded if isinstance(decoded, list) else [decoded]
    return [e for e in (user_message(item) for item in items) if e is not None]


def post_order(raw: Any) -> PostOrderResult:
    """``POST /order`` (or one ``POST /orders`` item) -> :class:`PostOrderResult`."""
    r = _model(w.PostOrderResponseWire, raw)
    return PostOrderResult(
        success=r.success and not r.error_msg,
        order_id=r.order_id,
        status=r.status.lower(),
        error_msg=r.error_msg,
        making_amount=_dec(r.making_amount),
        taking_amount=_dec(r.taking_amount),
        trade_ids=tuple(r.trade_ids or ()),
        transaction_hashes=tuple(r.transactions_hashes or ()),
    )


def cancel(raw: Any) -> CancelResult:
    """Any cancel endpoint's answer -> :class:`CancelResult`."""
    r = _model(w.CancelResponseWire, raw)
    return CancelResult(
        canceled=tuple(r.canceled or ()),
        not_canceled={k: str(v) for k, v in (r.not_canceled or {}).items()},
    )


def page(raw: Any) -> tuple[list[dict[str, Any]], str | None]:
    """A ``/data/*`` page -> (rows, next cursor or ``None`` at the end ``LTE=``)."""
    p = _model(w.PagedWire, raw)
    cursor = p.next_cursor if p.next_cursor not in (None, "", "LTE=") else None
    return p.data, cursor


def api_credentials(raw: Any) -> ApiCredentials:
    """``POST /auth/api-key`` / ``GET /auth/derive-api-key`` -> :class:`ApiCredentials`."""
    k = _model(w.ApiKeyWire, raw)
    return ApiCredentials(api_key=k.api_key, secret=SecretStr(k.secret), passphrase=SecretStr(k.passphrase))


def geoblock(raw: Any) -> GeoblockAnswer:
    """``GET /api/geoblock`` -> :class:`GeoblockAnswer`."""
    g = _model(w.GeoblockWire, raw)
    return GeoblockAnswer(blocked=g.blocked, country=g.country.upper(), region=g.region.upper(), ip=g.ip)


FIXED_POINT_UNIT = Decimal(1_000_000)


def balance_allowance(raw: Any) -> Decimal:
    """``GET /balance-allowance`` -> the balance, exact (the wire counts 6-decimal fixed-point units)."""
    units = _req_dec(_model(w.BalanceAllowanceWire, raw).balance)
    return units / FIXED_POINT_UNIT


def closed_only(raw: Any) -> bool:
    """``GET /auth/ban-status/closed-only`` -> True when the account may only reduce positions."""
    return _model(w.ClosedOnlyWire, raw).closed_only


def error(raw: Any) -> w.ErrorWire:
    """An error body (``{"error": ...}``); anything else becomes ``ErrorWire(error=<raw>)``."""
    if isinstance(raw, dict):
        try:
            return w.ErrorWire.model_validate(raw)
        except ValidationError:
            pass
    return w.ErrorWire(error=raw)
