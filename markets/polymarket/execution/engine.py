"""The Polymarket execution engine: real limit orders on the CLOB (V2) behind :class:`markets.base.ExecutionEngine`.

A submit is checked before anything is sent (:mod:`.checks`: shape, market rules
from :mod:`~markets.polymarket.execution.markets`, funds), then signed, journalled with its **expected order
hash** and posted **once** (:mod:`~markets.polymarket.execution.submit`). Polymarket has no idempotency key:
an answer lost after sending is :class:`~markets.base.Unknown` carrying the hash, resolved from the user
WebSocket or REST (:mod:`~markets.polymarket.execution.sync`), never by posting again; the same
``client_order_id`` submitted again returns the journalled order's state. ``delayed`` (sports matching
delay) is accepted and pending. All evidence is merged in :mod:`~markets.polymarket.execution.tracker`: fills
once per ``(trade, order)``, ``provisional`` until CONFIRMED, void when FAILED. While any order may rest,
the venue heartbeat is kept alive (:mod:`~markets.polymarket.execution.heartbeat`); when the engine stops or
freezes, the venue cancels what rests about 10 s later (R19).

References
----------
venues.md §2.4-2.9; reliability.md B2, R01, R02, R05-R08, R17, R19, R22, R23; house-style.md §2, §7.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import httpx
from pydantic import SecretStr

from markets.base import (
    BalanceReport,
    Capabilities,
    FillPage,
    FillReport,
    OrderReport,
    OrderRequest,
    OrderResult,
    PositionReport,
    Rejected,
)
from markets.journal import OrderJournal
from markets.polymarket.clob import ClobReader
from markets.polymarket.config import PolymarketSettings
from markets.polymarket.execution import account as account
from markets.polymarket.execution import journal as jn
from markets.polymarket.execution.checks import check_market, check_shape, refuse, request_from_args
from markets.polymarket.execution.heartbeat import DeadManSwitch
from markets.polymarket.execution.markets import MarketDirectory, UnknownMarket
from markets.polymarket.execution.preflight import preflight, recover
from markets.polymarket.execution.publish import Publisher
from markets.polymarket.execution.submit import Submitter, result_of
from markets.polymarket.execution.sync import VenueSync
from markets.polymarket.execution.tracker import OrderTracker, TrackedOrder, Update
from markets.polymarket.gamma import GammaClient
from markets.polymarket.geoblock import TradingGate
from markets.polymarket.retry import Backoff
from markets.polymarket.trading import ClobTrader
from markets.polymarket.types import OrderUpdate, TradeUpdate
from markets.polymarket.ws_user import UserFeed, UserResync
from markets.preflight import DEFAULT_MAX_CLOCK_SKEW_S
from shared.errors import Geoblocked, VenueError
from shared.fees import PolymarketFeeSchedule
from shared.orders.state import TERMINAL, OrderStatus
from shared.prices import Venue

log = logging.getLogger(__name__)
VENUE: Venue = "polymarket"
_EXTRA = {"venue": VENUE}


def new_client_order_id() -> str:
    """A fresh client order id (pass your own to make a submit idempotent across retries and restarts)."""
    return f"pm-{uuid.uuid4().hex}"


def _settings(base: PolymarketSettings | None, overrides: dict[str, Any]) -> PolymarketSettings:
    # Every field is passed explicitly (defaults via model_construct), so nothing is read from the environment.
    values = (base or PolymarketSettings.model_construct()).model_dump()
    values.update({k: v for k, v in overrides.items() if v is not None})
    return PolymarketSettings.model_validate(values)


@dataclass
class _SubmitLock:
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    users: int = 0


class PolymarketExecutionEngine:
    """Real orders on Polymarket for one signer (see the module docstring).

    Parameters
    ----------
    host
        CLOB URL (``https://clob.polymarket.com``).
    private_key
        The signer's key (hex). A secret: kept in a ``SecretStr``, registered for log redaction, never in
        ``repr``.
    chain_id
        137 (Polygon) or 80002 (Amoy).
    funder, signature_type
        The address holding the funds and how orders are signed (0 EOA, 1 proxy, 2 Safe).
    journal
        Where orders are written before they are sent; default ``FileOrderJournal`` under
        ``$ARBEES_DATA_DIR/journal/`` named after the signer address.
    settings
        Everything else (URLs, timeouts); explicit arguments override it.
    ws_user_url, gamma_url, geoblock_url
        Override the settings' user-channel, Gamma and geoblock URLs (the simulator serves all three).
    heartbeat_interval_s
        Seconds between venue heartbeats while orders rest (the venue cancels after 10 s of silence).
    max_clock_skew_s
        Start-up refuses a venue clock further from ours than this.
    """

    venue: Venue = VENUE
    paper: bool = False
    capabilities: Capabilities = Capabilities(
        time_in_force=frozenset({"gtc", "gtd", "ioc", "fok"}),
        venue_idempotency=False,
        push_updates=True,
        dead_man_switch=True,
    )

    def __init__(
        self,
        host: str,
        private_key: str | SecretStr,
        chain_id: int = 137,
        *,
        funder: str | None = None,
        signature_type: int = 0,
        journal: OrderJournal | None = None,
        settings: PolymarketSettings | None = None,
        ws_user_url: str | None = None,
        gamma_url: str | None = None,
        geoblock_url: str | None = None,
        heartbeat_interval_s: float = 5.0,
        max_clock_skew_s: float = DEFAULT_MAX_CLOCK_SKEW_S,
        market_ttl_s: float = 30.0,
        ws_ready_timeout_s: float = 5.0,
        sync_interval_s: float = 1.0,
        not_found_after_s: float = 30.0,
        backoff: Backoff | None = None,
    ) -> None:
        key = private_key if isinstance(private_key, SecretStr) else SecretStr(private_key)
        overrides = {
            "clob_url": host, "private_key": key, "chain_id": chain_id, "funder": funder,
            "signature_type": signature_type, "ws_user_url": ws_user_url, "gamma_url": gamma_url,
            "geoblock_url": geoblock_url,
        }  # fmt: skip
        self.settings = _settings(settings, overrides)
        self._backoff = backoff or Backoff(
            base_s=self.settings.read_backoff_base_s,
            cap_s=self.settings.read_backoff_cap_s,
            attempts=self.settings.read_attempts,
        )
        self._gate = TradingGate()
        self._trader = ClobTrader(self.settings, self._gate, self._backoff)
        self.address = self._trader.address
        self._journal: OrderJournal = journal if journal is not None else jn.default_journal(self.address)
        self._tracker = OrderTracker(self._fee_schedule)
        self._publisher = Publisher(self._journal)
        self._heartbeat = DeadManSwitch(self._trader, self._tracker.any_open, interval_s=heartbeat_interval_s)
        self._feed = UserFeed(self.settings, self._trader, [], self._on_user_event)
        self._sync = VenueSync(
            self._trader, self._tracker, self._publish, self._cancel_pending, self._feed.subscribed.is_set,
            interval_s=sync_interval_s, not_found_after_s=not_found_after_s,
        )  # fmt: skip
        self._submitter = Submitter(
            self._trader, self._tracker, self._journal, self._publish, self._refresh, self._fee_schedule,
            self._heartbeat.kick,
        )  # fmt: skip
        self._max_skew_s = max_clock_skew_s
        self._market_ttl_s = market_ttl_s
        self._ws_ready_timeout_s = ws_ready_timeout_s
        self._markets: MarketDirectory | None = None
        self._http: httpx.AsyncClient | None = None
        self._runner: asyncio.Task[None] | None = None
        self._halted: str | None = None
        self._close_only = False
        self._locks: dict[str, _SubmitLock] = {}

    @classmethod
    def from_settings(
        cls, settings: PolymarketSettings, *, journal: OrderJournal | None = None
    ) -> PolymarketExecutionEngine:
        """The engine for ``settings`` (``POLYMARKET_*``); ``settings.private_key`` is required."""
        if settings.private_key is None:
            raise ValueError("POLYMARKET_PRIVATE_KEY is required for the real Polymarket engine")
        return cls(
            settings.clob_url,
            settings.private_key,
            settings.chain_id,
            funder=settings.funder,
            signature_type=settings.signature_type,
            journal=journal,
            settings=settings,
        )

    def __repr__(self) -> str:
        return f"PolymarketExecutionEngine(host={self.settings.clob_url!r}, address={self.address!r})"

    @property
    def gate(self) -> TradingGate:
        """The geoblock gate (tripped for good by any geoblock answer)."""
        return self._gate

    @property
    def journal(self) -> OrderJournal:
        """The order journal (every order is written here before it is sent)."""
        return self._journal

    @property
    def tracker(self) -> OrderTracker:
        """Every order this engine placed or recovered, with its evidence (for diagnostics and tests)."""
        return self._tracker

    @property
    def heartbeat(self) -> DeadManSwitch:
        """The dead-man switch."""
        return self._heartbeat

    @property
    def feed(self) -> UserFeed:
        """The user WebSocket feed."""
        return self._feed

    # -- lifecycle -------------------------------------------------------------------------------------

    async def start(self) -> None:
        """Pre-flight, then follow the venue. Idempotent.

        Checks, in order: venue clock (``GET /time``) within ``max_clock_skew_s`` of ours; geoblock probe
        (blocked: :class:`~shared.errors.Geoblocked`; close-only: only sells pass); API credentials
        created or derived (L1) and proved by an L2 call (close-only account flag); journalled orders that
        may be at the venue are taken back and resolved by their hash. Then the user WebSocket, the
        heartbeat and the reconciliation loop start.

        Raises
        ------
        shared.errors.AuthOrClock
            Clock skew beyond the limit, or credentials refused.
        shared.errors.Geoblocked
            This location may not trade.
        shared.errors.VenueError
            The venue could not be reached.
        """
        if self._runner is not None:
            return
        http = self._http = self._http or httpx.AsyncClient(timeout=self.settings.http_timeout_s)
        reader = ClobReader(http, self.settings.clob_url, self._backoff)
        gamma = GammaClient(http, self.settings.gamma_url, self._backoff)
        self._markets = MarketDirectory(reader, gamma, ttl_s=self._market_ttl_s)
        try:
            self._close_only = await preflight(
                http, reader, self._trader, self._gate, self.settings.geoblock_url, self._max_skew_s
            )
        except BaseException:
            self._http = None
            await http.aclose()
            raise
        self._tracker.api_key, self._tracker.funder = self._trader.api_key, self._trader.funder
        await recover(self._journal, self._tracker, self._sync.refresh)
        self._runner = asyncio.create_task(self._run(), name="polymarket-engine")
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(self._ws_ready_timeout_s):
                await self._feed.subscribed.wait()
        log.info("polymarket engine started for %s (close-only: %s)", self.address, self._close_only, extra=_EXTRA)

    async def close(self) -> None:
        """Stop the feed, the heartbeat and reconciliation; release connections. Idempotent.

        Resting orders stay at the venue, but the heartbeat stops with the engine: if it had been armed,
        the venue cancels them about 10 s later (the dead-man switch doing its job).
        """
        runner, self._runner = self._runner, None
        if runner is not None:
            runner.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await runner
        http, self._http = self._http, None
        if http is not None:
            await http.aclose()

    async def _run(self) -> None:
        try:
            async with asyncio.TaskGroup() as group:
                group.create_task(self._feed.run(), name="polymarket-user-feed")
                group.create_task(self._heartbeat.run(), name="polymarket-heartbeat")
                group.create_task(self._sync.run(), name="polymarket-reconcile")
        except Exception as e:  # noqa: BLE001 - a crashed loop halts trading; the heartbeat stops with it
            self._halted = f"engine loop failed: {e!r}"
            log.critical("polymarket engine halted: %s", self._halted, extra=_EXTRA, exc_info=e)

    # -- submit ----------------------------------------------------------------------------------------

    async def place_limit_order(
        self,
        token_id: str,
        side: str,  # "buy" | "sell"
        price: Decimal,
        size: Decimal,
        *,
        order_type: str = "GTC",
        expires_at: datetime | None = None,
        client_order_id: str | None = None,
        post_only: bool = False,
    ) -> OrderResult:
        """Place a limit order of ``size`` shares of ``token_id`` at ``price`` (pUSD per share).

        Parameters
        ----------
        token_id
            The CLOB token (outcome) id.
        side
            ``"buy"`` or ``"sell"``.
        price, size
            ``Decimal`` only; a ``float`` is refused before anything is sent.
        order_type
            ``GTC``, ``GTD`` (until ``expires_at``; the venue's 60 s security buffer is added), ``FOK`` or
            ``FAK``.
        client_order_id
            Our idempotency key (default: a fresh one). Resubmitting it never posts a second order.
        post_only
            Refuse to cross the book (GTC/GTD).

        Returns
        -------
        Accepted | Rejected | Unknown
            See :meth:`submit`.
        """
        request = request_from_args(
            client_order_id or new_client_order_id(), token_id, side, price, size, order_type, expires_at, post_only
        )
        return request if isinstance(request, Rejected) else await self.submit(request)

    async def submit(self, request: OrderRequest) -> OrderResult:
        """Place a limit order, idempotent by ``client_order_id`` (see the module docstring).

        ``request.market_id`` is the condition id (empty: taken from the token); ``outcome_id`` the token.

        Returns
        -------
        Accepted
            The venue has the order (resting, filled, or ``delayed``); ``report`` is its state.
        Rejected
            ``sent=False``: refused before sending (reason and ``code`` from :mod:`.checks`, or
            ``geoblocked``, ``close_only``, ``not_started``, ``market_info_unavailable``,
            ``balance_unavailable``). ``sent=True``: the venue refused it (``venue_rejected``,
            ``venue_busy`` for 425/429/503, ``auth_or_clock`` for 401 — not retried, ``geoblocked``).
        Unknown
            The answer was lost; ``venue_order_id`` is the expected hash. Never re-posted: watch
            :meth:`order_status` / :meth:`updates`, or submit the same id again to get its state.
        """
        refusal = check_shape(request, datetime.now(UTC))
        if refusal is not None:
            return refusal
        async with self._exclusive(request.client_order_id):
            known = await self._known(request.client_order_id)
            if known is not None:
                return result_of(known)
            return await self._place(request)

    @contextlib.asynccontextmanager
    async def _exclusive(self, client_order_id: str) -> AsyncIterator[None]:
        # One submit per client order id at a time; the lock lives only while someone holds or awaits it.
        entry = self._locks.setdefault(client_order_id, _SubmitLock())
        entry.users += 1
        try:
            async with entry.lock:
                yield
        finally:
            entry.users -= 1
            if entry.users == 0:
                del self._locks[client_order_id]

    async def _lookup(self, client_order_id: str) -> TrackedOrder | None:
        order = self._tracker.get(client_order_id)
        if order is None:
            entry = await self._journal.get(client_order_id)
            if entry is None or not jn.may_be_at_venue(entry):
                return None
            order = jn.bind(self._tracker, entry)
        return order

    async def _known(self, client_order_id: str) -> TrackedOrder | None:
        order = await self._lookup(client_order_id)
        if order is None:
            return None
        if not order.settled and order.status is not OrderStatus.SUBMITTED:
            with contextlib.suppress(VenueError):
                await self._sync.refresh([order])
        return order

    async def _place(self, request: OrderRequest) -> OrderResult:
        refusal = self._precheck(request)
        if refusal is not None or self._markets is None:
            return refusal or refuse(request, "the Polymarket engine is not started", "not_started")
        try:
            info = await self._markets.get(request.outcome_id)
        except UnknownMarket as e:
            return refuse(request, str(e), "unknown_market")
        except VenueError as e:
            return refuse(request, f"market rules unavailable: {e}", "market_info_unavailable")
        request = replace(request, market_id=request.market_id or info.condition_id)
        refusal = check_market(request, info)
        if refusal is not None:
            return refusal
        result = await self._submitter.place(request, info)
        if isinstance(result, Rejected) and result.code == "venue_rejected":
            self._markets.invalidate(request.outcome_id)  # the tick or eligibility may have changed
        return result

    def _precheck(self, request: OrderRequest) -> Rejected | None:
        if self._halted is not None:
            return refuse(request, f"polymarket engine halted: {self._halted}", "halted")
        if self._gate.tripped:
            return refuse(request, f"polymarket trading refused: {self._gate.reason}", "geoblocked")
        if self._runner is None:
            return refuse(request, "the Polymarket engine is not started: call start() first", "not_started")
        try:
            self._gate.check(opening=request.side == "buy")
        except Geoblocked as e:
            return refuse(request, str(e), "geoblocked")
        if self._close_only and request.side == "buy":
            return refuse(request, "this account is in close-only mode: only sells are allowed", "close_only")
        return None

    # -- orders ----------------------------------------------------------------------------------------

    async def cancel(self, client_order_id: str) -> OrderReport | None:
        """Cancel what is left of an order (``DELETE /order`` by its hash); ``None`` if we never sent it.

        Idempotent. A cancel for an order whose submit is unresolved is kept and re-sent once the order
        shows up at the venue. Raises :class:`~shared.errors.VenueError` when the venue cannot be reached
        (the order is then ``PENDING_CANCEL`` and the cancel is retried in the background).
        """
        order = await self._lookup(client_order_id)
        if order is None:
            return None
        if order.status in TERMINAL:
            return order.report()
        await self._publish(self._tracker.on_cancel_requested(order))
        answer = await self._trader.cancel(order.order_id)
        if order.order_id in answer.canceled:
            await self._publish(self._tracker.on_canceled(order))
        else:
            self._sync.mark_dirty(order)
            await self._sync.refresh([order])
        return order.report()

    async def _cancel_pending(self, order: TrackedOrder) -> None:
        answer = await self._trader.cancel(order.order_id)
        if order.order_id in answer.canceled:
            await self._publish(self._tracker.on_canceled(order))

    async def cancel_all(self, market_id: str | None = None) -> list[str]:
        """Cancel every resting order of this API key, ours or not (the kill switch, R18).

        ``DELETE /cancel-all``, or ``DELETE /cancel-market-orders`` for one condition id. Returns the
        cancelled client order ids (``external:<hash>`` for orders we did not place). Our unresolved
        submits are marked so that they are cancelled if they show up. Retried on transient errors;
        raises :class:`~shared.errors.VenueError` when the venue cannot be reached.
        """
        updates: list[Update] = []
        for order in self._tracker.open_orders():
            if market_id is None or order.request.market_id == market_id:
                updates += self._tracker.on_cancel_requested(order)
        await self._publish(updates)
        if market_id is None:
            answer = await self._trader.cancel_all()
        else:
            answer = await self._trader.cancel_market_orders(market=market_id)
        updates = []
        for order_id in answer.canceled:
            cancelled = self._tracker.by_hash(order_id)
            if cancelled is not None:
                updates += self._tracker.on_canceled(cancelled)
        await self._publish(updates)
        return [self._tracker.client_order_id_of(h) for h in answer.canceled]

    async def order_status(self, client_order_id: str) -> OrderReport | None:
        """The order as the venue shows it now (refreshed over REST unless settled); ``None`` if unknown."""
        order = await self._known(client_order_id)
        return order.report() if order is not None else None

    async def order_status_by_venue_id(self, venue_order_id: str) -> OrderReport | None:
        """The order with this hash: ours (refreshed) or another of this key's live orders; else ``None``."""
        order = self._tracker.by_hash(venue_order_id)
        if order is not None:
            return await self.order_status(order.client_order_id)
        row = await self._trader.order(venue_order_id)
        return account.foreign_report(row) if row is not None else None

    async def open_orders(self, market_id: str | None = None) -> list[OrderReport]:
        """This key's live orders (``GET /data/orders``), ours with their client order ids."""
        rows = await self._trader.open_orders(market=market_id)
        updates: list[Update] = []
        reports: list[OrderReport] = []
        for row in rows:
            updates += self._tracker.on_order(row)
            order = self._tracker.by_hash(row.order_id)
            reports.append(order.report() if order is not None else account.foreign_report(row))
        await self._publish(updates)
        return reports

    # -- account ---------------------------------------------------------------------------------------

    async def fills_since(self, since: datetime | None = None, cursor: str | None = None) -> FillPage:
        """Our fills (``/data/trades``) after ``since`` or ``cursor``, oldest first.

        Failed trades are left out, MATCHED/MINED ones are ``provisional``; quantities in shares, prices and
        fees in pUSD. The cursor is opaque (see :mod:`~markets.polymarket.execution.account`). Without
        ``since`` or ``cursor`` every trade of the account is read.
        """
        page, updates = await account.read_fills(self._trader, self._tracker, since, cursor)
        await self._publish(updates)
        return page

    async def positions(self, market_id: str | None = None) -> list[PositionReport]:
        """Shares held of every token we traded (venue ``CONDITIONAL`` balances), with cost and fees; those of
        ``market_id`` only, when given."""
        positions, updates = await account.read_positions(self._trader, self._tracker)
        await self._publish(updates)
        return [p for p in positions if market_id in (None, p.market_id)]

    async def balance(self) -> BalanceReport:
        """pUSD: the wallet balance (``total``) and what open BUY orders leave of it (``available``)."""
        return await account.read_balance(self._trader)

    def updates(self) -> AsyncIterator[OrderReport | FillReport]:
        """Order and fill reports as they change, whichever source showed them first, each change once.

        A fill comes once when first seen (``provisional`` while MATCHED/MINED) and again when CONFIRMED;
        a voided fill (FAILED) comes as the order's report without it. Never drops an event: the queue is
        unbounded, so keep consuming.
        """
        return self._publisher.subscribe()

    # -- evidence plumbing -----------------------------------------------------------------------------

    async def _on_user_event(self, event: OrderUpdate | TradeUpdate | UserResync) -> None:
        try:
            await self._publisher.publish(self._sync.apply_user_event(event))
        except Exception as e:  # noqa: BLE001 - a bad event must not take the feed down; REST reconciles
            log.exception("polymarket user event not applied: %s", e, extra=_EXTRA)

    async def _publish(self, updates: Sequence[Update]) -> None:
        await self._publisher.publish(updates)

    async def _refresh(self, orders: Sequence[TrackedOrder]) -> None:
        await self._sync.refresh(orders)

    def _fee_schedule(self, token_id: str) -> PolymarketFeeSchedule | None:
        return self._markets.fee_schedule(token_id) if self._markets is not None else None
