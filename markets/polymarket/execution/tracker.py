"""What we know about each of our Polymarket orders, merged from every source of venue evidence.

Evidence arrives from the ``POST /order`` answer, the user WebSocket (``order`` and ``trade`` events,
REST catch-up after reconnects) and REST polling (``GET /data/order/{hash}``, ``/data/trades``), in any
order and more than once. The tracker folds it into one :class:`TrackedOrder` per order, keyed by our
``client_order_id`` and by the order hash (known before posting, so evidence about an order whose
submit answer was lost still finds it):

- fills are unique by ``(trade_id, order hash)`` (R06/R07); a repeat only moves the trade's settlement
  status forward; ``FAILED`` voids the fill (R08);
- the filled quantity is the sum of the fills that have not failed; the order's status is derived from
  the venue's word for the order plus that quantity, and moved along ``shared.orders.state``. Evidence
  that would move it backwards (a stale ``LIVE`` after ``CANCELED``) is ignored. The one exception is a
  void: a failed provisional fill lowers the filled quantity, and the status follows it even where the
  table has no edge (``FILLED -> PARTIALLY_FILLED``), because the fill never happened;
- every change yields an :class:`~markets.base.OrderReport` or :class:`~markets.base.FillReport` for
  the engine to publish (``updates()``) and journal.

No I/O here: the engine feeds evidence in and acts on what comes out.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from decimal import Decimal

from markets.base import FillReport, OrderReport, OrderRequest
from markets.polymarket.execution.fills import FillPart, advances, is_provisional, our_parts
from markets.polymarket.types import OrderUpdate, PostOrderResult, TradeUpdate
from shared.fees import PolymarketFeeSchedule
from shared.orders.state import TERMINAL, OrderStatus, can_transition

log = logging.getLogger(__name__)
EXTERNAL = "external:"
"""Prefix of the ``client_order_id`` reported for an order of this account that this engine did not place."""

ZERO = Decimal(0)
_S = OrderStatus
OPEN_STATUSES = frozenset({_S.SUBMITTED, _S.UNKNOWN, _S.ACCEPTED, _S.PARTIALLY_FILLED, _S.PENDING_CANCEL})
_CLOSED_WORDS = frozenset({"matched", "canceled", "expired", "invalid", "unmatched", "rejected"})
_WORDS = {
    "LIVE": "live",
    "DELAYED": "delayed",
    "MATCHED": "matched",
    "CANCELED": "canceled",
    "CANCELLED": "canceled",
    "CANCELED_MARKET_RESOLVED": "canceled",
    "INVALID": "invalid",
    "UNMATCHED": "unmatched",
    "EXPIRED": "expired",
}

Update = OrderReport | FillReport
FeeLookup = Callable[[str], PolymarketFeeSchedule | None]


@dataclass
class TrackedFill:
    """One of our fills and its settlement status."""

    part: FillPart
    client_order_id: str
    fee: Decimal

    @property
    def failed(self) -> bool:
        """The settlement failed: the fill is void."""
        return self.part.status == "FAILED"

    def report(self) -> FillReport:
        """The fill as the interface reports it."""
        p = self.part
        return FillReport(
            venue_trade_id=p.trade_id,
            client_order_id=self.client_order_id,
            venue_order_id=p.order_id,
            price=p.price,
            quantity=p.size,
            fee=self.fee,
            liquidity=p.liquidity,
            ts=p.ts,
            market_id=p.market_id,
            outcome_id=p.token_id,
            side=p.side or "buy",
            provisional=is_provisional(p.status),
        )


@dataclass
class TrackedOrder:
    """Everything known about one order.

    ``word`` is the venue's latest word for it (``live``, ``delayed``, ``matched``, ``canceled``, ...);
    ``seen`` is True once any evidence shows the venue has it.
    """

    request: OrderRequest
    order_id: str
    submitted_at: float
    status: OrderStatus = OrderStatus.SUBMITTED
    word: str | None = None
    seen: bool = False
    ambiguous: bool = False
    venue_matched: Decimal = ZERO
    fills: dict[str, TrackedFill] = field(default_factory=dict)
    reason: str | None = None
    cancel_requested: bool = False
    misses: int = 0
    emitted: tuple[OrderStatus, Decimal, str | None] | None = None

    @property
    def client_order_id(self) -> str:
        """Our id."""
        return self.request.client_order_id

    @property
    def filled(self) -> Decimal:
        """Shares filled by fills that have not failed (provisional ones included)."""
        return sum((f.part.size for f in self.fills.values() if not f.failed), ZERO)

    @property
    def known_matched(self) -> Decimal:
        """Shares of every fill we know, failed ones included (to spot fills we have not seen yet)."""
        return sum((f.part.size for f in self.fills.values()), ZERO)

    @property
    def is_open(self) -> bool:
        """May still rest or fill at the venue (an unknown submit counts: it may rest)."""
        return self.status in OPEN_STATUSES

    @property
    def settled(self) -> bool:
        """Terminal, and every fill final on chain: nothing about it can change any more."""
        return self.status in TERMINAL and not any(is_provisional(f.part.status) for f in self.fills.values())

    def report(self) -> OrderReport:
        """The order as the interface reports it."""
        valid = [f for f in self.fills.values() if not f.failed]
        filled = sum((f.part.size for f in valid), ZERO)
        notional = sum((f.part.price * f.part.size for f in valid), ZERO)
        r = self.request
        return OrderReport(
            client_order_id=r.client_order_id,
            venue_order_id=self.order_id,
            status=self.status,
            quantity=r.quantity,
            filled_quantity=filled,
            avg_fill_price=notional / filled if filled else None,
            fills=tuple(sorted((f.report() for f in valid), key=lambda f: (f.ts, f.venue_trade_id))),
            reason=self.reason,
            market_id=r.market_id,
            outcome_id=r.outcome_id,
            side=r.side,
            limit_price=r.limit_price,
            venue_status=self.word,
        )


class OrderTracker:
    """Our orders by client order id and by hash, and the fills of orders we did not place.

    Parameters
    ----------
    fees
        The fee schedule of a token when known (else the trade's ``fee_rate_bps`` is used).
    clock
        Unix seconds (GTD expiry).
    """

    def __init__(self, fees: FeeLookup, clock: Callable[[], float] = time.time) -> None:
        self._fees = fees
        self._clock = clock
        self._by_coid: dict[str, TrackedOrder] = {}
        self._by_hash: dict[str, TrackedOrder] = {}
        self.external_fills: dict[tuple[str, str], TrackedFill] = {}
        self.api_key: str | None = None
        self.funder: str | None = None
        self.duplicates = 0
        self.voids = 0

    # -- lookup ----------------------------------------------------------------------------------------

    def add(self, request: OrderRequest, order_id: str, submitted_at: float | None = None) -> TrackedOrder:
        """Track a new order (idempotent on ``client_order_id``)."""
        existing = self._by_coid.get(request.client_order_id)
        if existing is not None:
            return existing
        order = TrackedOrder(request, order_id, self._clock() if submitted_at is None else submitted_at)
        self._by_coid[request.client_order_id] = order
        self._by_hash[order_id] = order
        return order

    def get(self, client_order_id: str) -> TrackedOrder | None:
        """The order with our id."""
        return self._by_coid.get(client_order_id)

    def by_hash(self, order_id: str) -> TrackedOrder | None:
        """The order with this venue hash."""
        return self._by_hash.get(order_id)

    def client_order_id_of(self, order_id: str) -> str:
        """Our id for a venue hash (:data:`EXTERNAL` + hash for an order we did not place)."""
        order = self._by_hash.get(order_id)
        return order.client_order_id if order is not None else f"{EXTERNAL}{order_id}"

    def orders(self) -> list[TrackedOrder]:
        """Every tracked order, oldest first."""
        return sorted(self._by_coid.values(), key=lambda o: o.submitted_at)

    def open_orders(self) -> list[TrackedOrder]:
        """Orders that may still rest or fill."""
        return [o for o in self.orders() if o.is_open]

    def any_open(self) -> bool:
        """True while any of our orders may rest at the venue."""
        return any(o.is_open for o in self._by_coid.values())

    # -- evidence --------------------------------------------------------------------------------------

    def on_posted(self, order: TrackedOrder, result: PostOrderResult) -> list[Update]:
        """The venue's answer to our ``POST /order`` (``live``, ``matched``, ``delayed``, ``unmatched``)."""
        order.seen = True
        order.ambiguous = False
        self._set_word(order, result.status or "live")
        return self._settle(order)

    def on_refused(self, order: TrackedOrder, reason: str) -> list[Update]:
        """The venue definitively refused the order; nothing rests."""
        order.word, order.reason = "rejected", reason
        return self._settle(order)

    def on_ambiguous(self, order: TrackedOrder, reason: str) -> list[Update]:
        """The submit's answer was lost; the order may or may not be at the venue."""
        order.ambiguous, order.reason = True, reason
        return self._settle(order)

    def on_order(self, update: OrderUpdate) -> list[Update]:
        """A venue order row or event (ignored for orders we did not place)."""
        order = self._by_hash.get(update.order_id)
        if order is None:
            return []
        order.seen, order.misses = True, 0
        order.venue_matched = max(order.venue_matched, update.size_matched)
        self._set_word(order, _WORDS.get(update.status.upper(), update.status.lower()))
        return self._settle(order)

    def on_absent(self, order: TrackedOrder) -> list[Update]:
        """REST shows no live order with this hash (call after applying its trades).

        A seen order that is no longer live was cancelled (or expired, or fully matched: the fills decide);
        an unseen one counts a miss, for the caller's not-found policy.
        """
        if order.seen:
            if order.word not in _CLOSED_WORDS - {"matched"}:
                self._set_word(order, "canceled")
        elif order.filled == 0:
            order.misses += 1
        return self._settle(order)

    def on_not_found(self, order: TrackedOrder, reason: str) -> list[Update]:
        """Give up on an order the venue never showed (R05): it was not placed."""
        order.word, order.reason, order.ambiguous = "rejected", reason, False
        return self._settle(order)

    def on_cancel_requested(self, order: TrackedOrder) -> list[Update]:
        """We asked the venue to cancel ``order``."""
        order.cancel_requested = True
        return self._settle(order)

    def on_canceled(self, order: TrackedOrder, reason: str | None = None) -> list[Update]:
        """The venue confirmed the cancel."""
        order.seen = True
        self._set_word(order, "canceled")
        order.reason = reason or order.reason
        return self._settle(order)

    def on_trades(self, trades: Iterable[TradeUpdate]) -> list[Update]:
        """Apply trades: new fills, settlement progress, voids. Parts that are not ours are ignored."""
        out: list[Update] = []
        for trade in trades:
            for part in our_parts(trade, api_key=self.api_key, funder=self.funder, known=set(self._by_hash)):
                out.extend(self._apply_part(part))
        return out

    def fills_of(self, trades: Iterable[TradeUpdate]) -> list[FillReport]:
        """Our valid fills in ``trades`` as they stand now (after :meth:`on_trades`)."""
        out: list[FillReport] = []
        for trade in trades:
            for part in our_parts(trade, api_key=self.api_key, funder=self.funder, known=set(self._by_hash)):
                fill = self._fill_record(part)
                if fill is not None and not fill.failed:
                    out.append(fill.report())
        return out

    # -- internals -------------------------------------------------------------------------------------

    def _fill_record(self, part: FillPart) -> TrackedFill | None:
        order = self._by_hash.get(part.order_id)
        if order is not None:
            return order.fills.get(part.trade_id)
        return self.external_fills.get((part.trade_id, part.order_id))

    def _apply_part(self, part: FillPart) -> list[Update]:
        order = self._by_hash.get(part.order_id)
        existing = self._fill_record(part)
        if existing is not None:
            if not advances(existing.part.status, part.status):
                self.duplicates += 1
                return []
            was_provisional = is_provisional(existing.part.status)
            existing.part = replace(existing.part, status=part.status)
            out: list[Update] = []
            if existing.failed:
                self.voids += 1
                log.warning("polymarket trade %s failed: fill voided", part.trade_id, extra={"venue": "polymarket"})
                if order is not None:
                    order.reason = f"trade {part.trade_id} failed on chain: its fill was voided"
            elif was_provisional and not is_provisional(part.status):
                out.append(existing.report())
            return out + (self._settle(order) if order is not None else [])
        coid = order.client_order_id if order is not None else f"{EXTERNAL}{part.order_id}"
        fill = TrackedFill(part, coid, part.fee(self._fees(part.token_id)))
        if order is None:
            self.external_fills[(part.trade_id, part.order_id)] = fill
            return [] if fill.failed else [fill.report()]
        order.fills[part.trade_id] = fill
        order.seen = True
        return ([] if fill.failed else [fill.report()]) + self._settle(order)

    def _set_word(self, order: TrackedOrder, word: str) -> None:
        current = order.word
        if current in _CLOSED_WORDS and word not in _CLOSED_WORDS:
            return  # a stale live/delayed row after the venue closed the order
        if current == "matched" and word == "matched":
            return
        if current in _CLOSED_WORDS - {"matched"} and word in _CLOSED_WORDS:
            return  # the first closing word stands (a FAK's "matched" answer may be followed by its cancel)
        if current == "delayed" and word == "live" and order.filled == 0:
            return  # still waiting out the sports matching delay: pending, not resting
        order.word = word

    def _derive(self, order: TrackedOrder) -> OrderStatus:
        filled, word = order.filled, order.word
        if word == "rejected" or (word == "invalid" and order.status in (_S.SUBMITTED, _S.UNKNOWN)):
            return _S.REJECTED
        if filled >= order.request.quantity:
            return _S.FILLED
        if word == "matched" and order.known_matched >= order.request.quantity > filled:
            return _S.CANCELED  # closed at the venue, every fill known, one of them voided (R08)
        if word in ("canceled", "unmatched", "invalid", "expired"):
            return _S.EXPIRED if word == "expired" or self._past_expiry(order) else _S.CANCELED
        if not order.seen:
            return _S.UNKNOWN if order.ambiguous else _S.SUBMITTED
        if order.cancel_requested:
            return _S.PENDING_CANCEL
        return _S.PARTIALLY_FILLED if filled > 0 else _S.ACCEPTED

    def _past_expiry(self, order: TrackedOrder) -> bool:
        expires = order.request.expires_at
        return order.request.time_in_force == "gtd" and expires is not None and self._clock() >= expires.timestamp()

    def _settle(self, order: TrackedOrder) -> list[Update]:
        new = self._derive(order)
        previous = order.emitted[1] if order.emitted is not None else ZERO
        voided = order.filled < previous
        if new != order.status and (_reachable(order.status, new) or voided):
            order.status = new
        state = (order.status, order.filled, order.word)
        if state == order.emitted:
            return []
        order.emitted = state
        return [order.report()]


def _reachable(current: OrderStatus, new: OrderStatus) -> bool:
    """Legal directly, or through a state the evidence skipped (``SUBMITTED -> ACCEPTED -> PENDING_CANCEL``:
    the venue accepted the order before our cancel request reached it)."""
    if can_transition(current, new):
        return True
    return any(can_transition(current, mid) and can_transition(mid, new) for mid in (_S.ACCEPTED, _S.PARTIALLY_FILLED))
