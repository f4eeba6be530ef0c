"""The last steps of a Polymarket submit: sign, check funds, journal, post once, classify the answer.

Called once the order's shape and market rules have passed (:mod:`markets.polymarket.execution.checks`).
The V2 order is signed in a worker thread while the balance is read; the order is journalled with its
expected hash *before* it is posted; it is posted exactly once. The answer is classified:

==========================================================  ====================================
answer                                                      result
==========================================================  ====================================
200 ``live`` / ``matched`` / ``delayed`` / ``unmatched``    ``Accepted`` (fills read at once
                                                            after a match)
400/404 or ``success: false``                               ``Rejected(sent=True)`` venue_rejected
425 / 429 / 503 with the venue's JSON (nothing accepted)    ``Rejected(sent=True)`` venue_busy
401                                                         ``Rejected(sent=True)`` auth_or_clock
403 region / Cloudflare page (the gate trips)               ``Rejected(sent=True)`` geoblocked
timeout, transport error, status-less error, other 5xx,     ``Unknown(venue_order_id=hash)``
an unreadable 200, anything unexpected after the send
==========================================================  ====================================

References
----------
reliability.md B2 (py-clob-client #261/#273, nautilus ``_handle_unknown_submit_result``), R01, R02, R22, R23.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import replace
from decimal import Decimal

from markets.base import Accepted, OrderRequest, OrderResult, Rejected, Unknown
from markets.journal import OrderJournal
from markets.polymarket.execution.checks import ORDER_TYPES, check_funds, gtd_expiration, order_cost, refuse
from markets.polymarket.execution.markets import MarketInfo
from markets.polymarket.execution.tracker import OrderTracker, TrackedOrder, Update
from markets.polymarket.trading import ClobTrader, SignedOrder
from markets.polymarket.types import Side
from shared.errors import Ambiguous, AuthOrClock, Geoblocked, Retryable, VenueError
from shared.errors import Rejected as VenueRejected
from shared.fees import PolymarketFeeSchedule
from shared.orders.state import OrderStatus
from shared.prices import PriceError

log = logging.getLogger(__name__)
VENUE = "polymarket"
_DEFINITIVE: tuple[tuple[type[VenueError], str], ...] = (
    (Geoblocked, "geoblocked"),
    (AuthOrClock, "auth_or_clock"),
    (Retryable, "venue_busy"),
    (VenueRejected, "venue_rejected"),
)

Publish = Callable[[Sequence[Update]], Awaitable[None]]
Refresh = Callable[[Sequence[TrackedOrder]], Awaitable[None]]
FeeLookup = Callable[[str], PolymarketFeeSchedule | None]


def result_of(order: TrackedOrder) -> OrderResult:
    """The submit result an order's current state stands for."""
    coid = order.client_order_id
    if order.status is OrderStatus.REJECTED:
        return Rejected(order.reason or "refused by the venue", code="venue_rejected", client_order_id=coid, sent=True)
    if order.status in (OrderStatus.UNKNOWN, OrderStatus.SUBMITTED):
        reason = order.reason or "submit outcome not known yet"
        return Unknown(reason, client_order_id=coid, venue_order_id=order.order_id)
    return Accepted(order.report())


def classify(error: BaseException) -> str | None:
    """The refusal code of a definitive post failure; ``None`` when the order may exist (ambiguous)."""
    if isinstance(error, Ambiguous):
        return None
    return next((code for cls, code in _DEFINITIVE if isinstance(error, cls)), None)


class Submitter:
    """Signs, funds-checks, journals and posts orders for one engine."""

    def __init__(
        self,
        trader: ClobTrader,
        tracker: OrderTracker,
        journal: OrderJournal,
        publish: Publish,
        refresh: Refresh,
        fees: FeeLookup,
        on_new_order: Callable[[], None],
    ) -> None:
        self._trader = trader
        self._tracker = tracker
        self._journal = journal
        self._publish = publish
        self._refresh = refresh
        self._fees = fees
        self._on_new_order = on_new_order

    async def place(self, request: OrderRequest, info: MarketInfo) -> OrderResult:
        """Sign and check funds (refusals not sent), then journal and post once; see the module docstring."""
        signed = await self._sign_and_check_funds(request, info)
        if isinstance(signed, Rejected):
            return signed
        return await self._post(request, signed)

    async def _sign_and_check_funds(self, request: OrderRequest, info: MarketInfo) -> SignedOrder | Rejected:
        expiration = gtd_expiration(request.expires_at) if request.expires_at is not None else 0
        side: Side = "BUY" if request.side == "buy" else "SELL"
        try:  # on the loop: our signer takes ~50 us, less than a hop to a worker thread
            signed = self._trader.sign_limit_order(
                request.outcome_id, side, request.limit_price, request.quantity,
                tick_size=info.tick, neg_risk=info.neg_risk, expiration=expiration,
                order_type=ORDER_TYPES[request.time_in_force],
            )  # fmt: skip
        except PriceError as e:
            return refuse(request, str(e), "off_tick")
        try:
            held = await self._trader.balance(None if request.side == "buy" else request.outcome_id)
        except VenueError as e:
            return refuse(request, f"balance unavailable: {e}", "balance_unavailable")
        return check_funds(request, held, self.committed(request), info.fee) or signed

    def committed(self, request: OrderRequest) -> Decimal:
        """What our open orders can still consume of the asset ``request`` needs (pUSD, or the token's shares).

        Unresolved submits count: they may rest.
        """
        total = Decimal(0)
        for order in self._tracker.open_orders():
            r = order.request
            left = replace(r, quantity=max(r.quantity - order.filled, Decimal(0)))
            if request.side == "buy" and r.side == "buy":
                total += order_cost(left, self._fees(r.outcome_id))
            elif request.side == "sell" and r.side == "sell" and r.outcome_id == request.outcome_id:
                total += left.quantity
        return total

    async def _post(self, request: OrderRequest, signed: SignedOrder) -> OrderResult:
        entry = await self._journal.record(VENUE, request, venue_order_id=signed.order_id)
        if entry.venue_order_id != signed.order_id:  # journalled before by a run that never sent it
            await self._journal.mark(request.client_order_id, "pending", venue_order_id=signed.order_id)
        order = self._tracker.add(request, signed.order_id)
        self._on_new_order()
        try:
            answer = await self._trader.post_order(
                signed,
                order_type=ORDER_TYPES[request.time_in_force],
                post_only=request.post_only,
                reduces=request.side == "sell",
            )
        except Exception as e:  # noqa: BLE001 - every failure after the send is classified; none re-posts
            return await self._failed(order, e)
        await self._publish(self._tracker.on_posted(order, answer))
        if answer.status == "matched" or answer.trade_ids:
            with contextlib.suppress(VenueError):
                await self._refresh([order])  # read the fills now rather than waiting for the socket
        return result_of(order)

    async def _failed(self, order: TrackedOrder, error: Exception) -> OrderResult:
        coid = order.client_order_id
        code = classify(error)
        if code is None:
            reason = f"submit outcome unknown ({type(error).__name__}: {error}); resolving by order hash"
            log.warning("polymarket %s", reason, extra={"venue": VENUE, "client_order_id": coid})
            await self._publish(self._tracker.on_ambiguous(order, reason))
            # The user channel may already have shown the order while the answer was being lost.
            return result_of(order)
        await self._publish(self._tracker.on_refused(order, str(error)))
        return Rejected(str(error), code=code, client_order_id=coid, sent=True)
