"""Submit handler: record the order, place it, record what the venue answered and any fills."""

from __future__ import annotations

import logging
from decimal import Decimal

from markets.base import Accepted, ExecutionEngine, OrderReport, OrderRequest, Rejected, Unknown
from shared.bus import keys
from shared.db.uow import UnitOfWork
from shared.messages import Message, OrderFilled, OrderUpdated, SubmitOrder, derive_id
from shared.orders.state import TERMINAL, OrderStatus
from shared.prices import Venue

log = logging.getLogger(__name__)


class SubmitHandler:
    """Places each approved intent once (idempotent by ``client_order_id``)."""

    def __init__(self, engines: dict[Venue, ExecutionEngine]) -> None:
        self.engines = engines

    async def __call__(self, message: Message, uow: UnitOfWork) -> None:
        assert isinstance(message, SubmitOrder)
        cmd = message
        engine = self.engines[cmd.venue]
        current = await uow.conn.fetchval(
            "SELECT status FROM orders WHERE client_order_id = $1 FOR UPDATE", cmd.client_order_id
        )
        if current is not None and OrderStatus(current) in TERMINAL:
            log.info("order already final; not re-sent", extra={"client_order_id": cmd.client_order_id})
            return
        if current is None:
            await _insert_order(uow, cmd, engine.paper)
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
            await self._record(uow, cmd, outcome.report, engine.paper)
        elif isinstance(outcome, Rejected):
            await self._record_status(uow, cmd, OrderStatus.REJECTED, outcome.reason, engine.paper)
        elif isinstance(outcome, Unknown):
            await self._record_status(uow, cmd, OrderStatus.UNKNOWN, outcome.reason, engine.paper)

    async def _record(self, uow: UnitOfWork, cmd: SubmitOrder, report: OrderReport, paper: bool) -> None:
        await uow.conn.execute(
            """UPDATE orders SET venue_order_id = $2, status = $3, filled_quantity = $4, avg_fill_price = $5,
                   reason = $6, updated_at = now() WHERE client_order_id = $1""",
            cmd.client_order_id,
            report.venue_order_id,
            report.status.value,
            report.filled_quantity,
            report.avg_fill_price,
            report.reason,
        )
        for fill in report.fills:
            inserted = await uow.conn.execute(
                """INSERT INTO fills (venue, venue_trade_id, client_order_id, venue_order_id, game_id, market_id,
                       outcome_id, side, price, quantity, fee, liquidity, paper, ts)
                   VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) ON CONFLICT DO NOTHING""",
                cmd.venue,
                fill.venue_trade_id,
                cmd.client_order_id,
                fill.venue_order_id,
                cmd.game_id,
                cmd.market_id,
                cmd.outcome_id,
                cmd.side,
                fill.price,
                fill.quantity,
                fill.fee,
                fill.liquidity,
                paper,
                fill.ts,
            )
            if not inserted.endswith(" 1"):
                continue
            filled: OrderFilled = cmd.caused(
                OrderFilled,
                message_id=derive_id("fill", cmd.venue, fill.venue_trade_id, cmd.client_order_id),
                client_order_id=cmd.client_order_id,
                venue_order_id=fill.venue_order_id,
                venue_trade_id=fill.venue_trade_id,
                venue=cmd.venue,
                game_id=cmd.game_id,
                market_id=cmd.market_id,
                outcome_id=cmd.outcome_id,
                side=cmd.side,
                price=fill.price,
                quantity=fill.quantity,
                fee=fill.fee,
                liquidity=fill.liquidity,
                paper=paper,
                ts_event=fill.ts,
            )
            await uow.emit(keys.FILLS, filled)
            log.info(
                "order filled",
                extra={
                    "client_order_id": cmd.client_order_id,
                    "venue": cmd.venue,
                    "price": str(fill.price),
                    "quantity": str(fill.quantity),
                    "fee": str(fill.fee),
                    "paper": paper,
                },
            )
        await uow.emit(keys.ORDER_EVENTS, _update(cmd, report.status, report, paper, report.reason))

    async def _record_status(
        self, uow: UnitOfWork, cmd: SubmitOrder, status: OrderStatus, reason: str, paper: bool
    ) -> None:
        await uow.conn.execute(
            "UPDATE orders SET status = $2, reason = $3, updated_at = now() WHERE client_order_id = $1",
            cmd.client_order_id,
            status.value,
            reason,
        )
        await uow.emit(keys.ORDER_EVENTS, _update(cmd, status, None, paper, reason))
        log.warning(
            "order not filled",
            extra={"client_order_id": cmd.client_order_id, "status": status, "reason": reason},
        )


async def _insert_order(uow: UnitOfWork, cmd: SubmitOrder, paper: bool) -> None:
    await uow.conn.execute(
        """INSERT INTO orders (client_order_id, intent_id, venue, game_id, market_id, outcome_id, side,
               limit_price, quantity, status, paper)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)""",
        cmd.client_order_id,
        cmd.intent_id,
        cmd.venue,
        cmd.game_id,
        cmd.market_id,
        cmd.outcome_id,
        cmd.side,
        cmd.limit_price,
        cmd.quantity,
        OrderStatus.SUBMITTED.value,
        paper,
    )


def _update(
    cmd: SubmitOrder, status: OrderStatus, report: OrderReport | None, paper: bool, reason: str | None
) -> OrderUpdated:
    update: OrderUpdated = cmd.caused(
        OrderUpdated,
        message_id=derive_id(
            "order-update", cmd.client_order_id, status.value, report.filled_quantity if report else 0
        ),
        client_order_id=cmd.client_order_id,
        venue_order_id=report.venue_order_id if report else None,
        venue=cmd.venue,
        market_id=cmd.market_id,
        outcome_id=cmd.outcome_id,
        side=cmd.side,
        status=status,
        limit_price=cmd.limit_price,
        quantity=cmd.quantity,
        filled_quantity=report.filled_quantity if report else Decimal(0),
        avg_fill_price=report.avg_fill_price if report else None,
        reason=reason,
        paper=paper,
    )
    return update
