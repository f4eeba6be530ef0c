"""What the start-up reconciliation tests of every venue share: the execution settings, a snapshot of the
ledger tables (running reconciliation twice must not change it) and the ledger check's problems."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from services.execution_service.config import ExecutionSettings
from shared.config import load_settings
from shared.ledger_check import check_ledger
from shared.runtime.infra import Infra


def exec_settings(infra: Infra, tmp_path: Path, **overrides: Any) -> ExecutionSettings:
    """The execution service's settings on the test's Redis and database, with quick timings."""
    s = infra.settings
    return load_settings(
        ExecutionSettings,
        redis_url=s.redis_url,
        database_url=s.database_url,
        data_dir=tmp_path,
        health_port=0,
        stream_block_ms=100,
        stream_claim_idle_ms=500,
        republish_after_s=0,
        **overrides,
    )


async def snapshot(infra: Infra) -> tuple[Any, ...]:
    """Orders, fills and the outbox size, comparable between two reconciliation runs."""
    orders = await infra.pool.fetch(
        "SELECT client_order_id, status, filled_quantity, venue_order_id FROM orders ORDER BY 1"
    )
    fills = await infra.pool.fetch("SELECT venue_trade_id, client_order_id, quantity FROM fills ORDER BY 1, 2")
    outbox = await infra.pool.fetchval("SELECT count(*) FROM outbox")
    return tuple(map(tuple, orders)), tuple(map(tuple, fills)), outbox


async def ledger_problems(infra: Infra) -> list[str]:
    """The ledger check's problems once the outbox is relayed."""
    await infra.relay.flush()
    return (await check_ledger(infra.pool, infra.redis)).problems
