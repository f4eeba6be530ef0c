"""Recording what the venue says about an order: the orders row, new fills, and the events that follow.

Used by the submit handler (right after a submit) and by reconciliation (later changes of resting or
unknown orders). Fills are inserted once (unique venue trade id per order); only a new fill emits
``OrderFilled``; every status change emits ``OrderUpdated`` with a deterministic id, so a replay dedupes.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from markets.base import FillReport, OrderReport
from shared.bus import keys
from shared.db.uow import UnitOfWork
from shared.messages import OrderFilled, OrderUpdated, SubmitOrder, derive_id
from shared.orders.state import OrderStatus
from shared.prices import Venue

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class OrderContext:
    """What we know about an order independently of the venue's answer."""

    client_order_id: str
    intent_id: str | None
    venue: Venue
    game_id: str
    market_id: str
    outcome_id: str
    side: str
    limit_price: Decimal
    quantity: Decimal
    time_in_force: str
    paper: bool
    correlation_id: uuid.UUID
    causation_id: uuid.UUID | None = None

    @classmethod
    def from_command(cls, cmd: SubmitOrder, paper: bool) -> OrderContext:
        """The context of an approved intent."""
        return cls(
            client_order_id=cmd.client_order_id,
            intent_id=cmd.intent_id,
            venue=cmd.venue,
            game_id=cmd.game_id,
            market_id=cmd.market_id,
            outcome_id=cmd.outcome_id,
            side=cmd.side,
            limit_price=cmd.limit_price,
            quantity=cmd.quantity,
            time_in_force=cmd.time_in_force,
            paper=paper,
            correlation_id=cmd.correlation_id,
            causation_id=cmd.message_id,
        )

    @classmethod
    def from_row(cls, row: Any) -> OrderContext:
        """The context of a stored order."""
        return cls(
            client_order_id=row["client_order_id"],
            intent_id=row["intent_id"],
            venue=row["venue"],
            game_id=row["game_id"],
            market_id=row["market_id"],
            outcome_id=row["outcome_id"],
            side=row["side"],
            limit_price=row["limit_price"],
            quantity=row["quantity"],
            time_in_force=row["time_in_force"],
            paper=row["paper"],
            correlation_id=row["correlation_id"] or derive_id("order", row["client_order_id"]),
        )


async def persist_before_send(conn: Any, ctx: OrderContext) -> str | None:
    """Write the order as ``submitted`` before it leaves the process; return the status it already had."""
    existing = await conn.fetchval("SELECT status FROM orders WHERE client_order_id = $1", ctx.client_order_id)
    if existing is not None:
        return str(existing)
    await conn.execute(
        """INSERT INTO orders (client_order_id, intent_id, venue, game_id, market_id, outcome_id, side, limit_price,
               quantity, status, paper, correlation_id, time_in_force)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) ON CONFLICT DO NOTHING""",
        ctx.client_order_id,
        ctx.intent_id,
        ctx.venue,
        ctx.game_id,
        ctx.market_id,
        ctx.outcome_id,
        ctx.side,
        ctx.limit_price,
        ctx.quantity,
        OrderStatus.SUBMITTED.value,
        ctx.paper,
        ctx.correlation_id,
        ctx.time_in_force,
    )
    return None


async def record_report(uow: UnitOfWork, ctx: OrderContext, report: OrderReport) -> bool:
    """Store the venue's view of the order and its new fills; emit events. True if anything changed."""
    before = await uow.conn.fetchrow(
        "SELECT status, filled_quantity FROM orders WHERE client_order_id = $1 FOR UPDATE", ctx.client_order_id
    )
    new_fills = [fill for fill in report.fills if await _insert_fill(uow, ctx, fill)]
    changed = (
        before is None
        or before["status"] != report.status.value
        or before["filled_quantity"] != (report.filled_quantity)
    )
    await uow.conn.execute(
        """UPDATE orders SET venue_order_id = COALESCE($2, venue_order_id), status = $3, filled_quantity = $4,
               avg_fill_price = $5, reason = $6, updated_at = now() WHERE client_order_id = $1""",
        ctx.client_order_id,
        report.venue_order_id,
        report.status.value,
        report.filled_quantity,
        report.avg_fill_price,
        report.reason,
    )
    for fill in new_fills:
        await uow.emit(keys.FILLS, _filled(ctx, fill))
    if changed or new_fills:
        await uow.emit(keys.ORDER_EVENTS, _updated(ctx, report.status, report, report.reason))
    return bool(changed or new_fills)


