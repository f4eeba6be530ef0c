"""Submit handler: persist the order before it leaves, place it once, record what the venue answered.

The order row is committed as ``submitted`` *before* the engine is called, so a crash after sending
leaves evidence: the redelivered command finds the row and the engine resolves the order by its
``client_order_id`` (its journal) instead of placing a second one. The venue's answer, new fills and
the events that follow are then written in the consumer's unit of work together with the inbox row.
"""

from __future__ import annotations

import logging

import asyncpg

from markets.base import Accepted, ExecutionEngine, OrderRequest, Rejected, Unknown
from services.execution_service.ledger import OrderContext, persist_before_send, record_report, record_status
from shared.db.uow import UnitOfWork
from shared.messages import Message, SubmitOrder
from shared.orders.state import TERMINAL, OrderStatus
from shared.prices import Venue

log = logging.getLogger(__name__)


class SubmitHandler:
    """Places each approved intent once (idempotent by ``client_order_id``)."""

    def __init__(self, engines: dict[Venue, ExecutionEngine], pool: asyncpg.Pool, disabled: dict[Venue, str]) -> None:
        self.engines = engines
        self.pool = pool
        self.disabled = disabled

    async def __call__(self, message: Message, uow: UnitOfWork) -> None:
        assert isinstance(message, SubmitOrder)
        cmd = message
        engine = self.engines.get(cmd.venue)
        ctx = OrderContext.from_command(cmd, paper=engine.paper if engine else True)
        async with self.pool.acquire() as conn:
            existing = await persist_before_send(conn, ctx)
        if existing is not None and OrderStatus(existing) in TERMINAL:
            log.info("order already final; not re-sent", extra={"client_order_id": cmd.client_order_id})
            return
        if engine is None:
            reason = self.disabled.get(cmd.venue, f"no execution engine for {cmd.venue}")
            await record_status(uow, ctx, OrderStatus.REJECTED, f"venue disabled: {reason}")
            return
        outcome = await engine.submit(
            OrderRequest(
                client_order_id=cmd.client_order_id,
                market_id=cmd.market_id,
                outcome_id=cmd.outcome_id,
                side=cmd.side,
                limit_price=cmd.limit_price,
                quantity=cmd.quantity,
                time_in_force=cmd.time_in_force,
                tick_size=cmd.tick_size,
            )
        )
        if isinstance(outcome, Accepted):
            await record_report(uow, ctx, outcome.report)
        elif isinstance(outcome, Rejected):
            await record_status(uow, ctx, OrderStatus.REJECTED, f"{outcome.code}: {outcome.reason}")
        elif isinstance(outcome, Unknown):
            await record_status(uow, ctx, OrderStatus.UNKNOWN, outcome.reason)
