"""Order request bodies the Kalshi simulator accepts, validated into :class:`OrderSpec`.

V2 (``POST /portfolio/events/orders``): ``side`` ``bid``/``ask`` on the YES leg, ``count`` and
``price`` as fixed-point strings (a JSON number is refused, as a float must never carry money).
Legacy (``POST /portfolio/orders``): ``side`` ``yes``/``no`` + ``action`` ``buy``/``sell``, integer
``count`` and/or ``count_fp``, and exactly one price as cents (``yes_price``/``no_price``) or dollars
(``yes_price_dollars``/``no_price_dollars``). Both take an optional ``exchange_index`` (the market's shard;
omitted or ``-1``: routed by ticker). Errors are :class:`ExchangeError` in Kalshi's codes,
including the real Nov-2025 demo answers for ``sell_position_floor`` and ``reduce_only``.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from markets.sim.kalshi.accounts import BookSide
from markets.sim.kalshi.exchange import ExchangeError, OrderSpec
from shared.prices import ONE, PriceError, to_decimal

_TIF_ALIASES = {"FOK": "fill_or_kill", "GTC": "good_till_canceled", "IOC": "immediate_or_cancel"}


class _Body(BaseModel):
    model_config = ConfigDict(extra="ignore")


class CreateOrderV2(_Body):
    """``CreateOrderV2Request``."""

    ticker: str = Field(min_length=1)
    client_order_id: str
    side: Literal["bid", "ask"]
    count: str
    price: str
    time_in_force: Literal["fill_or_kill", "good_till_canceled", "immediate_or_cancel"]
    self_trade_prevention_type: Literal["taker_at_cross", "maker"]
    expiration_time: int | None = None
    post_only: bool = False
    reduce_only: bool = False
    cancel_order_on_pause: bool = False
    subaccount: int = 0
    order_group_id: str | None = None
    exchange_index: int | None = None


class CreateOrderLegacy(_Body):
    """Legacy ``CreateOrderRequest``."""

    ticker: str = Field(min_length=1)
    side: Literal["yes", "no"]
    action: Literal["buy", "sell"]
    count: int | None = None
    count_fp: str | None = None
    yes_price: int | None = None
    no_price: int | None = None
    yes_price_dollars: str | None = None
    no_price_dollars: str | None = None
    client_order_id: str = ""
    expiration_ts: int | None = None
    time_in_force: str | None = None
    type: str | None = None
    buy_max_cost: int | None = None
    post_only: bool = False
    reduce_only: bool = False
    sell_position_floor: int | None = None
    self_trade_prevention_type: str | None = None
    exchange_index: int | None = None


def _invalid(details: str) -> ExchangeError:
    return ExchangeError(400, "invalid_order", "invalid order", details)


def _decimal(raw: str, what: str, places: int) -> Decimal:
    try:
        value = to_decimal(raw)
    except PriceError:
        raise _invalid(f"{what} must be a decimal string") from None
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and -exponent > places:
        raise _invalid(f"{what} has more than {places} decimal places")
    return value


def parse_body(model: type[_Body], body: Any) -> Any:
    """Validate a JSON body; a mismatch is 400 ``bad_request``."""
    try:
        return model.model_validate(body)
    except ValidationError as e:
        raise ExchangeError(400, "bad_request", "bad request", e.errors()[0].get("msg", "")) from None


def v2_spec(body: CreateOrderV2) -> OrderSpec:
    """The exchange order for a V2 request."""
    return OrderSpec(
        ticker=body.ticker,
        side=body.side,
        price=_decimal(body.price, "price", 6),
        count=_decimal(body.count, "count", 2),
        client_order_id=body.client_order_id,
        time_in_force=body.time_in_force,
        self_trade_prevention=body.self_trade_prevention_type,
        post_only=body.post_only,
        reduce_only=body.reduce_only,
        expiration_ts=body.expiration_time,
        exchange_index=body.exchange_index,
    )


def _legacy_count(body: CreateOrderLegacy) -> Decimal:
    fixed = None if body.count_fp is None else _decimal(body.count_fp, "count_fp", 2)
    if body.count is not None and fixed is not None and Decimal(body.count) != fixed:
        raise _invalid("count and count_fp must match")
    count = fixed if fixed is not None else (Decimal(body.count) if body.count is not None else None)
    if count is None:
        raise _invalid("count or count_fp is required")
    return count


def _legacy_leg_price(body: CreateOrderLegacy) -> tuple[Literal["yes", "no"], Decimal]:
    forms: list[tuple[Literal["yes", "no"], Decimal]] = []
    legs: tuple[tuple[Literal["yes", "no"], int | None, str | None], ...] = (
        ("yes", body.yes_price, body.yes_price_dollars),
        ("no", body.no_price, body.no_price_dollars),
    )
    for leg, cents, fixed in legs:
        values: set[Decimal] = set()
        if cents is not None:
            values.add(Decimal(cents) / 100)
        if fixed is not None:
            values.add(_decimal(fixed, f"{leg}_price_dollars", 6))
        if len(values) > 1:
            raise _invalid(f"{leg}_price and {leg}_price_dollars must match")
        if values:
            forms.append((leg, values.pop()))
    if len(forms) != 1:
        raise _invalid("exactly one of yes_price, no_price (or their _dollars forms) is required")
    return forms[0]


def legacy_spec(body: CreateOrderLegacy) -> OrderSpec:
    """The exchange order for a legacy request: buy YES ≡ sell NO → bid; buy NO ≡ sell YES → ask."""
    if body.sell_position_floor:
        raise _invalid("sell_position_floor must be 0 if provided, use reduce_only instead")
    tif = body.time_in_force or ("fill_or_kill" if body.buy_max_cost is not None else "good_till_canceled")
    tif = _TIF_ALIASES.get(tif, tif)
    if body.reduce_only and tif != "immediate_or_cancel":
        raise _invalid("reduce_only can only be used with IoC orders")
    leg, leg_price = _legacy_leg_price(body)
    yes_price = leg_price if leg == "yes" else ONE - leg_price
    side: BookSide = "bid" if (body.side == "yes") == (body.action == "buy") else "ask"
    return OrderSpec(
        ticker=body.ticker,
        side=side,
        price=yes_price,
        count=_legacy_count(body),
        client_order_id=body.client_order_id,
        time_in_force=tif,
        self_trade_prevention=body.self_trade_prevention_type or "taker_at_cross",
        post_only=body.post_only,
        reduce_only=body.reduce_only,
        expiration_ts=body.expiration_ts,
        legacy_side=body.side,
        legacy_action=body.action,
        exchange_index=body.exchange_index,
    )
