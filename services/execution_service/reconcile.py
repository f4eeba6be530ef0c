"""Following orders after the submit: resting, partly filled and unknown orders are re-read from the venue.

Every ``interval_s`` each non-terminal order is asked of its engine (``order_status``, which the real
engines answer from the WebSocket and REST, and the paper engine from its book); a changed status or new
fills are recorded as on submit. So is an order the venue already called filled whose fills we do not all
hold yet (an order that executed at once is answered ``filled`` before its fills are listed): it is asked
again until its fills add up, instead of waiting for the slower reconciliation sweep. An order the venue
does not know stays as it is (the reconciliation sweep decides when "not found" becomes final — never for
a pending cancel).

:func:`reconcile_market` does the same at once for one market found closed, inside the submit handler's
unit of work: the venue cancels what rests on a closed market itself (Kalshi), so our rows read ``canceled``
without waiting for the next pass.
"""

from __future__ import annotations

import asyncio
import logging

import asyncpg

from markets.base import ExecutionEngine
from services.execution_service.ledger import OrderContext, record_report
from shared.aio import wait_event
from shared.db.uow import Store, UnitOfWork
from shared.prices import Venue

log = logging.getLogger(__name__)
OPEN_STATUSES = ("submitted", "unknown", "accepted", "partially_filled", "pending_cancel")
MISSING_FILLS_WINDOW_S = 3600.0  # older gaps are the start-up reconciliation's (synthetic fills, R04)


async def reconcile_once(pool: asyncpg.Pool, store: Store, engines: dict[Venue, ExecutionEngine]) -> int:
    """Re-read every open order once; return how many changed."""
    rows = await pool.fetch(
        """SELECT o.* FROM orders o
           WHERE o.status = ANY($1::text[])
              OR (o.filled_quantity > 0 AND o.updated_at > now() - make_interval(secs => $2)
                  AND o.filled_quantity > (SELECT COALESCE(sum(f.quantity), 0) FROM fills f
                                           WHERE f.client_order_id = o.client_order_id))
           ORDER BY o.created_at LIMIT 500""",
        list(OPEN_STATUSES),
        MISSING_FILLS_WINDOW_S,
    )
    changed = 0
    for row in rows:
        engine = engines.get(row["venue"])
        if engine is None:
            continue
        report = await engine.order_status(row["client_order_id"])
        if report is None:
            continue
        async with store.unit_of_work() as uow:
            if await record_report(uow, OrderContext.from_row(row), report):
                changed += 1
    return changed


async def reconcile_market(
    uow: UnitOfWork, engine: ExecutionEngine, venue: Venue, market_id: str, *, skip: str | None, timeout_s: float
) -> int:
    """Re-read our open orders on ``market_id`` (but ``skip``, the order in hand) and record them in ``uow``;
    return how many changed.

    The venue calls together get ``timeout_s`` (a read that fails or is late leaves its order to the loop);
    the database writes are not bounded, so a timeout never cuts a statement of ``uow``'s transaction.
    """
    rows = await uow.conn.fetch(
        """SELECT * FROM orders WHERE venue = $1 AND market_id = $2 AND status = ANY($3::text[])
               AND client_order_id IS DISTINCT FROM $4 ORDER BY created_at LIMIT 500""",
        venue,
        market_id,
        list(OPEN_STATUSES),
        skip,
    )
    deadline = asyncio.get_running_loop().time() + timeout_s
    changed = 0
    for row in rows:
        try:
            async with asyncio.timeout_at(deadline):
                report = await engine.order_status(row["client_order_id"])
        except Exception as e:  # noqa: BLE001 - unknown for now: the loop asks again
            log.warning("order not re-read", extra={"client_order_id": row["client_order_id"], "error": repr(e)})
            if isinstance(e, TimeoutError):
                break
            continue
        if report is not None and await record_report(uow, OrderContext.from_row(row), report):
            changed += 1
    return changed


async def reconcile_loop(
    pool: asyncpg.Pool, store: Store, engines: dict[Venue, ExecutionEngine], interval_s: float, stopping: asyncio.Event
) -> None:
    """Reconcile every ``interval_s`` until ``stopping``."""
    while not stopping.is_set():
        await wait_event(stopping, interval_s)
        try:
            await reconcile_once(pool, store, engines)
        except Exception:  # noqa: BLE001 - a failed pass is retried on the next one
            log.exception("order reconciliation failed")
