"""Market-channel frames decoded fast: orjson and plain type checks, with the exact parser behind them.

The price shard decodes tens of thousands of frames a second, so the common shapes (``book``,
``price_change`` in the current format, ``last_trade_price``) are read with :mod:`orjson` into the
domain types of :mod:`markets.polymarket.types` directly, without building the pydantic wire models.
Anything else — another event type, the legacy ``price_change``, a number where the venue normally
sends a string, JSON orjson refuses (``NaN``, integers beyond 64 bits) — goes through the exact path
(:func:`markets.polymarket.parsing.market_message` over :func:`~markets.polymarket.parsing.loads`,
which keeps JSON numbers as ``Decimal``), so both paths give the same events and refuse the same input.

One malformed message does not cost the frame: :func:`decode_market_frame` returns the events of the
well-formed messages and one :class:`~markets.polymarket.parsing.WireError` per malformed one.

References
----------
https://docs.polymarket.com/market-data/websocket/market-channel ; venues.md §2.7.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import accumulate
from typing import Any

import orjson

from markets.polymarket import parsing
from markets.polymarket.parsing import WireError
from markets.polymarket.types import (
    BookEvent,
    BookSnapshot,
    LastTradePriceEvent,
    Level,
    LevelChange,
    MarketEvent,
    PriceChangeEvent,
    Side,
)


@dataclass(slots=True)
class DecodedFrame:
    """The events of one frame, in order, and the errors of the messages that were dropped."""

    events: list[MarketEvent] = field(default_factory=list)
    errors: list[WireError] = field(default_factory=list)


MAX_NESTING = 1024  # orjson's own limit: deeper frames are refused without the stdlib parser
_STRINGS = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_NOT_BRACKETS = re.compile(r"[^\[\]{}]+")
_DEPTH_STEP = {"[": 1, "{": 1, "]": -1, "}": -1}


class _Unusual(Exception):
    """The message is not in the plain shape: decode it on the exact path instead."""


def decode_market_frame(text: str | bytes) -> DecodedFrame:
    """A market-channel frame (an object or an array of objects) -> events and per-message errors.

    Never raises for venue input: a frame that is not JSON yields one error and no event; a message
    that does not fit its schema yields an error and is skipped; event types we do not use
    (``new_market``) yield nothing.
    """
    out = DecodedFrame()
    try:
        decoded = orjson.loads(text)
    except orjson.JSONDecodeError:
        return _exact_frame(text, out)
    items = decoded if type(decoded) is list else [decoded]
    exact: list[Any] | None = None
    for index, item in enumerate(items):
        try:
            event = _fast_message(item)
        except _Unusual:
            if exact is None:
                try:
                    exact = _exact_items(text)
                except WireError as e:
                    out.errors.append(e)
                    return out
            event = _exact_message(exact[index], out)
        except WireError as e:
            out.errors.append(e)
            continue
        if event is not None:
            out.events.append(event)
    return out


def _exact_items(text: str | bytes) -> list[Any]:
    try:
        decoded = parsing.loads(text)
    except RecursionError:  # nesting deeper than json's stack (orjson stops at 1024 levels)
        raise WireError("JSON nested too deep") from None
    return decoded if isinstance(decoded, list) else [decoded]


def _exact_frame(text: str | bytes, out: DecodedFrame) -> DecodedFrame:
    # orjson refused the frame. The stdlib parser must not see deep nesting: it recurses on the C stack and,
    # with the recursion limit py_ecc (under eth-account) raises to 100000, overflows it and kills the process.
    if _nesting(text) > MAX_NESTING:
        out.errors.append(WireError(f"JSON nested deeper than {MAX_NESTING}"))
        return out
    try:
        items = _exact_items(text)
    except WireError as e:
        out.errors.append(e)
        return out
    for item in items:
        event = _exact_message(item, out)
        if event is not None:
            out.events.append(event)
    return out


def _nesting(text: str | bytes) -> int:
    """The deepest ``[``/``{`` nesting outside strings (an over-estimate for malformed text)."""
    plain = _STRINGS.sub("", text.decode(errors="replace") if isinstance(text, bytes) else text)
    brackets = _NOT_BRACKETS.sub("", plain)
    return max(accumulate(map(_DEPTH_STEP.__getitem__, brackets)), default=0)


def _exact_message(raw: Any, out: DecodedFrame) -> MarketEvent | None:
    try:
        return parsing.market_message(raw)
    except WireError as e:
        out.errors.append(e)
    except RecursionError:
        out.errors.append(WireError("market message nested too deep"))
    return None


def _fast_message(raw: Any) -> MarketEvent | None:
    if type(raw) is not dict:
        raise WireError("market message is not an object")
    event_type = raw.get("event_type")
    if event_type is None and "bids" in raw and "asks" in raw:
        event_type = "book"
    if type(event_type) is not str:
        raise _Unusual
    parser = _FAST.get(event_type)
    if parser is not None:
        return parser(raw)
    if event_type in _EXACT_ONLY:
        raise _Unusual
    return None


# -- plain field readers (anything else is unusual, never guessed) ---------------------------------------

_NUMBERS: dict[str, Decimal] = {}
_NUMBERS_MAX = 16_384


def _number(text: str) -> Decimal:
    """Like :func:`parsing.number` (same refusals), remembering the few thousand texts a feed repeats."""
    value = _NUMBERS.get(text)
    if value is None:
        value = parsing.number(text)
        if len(_NUMBERS) >= _NUMBERS_MAX:
            _NUMBERS.clear()
        _NUMBERS[text] = value
    return value


def _optional_number(text: str | None) -> Decimal | None:
    return None if text is None or text == "" else _number(text)


def _side(text: str) -> Side:
    if text == "BUY":
        return "BUY"
    return "SELL" if text == "SELL" else parsing.side(text)


def _str(raw: dict[str, Any], key: str, default: str = "") -> str:
    value = raw.get(key, default)
    if type(value) is not str:
        raise _Unusual
    return value


def _required(raw: dict[str, Any], key: str) -> str:
    value = raw.get(key)
    if type(value) is not str:
        raise _Unusual  # missing or not a string: the exact path decides (and words the error)
    return value


def _opt(raw: dict[str, Any], key: str) -> str | None:
    value = raw.get(key)
    if value is not None and type(value) is not str:
        raise _Unusual
    return value


def _timestamp(raw: dict[str, Any]) -> str:
    value = raw.get("timestamp", "")
    if type(value) is int:  # recorded frames carry ms as a JSON number; orjson keeps such ints exact
        return str(value)
    if type(value) is not str:
        raise _Unusual
    return value


def _level(raw: Any) -> Level:
    if type(raw) is not dict:
        raise _Unusual
    price, size = raw.get("price"), raw.get("size")
    if type(price) is not str or type(size) is not str:
        raise _Unusual
    return Level(_number(price), _number(size), price, size)


def _levels(raw: dict[str, Any], key: str) -> tuple[Level, ...]:
    items = raw.get(key, [])
    if type(items) is not list:
        raise _Unusual
    return tuple(_level(item) for item in items)


# -- messages --------------------------------------------------------------------------------------------


def _book(raw: dict[str, Any]) -> BookEvent:
    neg_risk = raw.get("neg_risk")
    if neg_risk is not None and type(neg_risk) is not bool:
        raise _Unusual
    snapshot = BookSnapshot(
        market=_required(raw, "market"),
        asset_id=_required(raw, "asset_id"),
        timestamp_text=_timestamp(raw),
        hash=_str(raw, "hash"),
        bids=_levels(raw, "bids"),
        asks=_levels(raw, "asks"),
        min_order_size=_opt(raw, "min_order_size"),
        tick_size=_opt(raw, "tick_size"),
        neg_risk=neg_risk,
        last_trade_price=_opt(raw, "last_trade_price"),
    )
    return BookEvent(snapshot)


def _price_change(raw: dict[str, Any]) -> PriceChangeEvent:
    items = raw.get("price_changes", [])
    if type(items) is not list or "changes" in raw or "asset_id" in raw or "hash" in raw:
        raise _Unusual  # legacy (pre-2025-09-15) or mixed shape
    return PriceChangeEvent(
        market=_str(raw, "market"), timestamp_text=_timestamp(raw), changes=tuple(_change(i) for i in items)
    )


def _change(item: Any) -> LevelChange:
    # The hottest function of the price shard: one call per price_change item, hence written out flat.
    if type(item) is not dict:
        raise _Unusual
    get = item.get
    asset, side, price, size = get("asset_id"), get("side"), get("price"), get("size")
    hash_, best_bid, best_ask = get("hash"), get("best_bid"), get("best_ask")
    if type(asset) is not str or type(side) is not str or type(price) is not str or type(size) is not str:
        raise _Unusual
    if hash_ is not None and type(hash_) is not str:
        raise _Unusual
    if (best_bid is not None and type(best_bid) is not str) or (best_ask is not None and type(best_ask) is not str):
        raise _Unusual
    numbers = _NUMBERS
    price_value, size_value = numbers.get(price), numbers.get(size)
    level = Level(
        _number(price) if price_value is None else price_value,
        _number(size) if size_value is None else size_value,
        price,
        size,
    )
    bid = None if not best_bid else numbers.get(best_bid) or _number(best_bid)
    ask = None if not best_ask else numbers.get(best_ask) or _number(best_ask)
    return LevelChange(asset, _side(side), level, hash_ or None, bid, ask)


def _last_trade(raw: dict[str, Any]) -> LastTradePriceEvent:
    price = _required(raw, "price")
    return LastTradePriceEvent(
        market=_str(raw, "market"),
        asset_id=_required(raw, "asset_id"),
        price=_number(price),
        price_text=price,
        size=_optional_number(_opt(raw, "size")),
        side=parsing.optional_side(_opt(raw, "side")),
        fee_rate_bps=_optional_number(_opt(raw, "fee_rate_bps")),
        timestamp_text=_timestamp(raw),
        transaction_hash=_opt(raw, "transaction_hash") or None,
    )


_FAST: dict[str, Callable[[dict[str, Any]], MarketEvent]] = {
    "book": _book,
    "price_change": _price_change,
    "last_trade_price": _last_trade,
}
_EXACT_ONLY = frozenset(("tick_size_change", "best_bid_ask", "market_resolved"))
