"""Submit handler: persist the order before it leaves, check it, place it once, record what the venue answered.

The order row is committed as ``submitted`` *before* the engine is called, so a crash after sending
leaves evidence: the redelivered command finds the row and the engine resolves the order by its
``client_order_id`` (its journal) instead of placing a second one. The venue's answer, new fills and
the events that follow are then written in the consumer's unit of work together with the inbox row.

Immediately before the venue call the execution-time checks run (see ``gates``: halted, expired, stale
book, price moved). A refused first send is stored as ``rejected`` with ``"<code>: <reason>"``. A refused
redelivery (the row existed: the earlier attempt may have reached the venue) is not sent either: the
venue is asked by ``client_order_id``, and the order is recorded as the venue has it, or left ``unknown``
for reconciliation. The venue call is bounded by ``submit_timeout_s``: no answer in time is ``unknown``
(resolved later by ``client_order_id``), never a rejection and never a blind re-send.

When an answer shows the order's market closed (the venue circuit's ``market_closed`` verdict), our resting
orders on that market are cancelled before the next order is handled, and later orders to it are refused
(``market_closed: ...``); see ``circuit``. Our other open orders on that market are then read back from the
venue and recorded in the same unit of work (``reconcile.reconcile_market``): Kalshi refuses cancels on a
closed market (``MARKET_INACTIVE``) and cancels what rests there itself, so the rows end ``canceled`` as
the venue has them, never left ``pending_cancel`` by a refused cancel and never re-sent.
"""

from __future__ import annotations

import asyncio
import logging

import asyncpg

from markets.base import Accepted, ExecutionEngine, OrderRequest, OrderResult, Rejected, Unknown
from services.execution_service.circuit import VenueCircuit, cancel_market_orders
from services.execution_service.gates import ExecutionGates, Refusal
from services.execution_service.ledger import OrderContext, persist_before_send, record_report, record_status
from services.execution_service.reconcile import reconcile_market
from shared.db.uow import UnitOfWork
from shared.messages import Message, SubmitOrder
from shared.orders.state import TERMINAL, OrderStatus
from shared.prices import Venue
from shared.tracing import TRACE

log = logging.getLogger(__name__)
VENUE_TIMEOUT = "venue_timeout"


