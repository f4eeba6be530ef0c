"""R18 controls: `arbees halt/resume/status`, the API's control scope, and a dead-lettered execution message
halting trading (real Redis and PostgreSQL)."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from typing import Any

import httpx
import pytest

from services.api.app import create_app
from services.execution_service.config import ExecutionSettings
from services.execution_service.service import ExecutionService
from shared.bus import keys
from shared.bus.consumer import ConsumerConfig, StreamConsumer
from shared.config import load_settings
from shared.ledger_check import check_ledger
from shared.messages import SubmitOrder
from shared.runtime.infra import Infra
from shared.runtime.runner import run_services
from shared.trading_state import read_trading_state
from tests.support import eventually

pytestmark = pytest.mark.integration
READ = "read-scope-token-0123456789abcdef"
CONTROL = "control-scope-token-0123456789abcdef"


ARBEES = [sys.executable, "-m", "services.cli.main"]
_PREFIXES = ("ARBEES_", "GAME_SHARD_", "SIGNAL_", "EXEC_", "POSITIONS_", "API_", "REDIS_URL", "DATABASE_URL")


def _env(**extra: str) -> dict[str, str]:
    return {**{k: v for k, v in os.environ.items() if not k.startswith(_PREFIXES)}, **extra}


def _arbees(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*ARBEES, *args], capture_output=True, text=True, timeout=60, env=_env(**env), check=False)


def _status_json(database_url: str, redis_url: str) -> dict[str, Any]:
    result = _arbees("status", "--json", DATABASE_URL=database_url, REDIS_URL=redis_url)
    assert result.returncode in (0, 1), result.stderr  # 1: no service is running here
    trading: dict[str, Any] = json.loads(result.stdout)["trading"]
    return trading


async def test_cli_halt_status_resume(database_url: str, redis_url: str, infra: Infra) -> None:
    env = {"DATABASE_URL": database_url, "REDIS_URL": redis_url}
    blank = await asyncio.to_thread(_arbees, "halt", "--reason", "  ", **env)
    assert blank.returncode == 2 and "--reason" in blank.stderr
    halted = await asyncio.to_thread(_arbees, "halt", "--reason", "venue looks wrong", **env)
    assert halted.returncode == 0, halted.stderr
    assert "trading halted: venue looks wrong" in halted.stdout

    state = await read_trading_state(infra.pool)
    assert state.halted and state.reason == "venue looks wrong" and state.source.startswith("cli:")
    announced = await infra.market_data.latest(keys.TRADING_STATE, "fleet")
    assert announced is not None and announced.model_dump()["state"] == "halted"

    table = await asyncio.to_thread(_arbees, "status", **env)
    assert "trading: HALTED - venue looks wrong (by cli:" in table.stdout
    shown = await asyncio.to_thread(_status_json, database_url, redis_url)
    assert shown["state"] == "halted" and shown["reason"] == "venue looks wrong" and shown["since"]

    resumed = await asyncio.to_thread(_arbees, "resume", **env)
    assert resumed.returncode == 0, resumed.stderr
    assert (await read_trading_state(infra.pool)).state == "active"
    log = await infra.pool.fetch("SELECT state FROM trading_state_log ORDER BY id")
    assert [r["state"] for r in log] == ["active", "halted", "active"]


@pytest.fixture
async def api(infra: Infra) -> Any:
    app = create_app(infra.pool, infra.redis, READ, CONTROL)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://api") as client:
        yield client


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def test_api_control_scope_needs_its_own_token(api: httpx.AsyncClient, infra: Infra) -> None:
    for method, path in (("GET", "/state"), ("POST", "/halt"), ("POST", "/resume")):
        url = f"/api/v1/control{path}"
        body = {"reason": "x"} if method == "POST" else None
        assert (await api.request(method, url, json=body)).status_code == 401
        assert (await api.request(method, url, json=body, headers=_bearer("nope" * 8))).status_code == 401
        assert (await api.request(method, url, json=body, headers=_bearer(READ))).status_code == 403
    assert (await api.get("/api/v1/positions", headers=_bearer(CONTROL))).status_code == 401
    assert (await read_trading_state(infra.pool)).state == "active"


async def test_api_halt_needs_a_reason_then_state_shows_halted(api: httpx.AsyncClient, infra: Infra) -> None:
    headers = _bearer(CONTROL)
    for body in ({}, {"reason": ""}, {"reason": "   "}, {"reason": "x", "extra": 1}):
        refused = await api.post("/api/v1/control/halt", json=body, headers=headers)
        assert refused.status_code == 422 and ("reason" in refused.text or "extra" in refused.text)
    assert (await read_trading_state(infra.pool)).state == "active"

    halted = await api.post("/api/v1/control/halt", json={"reason": "drawdown review"}, headers=headers)
    assert halted.status_code == 200 and halted.json()["halted"] is True
    state = (await api.get("/api/v1/control/state", headers=headers)).json()
    assert (state["state"], state["reason"], state["source"].split(":")[0]) == ("halted", "drawdown review", "api")
    assert state["since"] is not None
    announced = await infra.market_data.latest(keys.TRADING_STATE, "fleet")
    assert announced is not None and announced.model_dump()["reason"] == "drawdown review"

    resumed = await api.post("/api/v1/control/resume", json={"reason": "reviewed"}, headers=headers)
    assert resumed.status_code == 200 and resumed.json()["state"] == "active"
    assert (await read_trading_state(infra.pool)).state == "active"


async def test_a_dead_lettered_order_submit_halts_trading(
    infra: Infra, redis: Any, clean_env: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    clean_env.setenv("ARBEES_DATA_DIR", str(tmp_path))
    service = ExecutionService(load_settings(ExecutionSettings))
    stopping, ready = asyncio.Event(), asyncio.Event()
    run = asyncio.create_task(
        run_services([service], infra, stopping=stopping, ready=ready, install_signals=False, serve_health=False)
    )
    try:
        await asyncio.wait_for(ready.wait(), 60)
        entry = await redis.xadd(keys.ORDER_SUBMIT, {"type": "submit_order", "payload": b"{not json"})
        entry_id = entry.decode()
        state = await eventually(lambda: _halted(infra))
    finally:
        stopping.set()
        await asyncio.wait_for(run, 60)
    assert keys.ORDER_SUBMIT in state.reason and entry_id in state.reason
    assert state.source == "execution_service:dead_letter"
    report = await check_ledger(infra.pool, infra.redis)
    assert report.problems == [f"L3 {keys.dead_letter(keys.ORDER_SUBMIT)}: 1 dead-lettered message(s)"]


async def _halted(infra: Infra) -> Any:
    state = await read_trading_state(infra.pool)
    return state if state.halted else None


async def test_a_failing_dead_letter_hook_leaves_the_entry_pending(infra: Infra, redis: Any) -> None:
    calls: list[tuple[str, str]] = []

    async def hook(stream: str, entry_id: str, reason: str) -> None:
        calls.append((stream, entry_id))
        if len(calls) == 1:
            raise OSError("database unreachable")

    config = ConsumerConfig(
        stream=keys.ORDER_SUBMIT, group="g", consumer="c", accepts=(SubmitOrder,), block_ms=50, retry_backoff_ms=50
    )
    consumer = StreamConsumer(infra.redis, infra.store, config, _never_called, on_dead_letter=hook)
    entry = (await redis.xadd(keys.ORDER_SUBMIT, {"type": "submit_order", "payload": b"{"})).decode()
    stopping = asyncio.Event()
    task = asyncio.create_task(consumer.run(stopping))
    try:
        await eventually(lambda: _async(consumer.state.dead_lettered == 1))
    finally:
        stopping.set()
        await task
    assert calls == [(keys.ORDER_SUBMIT, entry), (keys.ORDER_SUBMIT, entry)]
    assert consumer.state.failures == 1
    assert await redis.xlen(keys.dead_letter(keys.ORDER_SUBMIT)) == 1


async def _never_called(message: Any, uow: Any) -> None:
    raise AssertionError("a malformed entry reached the handler")


async def _async(value: Any) -> Any:
    return value
