"""The `arbees` command line as a user runs it (subprocesses against the real Redis and PostgreSQL)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time

import asyncpg
import pytest

pytestmark = pytest.mark.integration

ARBEES = [sys.executable, "-m", "services.cli.main"]


def _env(**extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("ARBEES_", "GAME_SHARD_", "SIGNAL_", "EXEC_", "POSITIONS_", "API_"))
    }
    for key in ("REDIS_URL", "DATABASE_URL", "PAPER_TRADING", "LIVE_TRADING_CONFIRMED"):
        env.pop(key, None)
    env.update(extra)
    return env


def _run(*args: str, timeout: float = 60, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*ARBEES, *args], capture_output=True, text=True, timeout=timeout, env=_env(**env), check=False
    )


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.parametrize("command", [[], ["run"], ["migrate"], ["status"], ["demo"]])
def test_every_command_has_help(command: list[str]) -> None:
    result = _run(*command, "--help")
    assert result.returncode == 0, result.stderr
    assert "usage: arbees" in result.stdout


def test_a_bad_setting_stops_start_up_naming_it(tmp_path: object) -> None:
    result = _run(
        "run",
        "signal_processor",
        SIGNAL_MAX_TRADE_NOTIONAL_CENTS="lots",
        REDIS_URL="redis://127.0.0.1:6379/13",
    )
    assert result.returncode == 2
    assert "SIGNAL_MAX_TRADE_NOTIONAL_CENTS" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_service_alone_needs_redis_url(tmp_path: object) -> None:
    result = _run("run", "game_shard", DATABASE_URL="postgresql://postgres@127.0.0.1:5432/postgres")
    assert result.returncode == 2
    assert "REDIS_URL" in result.stderr and "arbees run all" in result.stderr


def test_real_money_without_confirmation_stops_start_up() -> None:
    result = _run("run", "all", PAPER_TRADING="0")
    assert result.returncode == 2 and "LIVE_TRADING_CONFIRMED" in result.stderr


async def test_migrate_on_an_empty_database_is_idempotent(empty_database_url: str) -> None:
    for _ in range(2):
        result = _run("migrate", DATABASE_URL=empty_database_url)
        assert result.returncode == 0, result.stderr
        assert "schema up to date" in result.stdout
    conn = await asyncpg.connect(empty_database_url)
    try:
        assert await conn.fetchval("SELECT count(*) FROM schema_migrations") >= 2
        assert await conn.fetchval("SELECT to_regclass('positions') IS NOT NULL")
    finally:
        await conn.close()


def _wait_for_status(env: dict[str, str], deadline_s: float = 30) -> subprocess.CompletedProcess[str]:
    deadline = time.monotonic() + deadline_s
    while True:
        result = _run("status", timeout=20, **env)
        if result.returncode == 0 or time.monotonic() > deadline:
            return result
        time.sleep(0.5)


@pytest.mark.parametrize("use_redis_url", [True, False], ids=["redis", "in-process-redis"])
def test_run_all_then_status_lists_every_service_healthy_then_sigterm_drains(
    use_redis_url: bool, redis_url: str, database_url: str, tmp_path: object
) -> None:
    env = {
        "DATABASE_URL": database_url,
        "ARBEES_HEALTH_PORT": str(_free_port()),
        "API_PORT": "0",
        "ARBEES_HEARTBEAT_INTERVAL_S": "0.5",
        "ARBEES_DATA_DIR": str(tmp_path),
    }
    if use_redis_url:
        env["REDIS_URL"] = redis_url
    proc = subprocess.Popen(
        [*ARBEES, "run", "all"], env=_env(**env), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        status = _wait_for_status(env)
        assert status.returncode == 0, status.stdout + status.stderr
        for name in ("game_shard", "signal_processor", "execution_service", "position_tracker", "api"):
            assert name in status.stdout
        assert "missing" not in status.stdout and " NO" not in status.stdout
        proc.send_signal(signal.SIGTERM)
        _, stderr = proc.communicate(timeout=30)
        assert proc.returncode == 0, stderr
        assert "all services stopped" in stderr
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
