"""Pre-send checks of a Polymarket order: every refusal here is decided before anything is sent.

Each check returns ``None`` when the order passes or a :class:`~markets.base.Rejected` with
``sent=False``, a clear reason and a stable ``code``:

========================  ===============================================================
code                      when
========================  ===============================================================
``invalid_type``          a ``float`` (or anything but ``Decimal``) as price, size, tick
``invalid_order``         bad side / time in force, size <= 0, post-only with FOK/FAK,
                          GTD without a future ``expires_at``
``unknown_market``        no book for the token, or the token is not in ``market_id``
``market_closed``         the market is closed or not accepting orders
``off_tick``              price not on the market's tick (or the caller's), or outside
                          ``[tick, 1 - tick]``
``below_min_size``        size under the market's minimum, or not a multiple of 0.01
``insufficient_balance``  not enough pUSD (buy) or shares (sell) beyond what our open
                          orders already commit
========================  ===============================================================

References
----------
venues.md §2.5 (tick/size rules, GTD 60 s security buffer, post-only only with GTC/GTD).
"""

from __future__ import annotations

import math
from datetime import datetime
from decimal import Decimal
from typing import Any, Literal

from markets.base import OrderRequest, Rejected, TimeInForce
from markets.polymarket.amounts import AMOUNT_DECIMALS, SIZE_STEP
from markets.polymarket.execution.markets import MarketInfo
from shared.fees import PolymarketFeeSchedule, polymarket_fee
from shared.prices import ONE, is_on_tick

GTD_SECURITY_BUFFER_S = 60
# A GTD order needs at least 3 minutes of life beyond the venue's 60 s security buffer: its ``expiration`` must
# be at least now + 60 + 180 (the SDKs require 3-minute GTD expirations since 2026-07). We keep a few seconds
# more for latency and clock skew.
GTD_MIN_LIFE_S = 180
GTD_MARGIN_S = 5
ORDER_TYPES: dict[TimeInForce, Literal["GTC", "GTD", "FOK", "FAK"]] = {
    "gtc": "GTC",
    "gtd": "GTD",
    "fok": "FOK",
    "ioc": "FAK",
}
TIME_IN_FORCE: dict[str, TimeInForce] = {v: k for k, v in ORDER_TYPES.items()}


def refuse(request: OrderRequest, reason: str, code: str) -> Rejected:
    """A refusal decided before sending."""
    return Rejected(reason, code=code, client_order_id=request.client_order_id, sent=False)


def _not_decimal(name: str, value: Any) -> str | None:
    if isinstance(value, Decimal) and value.is_finite():
        return None
    return f"{name} must be a finite Decimal, not {type(value).__name__} {value!r} (floats are never sent)"


def request_from_args(
    client_order_id: str,
    token_id: str,
    side: str,
    price: Any,
    size: Any,
    order_type: str,
    expires_at: datetime | None,
    post_only: bool,
) -> OrderRequest | Rejected:
    """The request ``place_limit_order`` stands for (``market_id`` left to the token), or why not."""
    for name, value in (("price", price), ("size", size)):
        if not isinstance(value, Decimal):
            reason = f"{name} must be a Decimal, not {type(value).__name__} {value!r} (floats are never sent)"
            return Rejected(reason, code="invalid_type", client_order_id=client_order_id, sent=False)
    tif = TIME_IN_FORCE.get(order_type.upper())
    lowered = side.lower()
    if tif is None or lowered not in ("buy", "sell"):
        reason = f"unsupported side {side!r} or order type {order_type!r} (buy/sell; GTC, GTD, FOK, FAK)"
        return Rejected(reason, code="invalid_order", client_order_id=client_order_id, sent=False)
    return OrderRequest(
        client_order_id=client_order_id, market_id="", outcome_id=token_id,
        side="buy" if lowered == "buy" else "sell", limit_price=price, quantity=size, time_in_force=tif,
        expires_at=expires_at, post_only=post_only,
    )  # fmt: skip


