"""The venue's order rules, checked before a paper order is matched, exactly as the real engines check them.

Each refusal is a :class:`markets.base.Rejected` with ``sent=False`` and a reason naming the rule:

- quantity positive and on the 0.01 grid (Kalshi fractional contracts; Polymarket sizes have 2 dp);
- price on the tick and within ``[tick, 1 - tick]`` (the request's own ``tick_size`` too, when given);
- quantity at or above the market's minimum (``BookSnapshot.min_size``; the request's ``min_size`` too);
- ``gtd`` needs a future ``expires_at``; ``post_only`` only rests (``gtc``/``gtd``);
- the book exists (``snapshot`` is not ``None``) and is not older than the staleness limit.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from markets.base import OrderRequest, Rejected
from markets.paper.books import BookSnapshot
from shared.prices import ONE, ZERO, is_on_tick

QUANTITY_STEP = Decimal("0.01")


def _no(request: OrderRequest, reason: str, code: str) -> Rejected:
    return Rejected(reason, code=code, client_order_id=request.client_order_id, sent=False)


def check_request(request: OrderRequest, now: datetime) -> Rejected | None:
    """Rules that need no book: quantity shape, price range, time in force."""
    if request.quantity <= 0:
        return _no(request, f"quantity must be positive, was {request.quantity}", "invalid_quantity")
    if not is_on_tick(request.quantity, QUANTITY_STEP):
        return _no(request, f"quantity {request.quantity} is not a multiple of {QUANTITY_STEP}", "invalid_quantity")
    if not ZERO < request.limit_price < ONE:
        return _no(request, f"price {request.limit_price} is outside (0, 1)", "invalid_price")
    if request.tick_size is not None and not is_on_tick(request.limit_price, request.tick_size):
        return _no(request, f"price {request.limit_price} is off the tick {request.tick_size}", "invalid_price")
    if request.min_size is not None and request.quantity < request.min_size:
        return _no(request, f"size {request.quantity} is below the minimum {request.min_size}", "below_min_size")
    if request.time_in_force == "gtd" and (request.expires_at is None or request.expires_at <= now):
        return _no(request, "invalid expiration: a gtd order needs expires_at in the future", "invalid_expiration")
    if request.post_only and request.time_in_force not in ("gtc", "gtd"):
        return _no(request, "post_only is only allowed with gtc or gtd", "invalid_order")
    return None


def check_book(
    request: OrderRequest, book: BookSnapshot | None, now: datetime, max_age: timedelta
) -> tuple[BookSnapshot, None] | tuple[None, Rejected]:
    """Rules against the market's book: it exists, is fresh, and the price and size fit it."""
    if book is None:
        reason = f"unknown market: no book for {request.market_id}/{request.outcome_id}"
        return None, _no(request, reason, "unknown_market")
    age = now - book.ts
    if age > max_age:
        reason = f"stale book: {age.total_seconds():.1f}s old (limit {max_age.total_seconds():.1f}s); not trading on it"
        return None, _no(request, reason, "stale_book")
    tick = book.tick_size
    if not is_on_tick(request.limit_price, tick):
        return None, _no(request, f"price {request.limit_price} breaks the minimum tick size {tick}", "invalid_price")
    if not tick <= request.limit_price <= ONE - tick:
        return None, _no(request, f"price {request.limit_price} is outside [{tick}, {ONE - tick}]", "invalid_price")
    if request.quantity < book.min_size:
        reason = f"size {request.quantity} is below the market's minimum size {book.min_size}"
        return None, _no(request, reason, "below_min_size")
    return book, None
