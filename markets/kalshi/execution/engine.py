"""``KalshiExecutionEngine``: real orders on Kalshi behind :class:`markets.base.ExecutionEngine`.

Orders go out on the V2 endpoints with fixed-point strings (``POST``/``DELETE /portfolio/events/orders``;
venues.md §1.4); state comes back from the private ``fill`` and ``user_orders`` WebSocket channels,
with REST polling as the fallback and the audit. The pieces:

- :mod:`~markets.kalshi.execution.submit` — pre-send checks, the journal, one ``client_order_id`` for every
  send, ambiguous outcomes resolved by querying that id (``Accepted``/``Rejected``/``Unknown``);
- :mod:`~markets.kalshi.execution.tracker` — statuses through :mod:`shared.orders.state`, fills counted once;
- :mod:`~markets.kalshi.execution.intake`, :mod:`~markets.kalshi.execution.feed`,
  :mod:`~markets.kalshi.execution.reconcile` — evidence from the WebSocket and REST;
- :mod:`~markets.kalshi.execution.preflight` — clock (HTTP ``Date``), credentials and exchange status at start;
- :mod:`~markets.kalshi.execution.queries` — orders, fills, positions and balance read back as Arbees reports.

Quantities are contracts (``Decimal``, 0.01 steps), prices probability-scale ``Decimal`` on the order's
outcome leg, money ``Decimal`` dollars. Run :meth:`~KalshiExecutionEngine.start` before trading and
:meth:`~KalshiExecutionEngine.close` at the end; resting orders stay at the venue.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

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
    TimeInForce,
)
from markets.journal import FileOrderJournal, OrderJournal
from markets.kalshi.config import KalshiSettings
from markets.kalshi.errors import VENUE
from markets.kalshi.execution.feed import PrivateFeed
from markets.kalshi.execution.intake import EvidenceIntake
from markets.kalshi.execution.lookup import VenueLookup
from markets.kalshi.execution.options import ExecutionOptions
from markets.kalshi.execution.preflight import PreflightResult, preflight
from markets.kalshi.execution.queries import OrderQueries
from markets.kalshi.execution.reconcile import Reconciler
from markets.kalshi.execution.settings import engine_settings, signer_for
from markets.kalshi.execution.submit import SubmitPath
from markets.kalshi.execution.tracker import OrderTracker
from markets.kalshi.execution.validate import BalanceGate, MarketCache
from markets.kalshi.models import KalshiFill, KalshiOrder
from markets.kalshi.rest import ORDER_ENTRY_PATH, KalshiRestClient
from markets.kalshi.ws import KalshiWebSocket
from shared.aio import wait_event
from shared.config import default_data_dir
from shared.errors import AuthOrClock
from shared.prices import Venue, cents_to_price

log = logging.getLogger(__name__)
CAPABILITIES = Capabilities(
    time_in_force=frozenset({"gtc", "gtd", "ioc", "fok"}), venue_idempotency=True, push_updates=True
)


def new_client_order_id() -> str:
    """A fresh idempotency key (``arb-`` + 32 hex digits); derive it once and reuse it on every retry."""
    return f"arb-{uuid.uuid4().hex}"


def default_journal(api_key_id: str) -> FileOrderJournal:
    """``$ARBEES_DATA_DIR/journal/kalshi-<api_key_id>.jsonl`` (default ``~/.local/share/arbees``)."""
    base = os.environ.get("ARBEES_DATA_DIR")
    root = Path(base).expanduser() if base else default_data_dir()
    return FileOrderJournal(root / "journal" / f"kalshi-{api_key_id}.jsonl")


class KalshiExecutionEngine:
    """The real Kalshi engine for one API key (see the module docstring).

    Parameters
    ----------
    base_url
        REST root including ``/trade-api/v2``.
    api_key_id, private_key_path
        The API key id and the path of its RSA private key (PEM). ``private_key_path`` may be ``None``
        when ``settings`` carries the key.
    ws_url
        WebSocket URL; derived from ``base_url`` (or ``settings``) when omitted.
    journal
        The durable order journal; defaults to :func:`default_journal`.
    settings
        Budgets, timeouts and retry limits (the arguments above override its endpoint and key).
    clock
        Wall-clock seconds; signs requests and is checked against the venue's clock at start.
    options
        Engine tuning (:class:`~markets.kalshi.execution.options.ExecutionOptions`).
    """

    venue: Venue = "kalshi"
    paper = False
    capabilities = CAPABILITIES

    def __init__(
        self,
        base_url: str,
        api_key_id: str,
        private_key_path: str | Path | None,
        *,
        ws_url: str | None = None,
        journal: OrderJournal | None = None,
        settings: KalshiSettings | None = None,
        clock: Callable[[], float] = time.time,
        options: ExecutionOptions | None = None,
    ) -> None:
        self.settings = engine_settings(base_url, api_key_id, private_key_path, ws_url=ws_url, settings=settings)
        self.options = options or ExecutionOptions()
        self._clock = clock
        signer = signer_for(self.settings, clock)
        self.rest = KalshiRestClient(self.settings, signer=signer)
        self.journal = journal if journal is not None else default_journal(api_key_id)
        self.tracker = OrderTracker()
        self.lookup = VenueLookup(self.rest)
        self.markets = MarketCache(self.rest, self.options.market_ttl_s)
        self.balance_gate = BalanceGate(self.rest, self.options.balance_ttl_s)
        self.intake = EvidenceIntake(self.tracker, self.journal, self.lookup, self.balance_gate)
        self._submit = SubmitPath(
            self.rest, self.lookup, self.tracker, self.journal, self.markets, self.balance_gate, self.options
        )
        self.queries = OrderQueries(
            self.rest, self.lookup, self.tracker, self.intake, self.journal, self.options, self.markets
        )
        self.reconciler = Reconciler(
            self.intake, self.lookup, self.tracker, self.journal, self.options, datetime.now(UTC)
        )
        self._signer = signer
        self.feed = self._new_feed()
        self.preflight: PreflightResult | None = None
        self._runner: asyncio.Task[None] | None = None
        self._reconcile_now = asyncio.Event()
        self._last_full = 0.0
        self._closed = False

    @classmethod
    def from_settings(
        cls,
        settings: KalshiSettings,
        *,
        journal: OrderJournal | None = None,
        clock: Callable[[], float] = time.time,
        options: ExecutionOptions | None = None,
    ) -> KalshiExecutionEngine:
        """The engine for the key in ``settings`` (``KALSHI_*``).

        Raises
        ------
        ValueError
            ``settings`` has no API key.
        """
        if settings.api_key_id is None:
            raise ValueError("the Kalshi execution engine needs KALSHI_API_KEY_ID and a private key")
        return cls(
            settings.base_url, settings.api_key_id, None, settings=settings, journal=journal, clock=clock,
            options=options,
        )  # fmt: skip

    # -- lifecycle -------------------------------------------------------------------------------

    async def start(self) -> None:
        """Check clock, credentials and exchange, recover the journal, then open the private feed.

        Idempotent while running; clears an earlier AuthOrClock latch when the checks pass.

        Raises
        ------
        shared.errors.AuthOrClock
            Clock skew beyond ``options.max_clock_skew_s`` (``clock_skew``) or the key refused (401).
        shared.errors.Retryable
            The exchange or trading is paused (``exchange_inactive``/``trading_inactive``) or unreachable.
        shared.errors.Fatal
            The venue's answers cannot be used (no ``Date`` header, malformed bodies).
        """
        if self._closed:
            raise RuntimeError("this engine was closed; build a new one")
        self.preflight = await preflight(self.rest, self.settings.base_url, self._clock, self.options.max_clock_skew_s)
        self._submit.auth_failure = None
        # Order entry's headers are signed ahead (the body is not signed): no RSA on an order's path.
        self._signer.presign("POST", urlsplit(self.settings.base_url).path + ORDER_ENTRY_PATH)
        await self.reconciler.recover(datetime.now(UTC))
        if self.feed is not None and self.feed.error is not None:
            await self._stop_runner()  # the socket was refused (401) earlier: open a fresh one
            await self.feed.close()
            self.feed = self._new_feed()
        if self._runner is None:
            self._runner = asyncio.create_task(self._run(), name="kalshi-execution")
        if self.feed is not None and not await self.feed.wait_ready(self.options.ws_ready_timeout_s):
            log.warning("kalshi private feed not ready; relying on REST polling", extra={"venue": VENUE})

    async def close(self) -> None:
        """Stop the feed and polling and release connections (idempotent; resting orders stay)."""
        if self._closed:
            return
        self._closed = True
        await self._stop_runner()
        if self.feed is not None:
            await self.feed.close()
        await self.rest.aclose()

    async def __aenter__(self) -> KalshiExecutionEngine:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    # -- orders ----------------------------------------------------------------------------------

    async def place_limit_order(
        self,
        market_ticker: str,
        side: str,  # "yes" | "no"
        price_cents: int,
        quantity: int,
        *,
        action: Literal["buy", "sell"] = "buy",
        time_in_force: TimeInForce = "gtc",
        client_order_id: str | None = None,
        post_only: bool = False,
        expires_at: datetime | None = None,
    ) -> OrderResult:
        """Buy (or, with ``action="sell"``, sell) ``quantity`` contracts of ``side`` at ``price_cents``.

        Parameters
        ----------
        market_ticker
            E.g. ``KXNBAGAME-26NOV23LALBOS-BOS``.
        side
            ``"yes"`` or ``"no"``: the outcome traded; ``price_cents`` is on that outcome's leg.
        price_cents
            Integer cents 1..99 (a float, bool or anything else is refused before sending).
        quantity
            Whole contracts, at least 1.
        client_order_id
            The idempotency key; derived here when omitted (pass the same one to retry safely).

        Returns
        -------
        OrderResult
            As :meth:`submit`; malformed arguments give ``Rejected(sent=False)``.
        """
        cid = client_order_id or new_client_order_id()
        problem = _check_simple(side, price_cents, quantity, action)
        if problem is not None:
            return Rejected(problem, code="invalid_order", client_order_id=cid, sent=False)
        request = OrderRequest(
            client_order_id=cid, market_id=market_ticker, outcome_id=side, side=action,
            limit_price=cents_to_price(price_cents), quantity=Decimal(quantity), time_in_force=time_in_force,
            expires_at=expires_at, post_only=post_only,
        )  # fmt: skip
        return await self.submit(request)

    async def submit(self, request: OrderRequest) -> OrderResult:
        """Place a limit order, idempotent by ``request.client_order_id``.

        ``outcome_id`` is ``yes``/``no``; ``limit_price`` is on that outcome's leg. The intent is
        journalled before the first send and every send carries the same ``client_order_id``.

        Returns
        -------
        OrderResult
            ``Accepted`` (the venue has it, with its current state), ``Rejected`` (``sent=False``: refused
            here — malformed, unknown or inactive market, off tick, below minimum, insufficient balance,
            engine latched after a 401; ``sent=True``: the venue's definitive refusal with its code) or
            ``Unknown`` (the venue may have it; resolved later by :meth:`order_status` or reconciliation,
            never by sending under a new id).
        """
        return await self._submit.submit(request)

    async def cancel(self, client_order_id: str) -> OrderReport | None:
        """Cancel what is left of an order (V2 ``DELETE``); its state afterwards, ``None`` if the venue lacks it.

        Safe to repeat. A cancel whose answer is lost is confirmed by reading the order (never assumed).
        """
        return await self.queries.cancel(client_order_id, self._submit)

    async def cancel_all(self, market_id: str | None = None) -> list[str]:
        """Cancel every resting order of this key (in ``market_id`` when given), one by one.

        Returns the client order ids cancelled (``venue:<order_id>`` for orders placed without one).
        Lists again after cancelling, up to three rounds, to catch orders placed meanwhile.
        """
        return await self.queries.cancel_all(market_id)

    # -- queries ---------------------------------------------------------------------------------

    async def order_status(self, client_order_id: str) -> OrderReport | None:
        """The order as the venue sees it now (fills fetched when the venue counts more than we hold).

        Resolves an ``Unknown`` submit when the venue has the order; ``None`` when it does not.
        """
        return await self.queries.order_status(client_order_id)

    async def order_status_by_venue_id(self, venue_order_id: str) -> OrderReport | None:
        """The order the venue calls ``venue_order_id``; ``None`` when unknown there."""
        return await self.queries.order_status_by_venue_id(venue_order_id)

    async def open_orders(self, market_id: str | None = None) -> list[OrderReport]:
        """Resting orders of this key (in ``market_id`` when given), read from the venue."""
        return await self.queries.open_orders(market_id)

    async def fills_since(self, since: datetime | None = None, cursor: str | None = None) -> FillPage:
        """Fills after ``since`` or after ``cursor``, oldest first, with a cursor to continue from."""
        return await self.queries.fills_since(since, cursor)

    async def positions(self, market_id: str | None = None) -> list[PositionReport]:
        """Open positions (``position_fp`` > 0 → YES contracts, < 0 → NO contracts); ``ticker``-filtered when given."""
        return await self.queries.positions(market_id)

    async def balance(self) -> BalanceReport:
        """Cash available to trade and, as ``total``, cash plus the venue's portfolio value (dollars)."""
        return await self.queries.balance()

    def updates(self) -> AsyncIterator[OrderReport | FillReport]:
        """Order and fill reports as they change, from the WebSocket and from polling, each fill once."""
        return self.tracker.subscribe()

    async def reconcile(self, *, full: bool = True) -> None:
        """Run one REST reconciliation pass now (unknown orders; with ``full``, fills and open orders)."""
        await self.reconciler.cycle(full=full)

    # -- background ------------------------------------------------------------------------------

    def _new_feed(self) -> PrivateFeed | None:
        if not self.options.ws_enabled:
            return None
        ws = KalshiWebSocket.from_settings(self.settings, self._signer)
        return PrivateFeed(ws, self._on_fill, self._on_order, self._want_reconcile)

    async def _stop_runner(self) -> None:
        runner, self._runner = self._runner, None
        if runner is not None:
            runner.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await runner

    async def _run(self) -> None:
        async with asyncio.TaskGroup() as group:
            if self.feed is not None:
                group.create_task(_forever("private feed", self.feed.run))
            group.create_task(_forever("reconciliation", self._poll))

    async def _poll(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            healthy = self.feed is not None and self.feed.healthy
            interval = self.options.poll_interval_s if healthy else self.options.fallback_poll_interval_s
            await wait_event(self._reconcile_now, interval)
            wanted = self._reconcile_now.is_set()
            self._reconcile_now.clear()
            now = loop.time()
            full = wanted or not healthy or now - self._last_full >= self.options.open_check_interval_s
            if full:
                self._last_full = now
            try:
                await self.reconciler.cycle(full=full)
            except AuthOrClock as e:
                self._submit.auth_failure = e  # no new orders until start() passes again (R22)
                log.error("kalshi refused our key or clock while reconciling: %s", e, extra={"venue": VENUE})
            except Exception as e:  # noqa: BLE001 - a failed pass is retried next cycle
                log.warning("kalshi reconciliation failed: %s", e, extra={"venue": VENUE})

    async def _on_fill(self, fill: KalshiFill) -> None:
        await self.intake.fill(fill)

    async def _on_order(self, order: KalshiOrder) -> None:
        await self.intake.order(order)

    async def _want_reconcile(self, reason: str) -> None:
        log.info("kalshi reconciliation requested: %s", reason, extra={"venue": VENUE})
        self._reconcile_now.set()


async def _forever(name: str, run: Callable[[], Awaitable[None]]) -> None:
    while True:
        try:
            await run()
            return
        except Exception as e:  # noqa: BLE001 - background work restarts instead of dying silently
            log.exception("kalshi %s failed (%s); restarting in 1 s", name, e, extra={"venue": VENUE})
            await asyncio.sleep(1.0)


def _check_simple(side: object, price_cents: object, quantity: object, action: object) -> str | None:
    if side not in ("yes", "no"):
        return f"side must be 'yes' or 'no', not {side!r}"
    if action not in ("buy", "sell"):
        return f"action must be 'buy' or 'sell', not {action!r}"
    if isinstance(price_cents, bool) or not isinstance(price_cents, int):
        return f"price_cents must be an int number of cents, not {type(price_cents).__name__} {price_cents!r}"
    if not 1 <= price_cents <= 99:
        return f"price_cents must be 1..99, not {price_cents}"
    if isinstance(quantity, bool) or not isinstance(quantity, int):
        return f"quantity must be an int number of contracts, not {type(quantity).__name__} {quantity!r}"
    if quantity < 1:
        return f"quantity must be at least 1 contract, not {quantity}"
    return None
