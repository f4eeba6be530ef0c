"""P&L summary, risk gauges against the signal processor's published limits, trading state and fleet."""

from __future__ import annotations

import asyncio
from decimal import Decimal
from pathlib import Path

import httpx
import pytest

from services.signal_processor.config import SignalProcessorSettings
from services.signal_processor.service import SignalProcessorService
from shared.config import load_settings
from shared.messages import utc_now
from shared.runtime.heartbeat import beat
from shared.runtime.infra import Infra
from shared.runtime.runner import run_services
from shared.trading_state import halt
from tests.integration.api.conftest import AUTH, CONTROL_AUTH, LIVE

pytestmark = pytest.mark.integration


async def test_pnl_summary_today_cumulative_breakdowns_and_series(client: httpx.AsyncClient) -> None:
    pnl = (await client.get("/api/v1/pnl/summary", headers=AUTH)).json()
    # Positions: open (unrealized 0.75, fees 0.18) and settled (realized 1.50, fees 0.05).
    cumulative = {k: Decimal(v) for k, v in pnl["cumulative"].items()}
    assert cumulative == {
        "realized": Decimal("1.5"), "unrealized": Decimal("0.75"), "fees": Decimal("0.23"), "net": Decimal("2.02"),
    }  # fmt: skip
    # The only snapshot is 30 minutes old: today either starts from it or (just after midnight) from zero.
    assert Decimal(pnl["today"]["net"]) in (Decimal("2.02"), Decimal("1.5") + Decimal("0.25") - Decimal("0.13"))
    assert {b["key"]: Decimal(b["net"]) for b in pnl["by_venue"]} == {"kalshi": Decimal("2.02")}
    assert {b["key"] for b in pnl["by_sport"]} == {"nba", "unknown"}  # the settled one's game is not catalogued
    assert {b["key"]: Decimal(b["net"]) for b in pnl["by_strategy"]} == {
        "model_edge": Decimal("0.57"), "unknown": Decimal("1.45"),
    }  # fmt: skip
    series = pnl["series"]
    assert len(series) == 2 and Decimal(series[0]["net"]) == Decimal("0.4") and series[-1]["ts"] == pnl["as_of"]


async def test_risk_gauges_without_and_with_published_limits(
    client: httpx.AsyncClient, infra: Infra, redis_url: str, database_url: str, tmp_path: Path
) -> None:
    risk = (await client.get("/api/v1/risk", headers=AUTH)).json()
    gauges = {g["name"]: g for g in risk["gauges"]}
    assert set(gauges) == {"total_exposure", "game_exposure", "sport_exposure", "daily_loss", "orders_per_minute"}
    assert all(g["limit"] is None for g in gauges.values()) and risk["limits"] == {}
    assert Decimal(gauges["total_exposure"]["used"]) == Decimal("5.65")  # the open position's cost basis
    assert Decimal(gauges["game_exposure"]["used"]) == Decimal("5.81") and LIVE in gauges["game_exposure"]["label"]
    assert Decimal(gauges["sport_exposure"]["used"]) == Decimal("5.65") and "nba" in gauges["sport_exposure"]["label"]
    assert gauges["orders_per_minute"]["used"] == "1" and gauges["orders_per_minute"]["unit"] == "count"
    assert risk["recent_denials"] == [{"reason_code": "max_game_exposure", "count": 1}]
    assert risk["trading"]["state"] == "active"

    settings = load_settings(
        SignalProcessorSettings,
        redis_url=redis_url,
        database_url=database_url,
        data_dir=tmp_path,
        health_port=0,
        heartbeat_interval_s=0.5,
        max_orders_per_minute=60,
    )
    await _start_signal_processor(infra, settings)
    risk = (await client.get("/api/v1/risk", headers=AUTH)).json()
    gauges = {g["name"]: g for g in risk["gauges"]}
    assert risk["limits"]["max_total_exposure_cents"] == "50000"
    assert Decimal(gauges["total_exposure"]["limit"]) == Decimal("500")
    assert Decimal(gauges["daily_loss"]["limit"]) == Decimal("250")
    assert gauges["orders_per_minute"]["limit"] == "60"


async def _start_signal_processor(infra: Infra, settings: SignalProcessorSettings) -> None:
    """Run the signal processor until it is up (it publishes its limits at start-up), then stop it."""
    stopping, ready = asyncio.Event(), asyncio.Event()
    task = asyncio.create_task(
        run_services(
            [SignalProcessorService(settings)],
            infra,
            stopping=stopping,
            ready=ready,
            install_signals=False,
            serve_health=False,
        )
    )
    try:
        await asyncio.wait_for(ready.wait(), timeout=10)
    finally:
        stopping.set()
        await asyncio.wait_for(task, timeout=10)


async def test_trading_state_on_the_read_scope(client: httpx.AsyncClient, infra: Infra) -> None:
    state = (await client.get("/api/v1/trading-state", headers=AUTH)).json()
    assert state["state"] == "active" and state["halted"] is False
    async with infra.pool.acquire() as conn:
        await halt(conn, "drawdown", "test")
    state = (await client.get("/api/v1/trading-state", headers=AUTH)).json()
    assert (state["state"], state["halted"], state["reason"], state["source"]) == ("halted", True, "drawdown", "test")
    assert state["since"] is not None


async def test_fleet_lists_heartbeats_shards_and_circuits(client: httpx.AsyncClient, infra: Infra) -> None:
    now = utc_now()
    await beat(infra.redis, "game_shard", "host-1", now, 5.0, "ok", {"games": 1})
    since = now.isoformat()
    details: dict[str, str | int | float | bool] = {
        "mode": "paper",
        "circuit.kalshi": "open: 3 consecutive server failures, last: venue_busy",
        "circuit.kalshi.since": since,
        "circuit.polymarket": "closed",
    }
    await beat(infra.redis, "execution_service", "host-1", now, 5.0, "degraded", details)
    fleet = (await client.get("/api/v1/fleet", headers=AUTH)).json()
    services = {s["service"]: s for s in fleet["services"]}
    assert services["game_shard"]["healthy"] is True and services["game_shard"]["details"] == {"games": 1}
    assert services["execution_service"]["healthy"] is False and services["execution_service"]["status"] == "degraded"
    assert fleet["shards"] == [{"shard_id": "shard-a", "games": [LIVE]}]
    circuits = {c["venue"]: c for c in fleet["circuits"]}
    assert circuits["kalshi"]["state"] == "open" and "venue_busy" in circuits["kalshi"]["reason"]
    assert circuits["kalshi"]["since"] is not None
    assert circuits["polymarket"] == {"venue": "polymarket", "state": "closed", "reason": None, "since": None}


@pytest.mark.parametrize("path", ["/api/v1/pnl/summary", "/api/v1/risk", "/api/v1/trading-state", "/api/v1/fleet"])
async def test_overview_routes_need_the_read_token(client: httpx.AsyncClient, path: str) -> None:
    assert (await client.get(path)).status_code == 401
    assert (await client.get(path, headers={"Authorization": "Bearer wrong"})).status_code == 401
    assert (await client.get(path, headers=CONTROL_AUTH)).status_code == 401  # the control token is not a read token
    assert (await client.post(path, headers=AUTH)).status_code == 405
