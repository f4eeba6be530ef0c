"""The first paper trade end to end: every service in one process on the real Redis and PostgreSQL.

A scripted game and market prices go in; a signal, a risk-approved intent, a paper fill, a position and
its settlement come out, and the position read through the API matches the fill. The ledger is then
checked: one intent, one order, one fill, nothing pending on any stream, nothing dead-lettered, nothing
left in the outbox.
"""

from __future__ import annotations

import asyncio
import contextlib
from decimal import Decimal
from typing import Any

import pytest

from services.api.service import ApiService
from services.cli.demo_cmd import build_demo_services, play
from shared.bus import keys
from shared.config import ArbeesSettings, load_settings
from shared.runtime.heartbeat import is_healthy, read_heartbeats
from shared.runtime.infra import open_infra
from shared.runtime.runner import run_services

pytestmark = pytest.mark.e2e


async def test_scripted_game_becomes_a_filled_paper_trade_visible_through_the_api(
    clean_env: pytest.MonkeyPatch, redis_url: str, database_url: str, tmp_path: Any
) -> None:
    for key, value in {
        "REDIS_URL": redis_url,
        "DATABASE_URL": database_url,
        "ARBEES_DATA_DIR": str(tmp_path),
        "ARBEES_HEALTH_PORT": "0",
        "ARBEES_HEARTBEAT_INTERVAL_S": "0.5",
        "ARBEES_STREAM_BLOCK_MS": "100",
        "POSITIONS_MARK_MIN_INTERVAL_S": "0.2",
    }.items():
        clean_env.setenv(key, value)
    base = load_settings(ArbeesSettings)
    services = build_demo_services()
    api = next(s for s in services if isinstance(s, ApiService))
    stopping, ready = asyncio.Event(), asyncio.Event()
    lines: list[str] = []
    async with open_infra(base, single_process=True) as infra:
        fleet = asyncio.create_task(
            run_services(services, infra, stopping=stopping, ready=ready, install_signals=False)
        )
        try:
            await asyncio.wait_for(ready.wait(), 20)
            position = await play(infra, api, 20, lines.append)
            healthy = {hb.service for hb in await read_heartbeats(infra.redis) if is_healthy(hb)}
            pool = infra.pool
            fills = await pool.fetch("SELECT * FROM fills")
            intents = await pool.fetch("SELECT * FROM order_intents")
            orders = await pool.fetch("SELECT * FROM orders")
        finally:
            stopping.set()
            with contextlib.suppress(asyncio.CancelledError):
                await fleet

        assert healthy >= {"game_shard", "signal_processor", "execution_service", "position_tracker", "api"}
        assert len(intents) == 1 and intents[0]["decision"] == "approved"
        assert len(orders) == 1 and orders[0]["status"] == "filled" and orders[0]["paper"] is True
        assert len(fills) == 1
        fill = fills[0]
        assert fill["client_order_id"] == orders[0]["client_order_id"] == intents[0]["client_order_id"]
        assert fill["quantity"] == intents[0]["quantity"] and fill["price"] == Decimal("0.62")

        # The position as the API reports it matches the fill.
        assert position["status"] == "settled" and position["paper"] is True
        assert Decimal(position["fees_paid"]) == fill["fee"]
        cost = fill["quantity"] * fill["price"]
        assert Decimal(position["realized_pnl"]) == fill["quantity"] * 1 - cost
        assert Decimal(position["net_pnl"]) == fill["quantity"] - cost - fill["fee"]
        assert any(line.startswith("[position]") and f"{fill['quantity']:.0f} yes @ 0.62" in line for line in lines)

        # Nothing lost, nothing doubled.
        redis = infra.redis
        for stream in keys.MONEY_STREAMS:
            if await redis.exists(stream):
                for group in await redis.xinfo_groups(stream):
                    assert group["pending"] == 0, (stream, group)
            assert await redis.exists(keys.dead_letter(stream)) == 0
        assert await pool.fetchval("SELECT count(*) FROM outbox WHERE sent_at IS NULL") == 0
        assert await pool.fetchval("SELECT count(*) FROM signals") == 1
