"""Following orders after the submit: resting, partly filled and unknown orders are re-read from the venue.

Every ``interval_s`` each non-terminal order is asked of its engine (``order_status``, which the real
engines answer from the WebSocket and REST, and the paper engine from its book); a changed status or new
fills are recorded as on submit. An order the venue does not know stays as it is (a later issue's
reconciliation decides when "not found" becomes final — never for a pending cancel).
"""

from __future__ import annotations

import asyncio
import logging

import asyncpg

from markets.base import ExecutionEngine
from services.execution_service.ledger import OrderContext, record_report
from shared.aio import wait_event
from shared.db.uow import Store
from shared.prices import Venue

log = logging.getLogger(__name__)
OPEN_STATUSES = ("submitted", "unknown", "accepted", "partially_filled", "pending_cancel")


async def reconcile_once(pool: asyncpg.Pool, store: Store, engines: dict[Venue, ExecutionEngine]) -> int:
    """Re-read every open order once; return how many changed."""
    rows = await pool.fetch(
        "SELECT * FROM orders WHERE status = ANY($1::text[]) ORDER BY created_at LIMIT 500", list(OPEN_STATUSES)
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
