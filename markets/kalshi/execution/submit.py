"""The Kalshi submit path: check, journal, send with one ``client_order_id``, resolve what is ambiguous.

1. Refuse before sending (``Rejected(sent=False)``): malformed request, unknown or inactive market,
   off-grid price, size below the minimum, insufficient balance (:mod:`~markets.kalshi.execution.validate`),
   or an engine whose key or clock was refused (the AuthOrClock latch, cleared by a successful
   ``start()``).
2. Journal the intent (``pending``) **before** the first byte is sent.
3. Send V2 ``POST /portfolio/events/orders`` naming the market's exchange shard (``exchange_index``, from
   the market checked in step 1; a re-send reads it again). The REST client already retries what provably did not
   act (429, connection never opened) with the same body. What may have acted — a 5xx, a timeout
   after sending, an unreadable 2xx — is :class:`~shared.errors.Ambiguous`: the order is looked up by
   ``client_order_id`` (or settled at once if the WebSocket already pushed it); found → ``Accepted``
   with its real state; not found → sent again with the **same** ``client_order_id`` (Kalshi
   deduplicates by it, so a repeat can never be a second order; R02, Kalshi starter#135), at most
   ``submit_sends`` times.
4. Still ambiguous → bounded look-ups (``resolve_checks``); then ``Unknown`` (journal ``unknown``),
   left to the engine's reconciliation and to ``order_status`` — never re-sent with a new id.

A definitive venue refusal is ``Rejected(sent=True)`` with the venue's code. A 401 is refused as
``auth_or_clock`` and latches the engine: no blind retries (R22). A repeated ``client_order_id`` never
makes a second order: a known order is returned as it is, an unresolved one is looked up (and, if the
venue has none, re-sent with the same id), a refused one (or one closed at start-up without ever
reaching the venue) stays closed.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from markets.base import Accepted, OrderRequest, OrderResult, Rejected, Unknown
from markets.journal import JournalEntry, JournalState, OrderJournal
from markets.kalshi.errors import VENUE, market_closed
from markets.kalshi.execution.lookup import VenueLookup
from markets.kalshi.execution.mapping import WIRE_TIF, book_side, yes_leg
from markets.kalshi.execution.options import ExecutionOptions
from markets.kalshi.execution.tracker import OrderTracker, TrackedOrder
from markets.kalshi.execution.validate import (
    BalanceGate,
    MarketCache,
    check_market,
    check_request,
    refuse,
    worst_case_cost,
)
from markets.kalshi.models import KalshiOrder, MarketInfo, OrderAck
from markets.kalshi.rest import KalshiRestClient
from shared.errors import Ambiguous, AuthOrClock, Retryable, VenueError
from shared.errors import Rejected as VenueRejected
from shared.orders.state import TERMINAL, OrderStatus
from shared.tracing import TRACE

log = logging.getLogger(__name__)
_NOT_FOUND_CODES = frozenset({"not_found", "market_not_found"})


@dataclass(frozen=True, slots=True)
class Lookup:
    """Looking an order up by ``client_order_id``: the venue's ``order``, or ``known`` when WebSocket
    evidence bound it first; ``error`` when no look-up succeeded."""

    order: KalshiOrder | None
    error: VenueError | None = None
    known: TrackedOrder | None = None


class SubmitPath:
    """Places orders for :class:`~markets.kalshi.execution.KalshiExecutionEngine` (see the module docstring)."""

    def __init__(
        self,
        rest: KalshiRestClient,
        lookup: VenueLookup,
        tracker: OrderTracker,
        journal: OrderJournal,
        markets: MarketCache,
        balance: BalanceGate,
        options: ExecutionOptions,
        *,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.rest = rest
        self.lookup = lookup
        self.tracker = tracker
        self.journal = journal
        self.markets = markets
        self.balance = balance
        self.options = options
        self._sleep = sleep
        self._locks: dict[str, tuple[asyncio.Lock, int]] = {}
        self.auth_failure: AuthOrClock | None = None
        """Set by a 401: new orders are refused until a successful ``start()`` clears it."""

    # -- entry point -----------------------------------------------------------------------------

    async def submit(self, request: OrderRequest) -> OrderResult:
        """Place ``request``; idempotent by ``client_order_id`` (see the module docstring)."""
        refusal = check_request(request)
        if refusal is not None:
            return refusal
        cid = request.client_order_id
        lock, users = self._locks.get(cid, (asyncio.Lock(), 0))
        self._locks[cid] = (lock, users + 1)
        try:
            async with lock:  # one submit per client_order_id at a time
                entry = await self.journal.get(cid)
                if entry is not None:
                    return await self._repeat(request, entry)
                checked = await self._pre_send(request)
                if isinstance(checked, Rejected):
                    return checked
                TRACE.stamp("kalshi.checked", cid)
                entry = await self.journal.record(VENUE, request)
                TRACE.stamp("kalshi.journalled", cid)
                self.tracker.track(_tracked(request))
                return await self._send(request, entry.created_at, checked.exchange_index)
        finally:
            lock, users = self._locks[cid]
            if users <= 1:
                del self._locks[cid]
            else:
                self._locks[cid] = (lock, users - 1)

    # -- before sending --------------------------------------------------------------------------

    async def _pre_send(self, request: OrderRequest) -> Rejected | MarketInfo:
        """The refusal, or the market (its shard is named on the create) when the order may be sent."""
        if self.auth_failure is not None:
            reason = f"kalshi refused our key or clock; not sending ({self.auth_failure})"
            return refuse(request, reason, "auth_or_clock")
        try:
            market = await self.markets.get(request.market_id)
            refusal = check_market(request, market)
            if refusal is not None:
                return refusal
            cost = worst_case_cost(request)
            available = await self.balance.shortfall(cost, market.exchange_index)
        except VenueRejected as e:
            if e.status == 404 or e.code in _NOT_FOUND_CODES:
                return refuse(request, f"unknown market {request.market_id!r} at kalshi", "unknown_market")
            return refuse(request, f"pre-send check failed: {e}", e.code or "precheck_failed")
        except AuthOrClock as e:
            self.auth_failure = e
            return refuse(request, f"kalshi refused our key or clock: {e}", "auth_or_clock")
        except VenueError as e:
            return refuse(request, f"could not check the order before sending: {e}", "precheck_failed")
        if available is not None:
            return refuse(
                request,
                f"insufficient balance: the order may take ${cost:.2f} (price x quantity + taker fee) "
                f"and ${available:.2f} is available on exchange shard {market.exchange_index}",
                "insufficient_balance",
            )
        return market

    # -- sending ---------------------------------------------------------------------------------

    async def _send(self, request: OrderRequest, journalled_at: datetime, shard: int | None = None) -> OrderResult:
        if shard is None:  # a re-send: the market's exchange shard is read again
            try:
                shard = (await self.markets.get(request.market_id)).exchange_index
            except VenueError as e:
                reason = f"not re-sent: the market's exchange shard could not be read ({e})"
                return Unknown(reason, client_order_id=request.client_order_id)
        ambiguous: VenueError | None = None
        for _ in range(self.options.submit_sends):
            try:
                ack = await self._create(request, shard)
            except Ambiguous as e:
                ambiguous = e
                accepted = await self._accept_found(request, await self._find(request, journalled_at, checks=1))
                if accepted is not None:
                    return accepted
                continue  # the venue has no such order (or could not say): same id again, deduplicated
            except AuthOrClock as e:
                self.auth_failure = e
                if ambiguous is not None:
                    break
                return await self._refused(request, f"kalshi refused our key or clock: {e}", "auth_or_clock")
            except VenueRejected as e:
                return await self._venue_refused(request, e, journalled_at, ambiguous)
            except Retryable as e:
                if ambiguous is None:  # every attempt provably did not act (429, connection never opened)
                    code = "rate_limited" if e.status == 429 else "venue_unreachable"
                    return await self._refused(request, f"nothing placed: {e}", code)
                ambiguous = e
                break
            except VenueError as e:
                ambiguous = e
                break
            return await self._accept_ack(request, ack)
        return await self._resolve(request, journalled_at, ambiguous)

    async def _create(self, request: OrderRequest, shard: int) -> OrderAck:
        """One V2 create, naming the market's exchange shard (``exchange_index``): Kalshi routes an order by
        it, and a market on another shard (new baseball and tennis events) is not found on the default one."""
        outcome = request.outcome_id
        expires = None if request.expires_at is None else int(request.expires_at.timestamp())
        return await self.rest.create_order(
            ticker=request.market_id,
            side=book_side(outcome, request.side),  # type: ignore[arg-type]
            count=request.quantity,
            price=yes_leg(outcome, request.limit_price),  # type: ignore[arg-type]
            client_order_id=request.client_order_id,
            time_in_force=WIRE_TIF[request.time_in_force],
            post_only=request.post_only,
            expiration_time=expires,
            exchange_index=shard,
        )

    async def _venue_refused(
        self, request: OrderRequest, error: VenueRejected, journalled_at: datetime, ambiguous: VenueError | None
    ) -> OrderResult:
        if ambiguous is not None:
            # An earlier send may have landed; only a look-up can tell.
            found = await self._find(request, journalled_at, checks=self.options.resolve_checks)
            accepted = await self._accept_found(request, found)
            if accepted is not None:
                return accepted
        if error.code == "insufficient_balance":
            self.balance.invalidate()
        if market_closed(error):
            self.markets.invalidate(request.market_id)
        return await self._refused(request, str(error), error.code or "rejected")

    async def _resolve(self, request: OrderRequest, journalled_at: datetime, cause: VenueError | None) -> OrderResult:
        found = await self._find(request, journalled_at, checks=self.options.resolve_checks)
        accepted = await self._accept_found(request, found)
        if accepted is not None:
            return accepted
        cid = request.client_order_id
        reason = f"outcome unknown after {self.options.submit_sends} sends: {cause}"
        if found.error is not None:
            reason += f"; look-up failed: {found.error}"
        await self.journal.mark(cid, "unknown", note=reason[:500])
        self.tracker.set_status(cid, OrderStatus.UNKNOWN, reason)
        log.warning(reason, extra={"venue": VENUE, "client_order_id": cid})
        return Unknown(reason, client_order_id=cid)

    def _pushed(self, request: OrderRequest) -> TrackedOrder | None:
        """The order when WebSocket evidence (``user_order``, ``fill``) already bound it to a venue id."""
        tracked = self.tracker.get(request.client_order_id)
        return tracked if tracked is not None and tracked.venue_order_id is not None else None

    async def _find(self, request: OrderRequest, journalled_at: datetime, *, checks: int) -> Lookup:
        since = journalled_at - timedelta(seconds=self.options.lookup_window_s)
        error: VenueError | None = None
        for attempt in range(checks):
            if attempt:
                await self._sleep(self.options.resolve_interval_s * attempt)
            known = self._pushed(request)
            if known is not None:
                return Lookup(None, known=known)
            try:
                order = await self.lookup.find_by_client_id(request.market_id, request.client_order_id, since)
            except VenueError as e:
                error = e
                continue
            if order is not None:
                return Lookup(order)
            error = None
        return Lookup(None, error)

    # -- outcomes --------------------------------------------------------------------------------

    async def _accept_found(self, request: OrderRequest, found: Lookup) -> Accepted | None:
        if found.known is not None:
            return await self._accepted(found.known)
        if found.order is not None:
            return await self._accept_order(request, found.order)
        return None

    async def _accept_ack(self, request: OrderRequest, ack: OrderAck) -> Accepted:
        tracked = self.tracker.apply_ack(request.client_order_id, ack)
        return await self._accepted(tracked)

    async def _accept_order(self, request: OrderRequest, order: KalshiOrder) -> Accepted:
        tracked = self.tracker.get(request.client_order_id) or self.tracker.track(_tracked(request))
        self.tracker.apply_order(order)
        return await self._accepted(tracked)

    async def _accepted(self, tracked: TrackedOrder) -> Accepted:
        state: JournalState = "final" if tracked.status in TERMINAL else "acked"
        await self.journal.mark(tracked.client_order_id, state, venue_order_id=tracked.venue_order_id)
        return Accepted(tracked.report())

    async def _refused(self, request: OrderRequest, reason: str, code: str) -> Rejected:
        cid = request.client_order_id
        await self.journal.mark(cid, "refused", note=f"{code}: {reason}"[:500])
        self.tracker.set_status(cid, OrderStatus.REJECTED, reason)
        return Rejected(reason, code=code, client_order_id=cid, sent=True)

    # -- a client_order_id seen before -----------------------------------------------------------

    async def _repeat(self, request: OrderRequest, entry: JournalEntry) -> OrderResult:
        cid = request.client_order_id
        if not _same_order(request, entry):
            return refuse(request, f"client_order_id {cid} was already used for a different order", "duplicate_id")
        if entry.state == "refused":
            return Rejected(f"client_order_id {cid} was refused before: {entry.note}", "duplicate_refused", cid, False)
        if entry.state == "final" and entry.venue_order_id is None:
            return Rejected(
                f"client_order_id {cid} was closed without an order: {entry.note}", "duplicate_closed", cid, False
            )
        tracked = self.tracker.get(cid) or self.tracker.track(_tracked(request))
        if tracked.venue_order_id is not None:
            return Accepted(tracked.report())
        if entry.venue_order_id is not None:
            try:
                order = await self.lookup.get(entry.venue_order_id)
            except VenueError as e:
                return Unknown(f"journalled as {entry.venue_order_id} but the venue could not be read: {e}", cid)
            if order is not None:
                return await self._accept_order(request, order)
        accepted = await self._accept_found(request, await self._find(request, entry.created_at, checks=1))
        if accepted is not None:
            return accepted
        if self.auth_failure is not None:
            return Unknown(f"unresolved and kalshi refused our key or clock ({self.auth_failure})", cid)
        # Journalled, never confirmed and not at the venue: send again with the same id (deduplicated).
        return await self._send(request, entry.created_at)


def _tracked(request: OrderRequest) -> TrackedOrder:
    return TrackedOrder(
        client_order_id=request.client_order_id,
        market_id=request.market_id,
        outcome_id=request.outcome_id,  # type: ignore[arg-type]
        side=request.side,
        limit_price=request.limit_price,
        quantity=request.quantity,
    )


def _same_order(request: OrderRequest, entry: JournalEntry) -> bool:
    mine = (request.market_id, request.outcome_id, request.side, request.limit_price, request.quantity)
    theirs = (entry.market_id, entry.outcome_id, entry.side, entry.limit_price, Decimal(entry.quantity))
    return mine == theirs