class SubmitHandler:
    """Places each approved intent once (idempotent by ``client_order_id``).

    ``gates`` runs the execution-time checks (the service always passes them; ``None`` skips them, for
    tests of the engines alone). ``submit_timeout_s`` bounds each venue call.
    """

    def __init__(
        self,
        engines: dict[Venue, ExecutionEngine],
        pool: asyncpg.Pool,
        disabled: dict[Venue, str],
        *,
        gates: ExecutionGates | None = None,
        submit_timeout_s: float = 10.0,
        circuit: VenueCircuit | None = None,
    ) -> None:
        self.engines = engines
        self.pool = pool
        self.disabled = disabled
        self.gates = gates
        self.circuit = circuit
        self.submit_timeout_s = submit_timeout_s

    async def __call__(self, message: Message, uow: UnitOfWork) -> None:
        assert isinstance(message, SubmitOrder)
        cmd = message
        engine = self.engines.get(cmd.venue)
        ctx = OrderContext.from_command(cmd, paper=engine.paper if engine else True)
        circuit = self._circuit_refusal(cmd) if engine is not None else None
        # The row is written and the checks are read at the same time: both are done before anything is sent.
        existing, checked = await asyncio.gather(
            self._persist(ctx), self._check(cmd, engine) if engine is not None and circuit is None else _nothing()
        )
        if existing is not None and OrderStatus(existing) in TERMINAL:
            log.info("order already final; not re-sent", extra={"client_order_id": cmd.client_order_id})
            return
        if engine is None:
            reason = self.disabled.get(cmd.venue, f"no execution engine for {cmd.venue}")
            await record_status(uow, ctx, OrderStatus.REJECTED, f"venue disabled: {reason}")
            return
        refusal = circuit or checked
        if refusal is not None:
            await self._refuse(uow, ctx, engine, refusal, first_send=existing is None)
            return
        TRACE.link("submit->order", cmd.message_id, cmd.client_order_id)
        TRACE.stamp("order.sending", cmd.client_order_id)
        try:
            outcome = await self._submit(engine, cmd)
        except Exception as e:
            await self._record(engine, cmd, e)
            raise
        newly_closed = await self._record(engine, cmd, outcome)
        if isinstance(outcome, Accepted):
            await record_report(uow, ctx, outcome.report)
        elif isinstance(outcome, Rejected):
            await record_status(uow, ctx, OrderStatus.REJECTED, f"{outcome.code}: {outcome.reason}")
        elif isinstance(outcome, Unknown):
            await record_status(uow, ctx, OrderStatus.UNKNOWN, outcome.reason)
        if newly_closed:
            await self._record_closed_market(uow, engine, cmd)

    async def _persist(self, ctx: OrderContext) -> str | None:
        async with self.pool.acquire() as conn:
            return await persist_before_send(conn, ctx)

    async def _record(self, engine: ExecutionEngine, cmd: SubmitOrder, result: OrderResult | BaseException) -> bool:
        """Tell the circuit what the venue answered; a market newly found closed has its resting orders
        cancelled (True then)."""
        if self.circuit is None:
            return False
        was_closed = self.circuit.market_closed(cmd.venue, cmd.market_id)
        self.circuit.record(cmd.venue, result, cmd.market_id)
        if was_closed is None and self.circuit.market_closed(cmd.venue, cmd.market_id) is not None:
            await cancel_market_orders(engine, cmd.market_id, self.submit_timeout_s)
            return True
        return False

    async def _record_closed_market(self, uow: UnitOfWork, engine: ExecutionEngine, cmd: SubmitOrder) -> None:
        """Record our other open orders on a market just found closed as the venue has them now (venue reads
        bounded by ``submit_timeout_s``; what is not read in time is left to the reconciliation loop)."""
        changed = await reconcile_market(
            uow, engine, cmd.venue, cmd.market_id, skip=cmd.client_order_id, timeout_s=self.submit_timeout_s
        )
        log.info("closed market: our orders recorded", extra={"venue": cmd.venue, "market_id": cmd.market_id,
                                                              "changed": changed})  # fmt: skip

    def _circuit_refusal(self, cmd: SubmitOrder) -> Refusal | None:
        """The venue circuit's refusal (R20), if it is open for this venue or market."""
        why = self.circuit.allow(cmd.venue, cmd.market_id) if self.circuit is not None else None
        if why is None:
            return None
        code, _, reason = why.partition(": ")
        return Refusal(code, reason)

    async def _check(self, cmd: SubmitOrder, engine: ExecutionEngine) -> Refusal | None:
        if self.gates is None:
            return None
        try:
            async with asyncio.timeout(self.submit_timeout_s):
                return await self.gates.refusal(cmd, engine)
        except TimeoutError:
            return Refusal(VENUE_TIMEOUT, f"checks before sending took over {self.submit_timeout_s}s")

    async def _refuse(
        self, uow: UnitOfWork, ctx: OrderContext, engine: ExecutionEngine, refusal: Refusal, *, first_send: bool
    ) -> None:
        log.warning(
            "intent not sent: %s", refusal.code, extra={"client_order_id": ctx.client_order_id, "reason": str(refusal)}
        )
        if first_send:
            await record_status(uow, ctx, OrderStatus.REJECTED, str(refusal))
            return
        try:
            async with asyncio.timeout(self.submit_timeout_s):
                report = await engine.order_status(ctx.client_order_id)
        except Exception as e:  # noqa: BLE001 - unknown either way: reconciliation asks again
            log.warning("venue not asked about a refused redelivery", extra={"error": repr(e)})
            report = None
        if report is not None:
            await record_report(uow, ctx, report)
        else:
            await record_status(uow, ctx, OrderStatus.UNKNOWN, f"{refusal}; not re-sent, left to reconciliation")

    async def _submit(self, engine: ExecutionEngine, cmd: SubmitOrder) -> OrderResult:
        request = OrderRequest(
            client_order_id=cmd.client_order_id,
            market_id=cmd.market_id,
            outcome_id=cmd.outcome_id,
            side=cmd.side,
            limit_price=cmd.limit_price,
            quantity=cmd.quantity,
            time_in_force=cmd.time_in_force,
            tick_size=cmd.tick_size,
        )
        try:
            async with asyncio.timeout(self.submit_timeout_s):
                return await engine.submit(request)
        except TimeoutError:
            log.warning(
                "venue did not answer a submit in time; outcome unknown",
                extra={"client_order_id": cmd.client_order_id, "venue": cmd.venue, "timeout_s": self.submit_timeout_s},
            )
            return Unknown(
                f"{VENUE_TIMEOUT}: no answer within {self.submit_timeout_s}s; resolved by client_order_id",
                client_order_id=cmd.client_order_id,
            )


async def _nothing() -> None:
    return None