async def record_status(uow: UnitOfWork, ctx: OrderContext, status: OrderStatus, reason: str) -> None:
    """Store a status without a venue report (rejected, unknown) and emit the update."""
    await uow.conn.execute(
        "UPDATE orders SET status = $2, reason = $3, updated_at = now() WHERE client_order_id = $1",
        ctx.client_order_id,
        status.value,
        reason,
    )
    await uow.emit(keys.ORDER_EVENTS, _updated(ctx, status, None, reason))
    log.warning("order not filled", extra={"client_order_id": ctx.client_order_id, "status": status, "reason": reason})


async def _insert_fill(uow: UnitOfWork, ctx: OrderContext, fill: FillReport) -> bool:
    status = await uow.conn.execute(
        """INSERT INTO fills (venue, venue_trade_id, client_order_id, venue_order_id, game_id, market_id,
               outcome_id, side, price, quantity, fee, liquidity, paper, ts)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) ON CONFLICT DO NOTHING""",
        ctx.venue,
        fill.venue_trade_id,
        ctx.client_order_id,
        fill.venue_order_id,
        ctx.game_id,
        ctx.market_id,
        ctx.outcome_id,
        ctx.side,
        fill.price,
        fill.quantity,
        fill.fee,
        fill.liquidity,
        ctx.paper,
        fill.ts,
    )
    inserted = bool(status.endswith(" 1"))
    if inserted:
        log.info(
            "order filled",
            extra={
                "client_order_id": ctx.client_order_id,
                "venue": ctx.venue,
                "price": str(fill.price),
                "quantity": str(fill.quantity),
                "fee": str(fill.fee),
                "paper": ctx.paper,
            },
        )
    return inserted


def _filled(ctx: OrderContext, fill: FillReport) -> OrderFilled:
    return OrderFilled(
        message_id=derive_id("fill", ctx.venue, fill.venue_trade_id, ctx.client_order_id),
        correlation_id=ctx.correlation_id,
        causation_id=ctx.causation_id,
        client_order_id=ctx.client_order_id,
        venue_order_id=fill.venue_order_id,
        venue_trade_id=fill.venue_trade_id,
        venue=ctx.venue,
        game_id=ctx.game_id,
        market_id=ctx.market_id,
        outcome_id=ctx.outcome_id,
        side="buy" if ctx.side == "buy" else "sell",
        price=fill.price,
        quantity=fill.quantity,
        fee=fill.fee,
        liquidity=fill.liquidity,
        paper=ctx.paper,
        ts_event=fill.ts,
    )


def _updated(ctx: OrderContext, status: OrderStatus, report: OrderReport | None, reason: str | None) -> OrderUpdated:
    filled = report.filled_quantity if report else Decimal(0)
    return OrderUpdated(
        message_id=derive_id("order-update", ctx.client_order_id, status.value, filled),
        correlation_id=ctx.correlation_id,
        causation_id=ctx.causation_id,
        client_order_id=ctx.client_order_id,
        venue_order_id=report.venue_order_id if report else None,
        venue=ctx.venue,
        market_id=ctx.market_id,
        outcome_id=ctx.outcome_id,
        side="buy" if ctx.side == "buy" else "sell",
        status=status,
        limit_price=ctx.limit_price,
        quantity=ctx.quantity,
        filled_quantity=filled,
        avg_fill_price=report.avg_fill_price if report else None,
        reason=reason,
        paper=ctx.paper,
    )
