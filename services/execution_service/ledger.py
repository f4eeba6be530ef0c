"""Recording what the venue says about an order: the orders row, new fills, and the events that follow.

Used by the submit handler (right after a submit) and by reconciliation (later changes of resting or
unknown orders). Fills are inserted once (unique venue trade id per order); only a new fill emits
``OrderFilled``; every status change emits ``OrderUpdated`` with a deterministic id, so a replay dedupes.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass, replace
from datetime import UTC, datetime
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
    """Write the order as ``submitted`` before it leaves the process; return the status it already had.

    The insert comes first (one round trip for a new order, the common case). RETURNING tells whether it
    won: a row written earlier (a redelivery, or reconciliation expiring the intent) is returned as the
    status it already had, so the caller never sends an intent closed elsewhere.
    """
    inserted = await conn.fetchval(
        """INSERT INTO orders (client_order_id, intent_id, venue, game_id, market_id, outcome_id, side, limit_price,
               quantity, status, paper, correlation_id, time_in_force)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) ON CONFLICT DO NOTHING
           RETURNING status""",
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
    if inserted is not None:
        return None
    existing = await conn.fetchval("SELECT status FROM orders WHERE client_order_id = $1", ctx.client_order_id)
    return None if existing is None else str(existing)


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


# -- reconciliation (R03/R04) -------------------------------------------------------------------

EXTERNAL_GAME = "external"
EXTERNAL_REASON = "EXTERNAL: found at the venue, not placed by Arbees"
NOT_SENT = "not sent:"
"""Prefix of the reason of an order row that never left the process (ledger L4 skips such rows)."""


async def record_unsent(uow: UnitOfWork, intent: Any, status: OrderStatus, reason: str, *, paper: bool) -> None:
    """Close an approved intent that was never sent: an order row ``status`` with ``reason`` ("not sent: ...").

    Idempotent: an intent that already has an order row is left as it is.
    """
    ctx = OrderContext(
        client_order_id=intent["client_order_id"],
        intent_id=intent["intent_id"],
        venue=intent["venue"],
        game_id=intent["game_id"],
        market_id=intent["market_id"],
        outcome_id=intent["outcome_id"],
        side=intent["side"],
        limit_price=intent["limit_price"],
        quantity=intent["quantity"],
        time_in_force="ioc",
        paper=paper,
        correlation_id=derive_id("order", intent["client_order_id"]),
    )
    inserted = await _insert_order(uow.conn, ctx, status, f"{NOT_SENT} {reason}", None)
    if inserted:
        await uow.emit(keys.ORDER_EVENTS, _updated(ctx, status, None, f"{NOT_SENT} {reason}"))
        log.warning("intent not sent", extra={"client_order_id": ctx.client_order_id, "reason": reason})


async def record_external(uow: UnitOfWork, venue: Venue, report: OrderReport, paper: bool) -> OrderContext:
    """Store an order found at the venue that we did not place: a row tagged EXTERNAL, then its report."""
    cid = report.client_order_id or f"venue:{report.venue_order_id}"
    ctx = OrderContext(
        client_order_id=cid,
        intent_id=None,
        venue=venue,
        game_id=EXTERNAL_GAME,
        market_id=report.market_id,
        outcome_id=report.outcome_id,
        side=report.side,
        limit_price=report.limit_price if report.limit_price is not None else Decimal(0),
        quantity=report.quantity,
        time_in_force="gtc",
        paper=paper,
        correlation_id=derive_id("order", cid),
    )
    await _insert_order(uow.conn, ctx, report.status, EXTERNAL_REASON, None)
    await record_report(uow, ctx, replace(report, client_order_id=cid, reason=EXTERNAL_REASON))
    return ctx


async def close_fill_gap(uow: UnitOfWork, ctx: OrderContext, report: OrderReport) -> bool:
    """Add one synthetic fill when the venue counts more filled than the fills it listed (R04).

    Its id is a pure function of the order and the filled quantity it brings the order to, so running
    reconciliation again adds nothing. True if a fill was added.
    """
    have = await uow.conn.fetchval(
        "SELECT COALESCE(SUM(quantity), 0) FROM fills WHERE client_order_id = $1", ctx.client_order_id
    )
    gap = report.filled_quantity - have
    if gap <= 0:
        return False
    trade_id = f"recon-{derive_id('reconcile-fill', ctx.venue, ctx.client_order_id, report.filled_quantity).hex}"
    fill = FillReport(
        venue_trade_id=trade_id,
        client_order_id=ctx.client_order_id,
        venue_order_id=report.venue_order_id,
        price=report.avg_fill_price if report.avg_fill_price is not None else ctx.limit_price,
        quantity=gap,
        fee=Decimal(0),
        liquidity="taker",
        ts=datetime.now(UTC),
    )
    if await _insert_fill(uow, ctx, fill):
        await uow.emit(keys.FILLS, _filled(ctx, fill))
        log.warning(
            "synthetic fill added by reconciliation (venue filled more than it listed)",
            extra={"client_order_id": ctx.client_order_id, "venue": ctx.venue, "quantity": str(gap)},
        )
        return True
    return False


async def _insert_order(
    conn: Any, ctx: OrderContext, status: OrderStatus, reason: str, venue_order_id: str | None
) -> bool:
    result = await conn.execute(
        """INSERT INTO orders (client_order_id, intent_id, venue, venue_order_id, game_id, market_id, outcome_id,
               side, limit_price, quantity, status, reason, paper, correlation_id, time_in_force)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) ON CONFLICT DO NOTHING""",
        ctx.client_order_id,
        ctx.intent_id,
        ctx.venue,
        venue_order_id,
        ctx.game_id,
        ctx.market_id,
        ctx.outcome_id,
        ctx.side,
        ctx.limit_price,
        ctx.quantity,
        status.value,
        reason,
        ctx.paper,
        ctx.correlation_id,
        ctx.time_in_force,
    )
    return bool(result.endswith(" 1"))