def check_shape(request: OrderRequest, now: datetime) -> Rejected | None:
    """Types, side, time in force, size sign, post-only and GTD expiry."""
    fields = {"limit_price": request.limit_price, "quantity": request.quantity}
    fields |= {k: v for k, v in (("tick_size", request.tick_size), ("min_size", request.min_size)) if v is not None}
    for name, value in fields.items():
        problem = _not_decimal(name, value)
        if problem is not None:
            return refuse(request, problem, "invalid_type")
    if request.side not in ("buy", "sell"):
        return refuse(request, f"side must be 'buy' or 'sell', not {request.side!r}", "invalid_order")
    if request.time_in_force not in ORDER_TYPES:
        return refuse(request, f"unsupported time in force {request.time_in_force!r}", "invalid_order")
    if request.quantity <= 0:
        return refuse(request, f"size {request.quantity} must be positive", "invalid_order")
    if request.post_only and request.time_in_force not in ("gtc", "gtd"):
        return refuse(request, "post-only orders must be GTC or GTD", "invalid_order")
    if request.time_in_force == "gtd":
        expires = request.expires_at
        if expires is None or expires.tzinfo is None or expires <= now:
            return refuse(request, "a GTD order needs a timezone-aware expires_at in the future", "invalid_order")
        shortest = GTD_MIN_LIFE_S + GTD_MARGIN_S
        if (expires - now).total_seconds() < shortest:
            reason = (
                f"a GTD order must live at least {shortest} s (the venue wants {GTD_MIN_LIFE_S} s of life beyond "
                f"its {GTD_SECURITY_BUFFER_S} s security buffer); this one lives "
                f"{(expires - now).total_seconds():.0f} s"
            )
            return refuse(request, reason, "invalid_expiration")
    elif request.expires_at is not None:
        return refuse(request, "expires_at is only for GTD orders", "invalid_order")
    return None


def check_market(request: OrderRequest, info: MarketInfo) -> Rejected | None:
    """Market identity and eligibility, tick, price range, size step and minimum size."""
    if request.market_id and request.market_id != info.condition_id:
        reason = f"unknown market {request.market_id}: token {request.outcome_id} trades in {info.condition_id}"
        return refuse(request, reason, "unknown_market")
    if not info.tradable:
        return refuse(request, info.why_not, "market_closed")
    price, tick = request.limit_price, info.tick
    if tick not in AMOUNT_DECIMALS:
        return refuse(request, f"the market's tick size {tick} is not supported", "off_tick")
    for grid in (tick, request.tick_size):
        if grid is not None and not is_on_tick(price, grid):
            return refuse(request, f"price {price} is not on the tick size {grid}", "off_tick")
    if not tick <= price <= ONE - tick:
        return refuse(request, f"price {price} is outside [{tick}, {ONE - tick}] for tick size {tick}", "off_tick")
    size = request.quantity
    if not is_on_tick(size, SIZE_STEP):
        return refuse(request, f"size {size} is not a multiple of {SIZE_STEP} shares", "below_min_size")
    minimum = max(info.min_size, request.min_size or Decimal(0))
    if size < minimum:
        return refuse(request, f"size {size} is below the market's minimum order size {minimum}", "below_min_size")
    return None


def order_cost(request: OrderRequest, fee: PolymarketFeeSchedule | None) -> Decimal:
    """pUSD a BUY can consume (price x size plus the taker fee at the limit); shares for a SELL."""
    if request.side == "sell":
        return request.quantity
    taker_fee = polymarket_fee(request.limit_price, request.quantity, fee) if fee is not None else Decimal(0)
    return request.limit_price * request.quantity + taker_fee


def check_funds(
    request: OrderRequest, held: Decimal, committed: Decimal, fee: PolymarketFeeSchedule | None
) -> Rejected | None:
    """Enough pUSD (buy) or shares (sell) beyond what our open orders already commit.

    Parameters
    ----------
    held
        The venue's balance: pUSD for a buy, shares of the token for a sell.
    committed
        What our open orders can still consume of the same asset.
    """
    need = order_cost(request, fee)
    available = held - committed
    if need <= available:
        return None
    unit = "pUSD" if request.side == "buy" else "shares"
    reason = (
        f"insufficient balance: the order needs {need} {unit}, {available} available "
        f"(balance {held}, committed to open orders {committed})"
    )
    return refuse(request, reason, "insufficient_balance")


def gtd_expiration(expires_at: datetime) -> int:
    """The wire ``expiration`` (Unix s) for an order meant to live until ``expires_at``.

    The venue's 60 s security buffer is added: it expires a GTD order 60 s before its ``expiration``.
    """
    return math.ceil(expires_at.timestamp()) + GTD_SECURITY_BUFFER_S
