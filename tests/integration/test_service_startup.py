"""Start-up as an operator sees it: a refusal stops `arbees run <service>` at once with exit code 2 and a
``configuration error`` naming the setting, a venue that cannot be reached with exit code 1 and one line naming
the service, never a hang or a traceback (subprocesses against the real Redis and PostgreSQL); and a failing
task stops the whole process even when other tasks lose their cancellation."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pytest

from shared.runtime.infra import Infra
from shared.runtime.runner import run_services
from shared.runtime.service import Service, ServiceContext
from tests.unit.kalshi.keys import pkcs8_pem, private_key

pytestmark = pytest.mark.integration

ARBEES = [sys.executable, "-m", "services.cli.main"]
OVERALL_TIMEOUT_S = 120  # only a hang gets anywhere near this
_OURS = ("ARBEES_", "GAME_SHARD_", "SIGNAL_", "EXEC_", "POSITIONS_", "API_", "KALSHI_", "POLYMARKET_")
_WELL_KNOWN = ("REDIS_URL", "DATABASE_URL", "PAPER_TRADING", "LIVE_TRADING_CONFIRMED")


def _run(service: str, **settings: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(_OURS) and k not in _WELL_KNOWN}
    return subprocess.run(
        [*ARBEES, "run", service], capture_output=True, text=True, timeout=OVERALL_TIMEOUT_S, env=env | settings,
        check=False,
    )  # fmt: skip


@pytest.fixture
def busy_port() -> Iterator[int]:
    """A port something else is listening on."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        yield int(s.getsockname()[1])


@pytest.fixture
def base(redis_url: str, database_url: str, tmp_path: Path) -> dict[str, str]:
    return {"REDIS_URL": redis_url, "DATABASE_URL": database_url, "ARBEES_DATA_DIR": str(tmp_path)}


def _refused(result: subprocess.CompletedProcess[str], setting: str) -> None:
    assert result.returncode == 2, result.stderr
    assert "configuration error" in result.stderr and setting in result.stderr, result.stderr
    assert "Traceback" not in result.stderr and "ExceptionGroup" not in result.stderr, result.stderr


def test_a_busy_health_port_stops_start_up_naming_the_setting(base: dict[str, str], busy_port: int) -> None:
    result = _run("signal_processor", **base, ARBEES_HEALTH_PORT=str(busy_port))
    _refused(result, "ARBEES_HEALTH_PORT")
    assert f"127.0.0.1:{busy_port}" in result.stderr


def test_a_busy_api_port_stops_start_up_naming_the_setting(base: dict[str, str], busy_port: int) -> None:
    result = _run("api", **base, ARBEES_HEALTH_PORT="0", API_PORT=str(busy_port))
    _refused(result, "API_PORT")


def test_an_unreachable_venue_stops_start_up_with_one_line_naming_the_service(
    base: dict[str, str], tmp_path: Path
) -> None:
    key = tmp_path / "kalshi.pem"
    key.write_bytes(pkcs8_pem(private_key(0)))
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    port = closed.getsockname()[1]
    closed.close()  # nothing listens there: every connection is refused
    result = _run(
        "execution_service", **base, ARBEES_HEALTH_PORT="0", PAPER_TRADING="0", LIVE_TRADING_CONFIRMED="1",
        KALSHI_API_KEY_ID="key-0001", KALSHI_PRIVATE_KEY_PATH=str(key),
        KALSHI_BASE_URL=f"http://127.0.0.1:{port}/trade-api/v2", KALSHI_WS_URL=f"ws://127.0.0.1:{port}/trade-api/ws/v2",
    )  # fmt: skip
    assert result.returncode == 1, result.stderr
    assert "arbees: execution_service did not start:" in result.stderr and "kalshi" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr and "ExceptionGroup" not in result.stderr, result.stderr


def test_live_mode_without_venue_credentials_is_a_configuration_error(base: dict[str, str]) -> None:
    result = _run("execution_service", **base, ARBEES_HEALTH_PORT="0", PAPER_TRADING="0", LIVE_TRADING_CONFIRMED="1")
    _refused(result, "PAPER_TRADING")
    assert "no venue has credentials" in result.stderr


class _Deaf(Service):
    """One task ignores cancellation and stops only on ``stopping``, as a task inside redis-py's send can
    (cpython gh-86296); another fails once both run."""

    name: ClassVar[str] = "deaf"

    def __init__(self, infra: Infra) -> None:
        super().__init__(infra.settings)
        self.deaf_running = asyncio.Event()
        self.deaf_cancelled = asyncio.Event()

    async def start(self, ctx: ServiceContext) -> None:
        ctx.spawn(self._deaf(ctx.stopping), name="deaf")
        ctx.spawn(self._fail(), name="fails")

    async def _deaf(self, stopping: asyncio.Event) -> None:
        self.deaf_running.set()
        while not stopping.is_set():
            try:
                await stopping.wait()
            except asyncio.CancelledError:
                self.deaf_cancelled.set()  # lost, as the buggy wait_for loses it

    async def _fail(self) -> None:
        await self.deaf_running.wait()
        raise RuntimeError("boom")


async def test_a_failed_task_stops_tasks_that_lost_their_cancellation(infra: Infra) -> None:
    service, stopping = _Deaf(infra), asyncio.Event()
    run = asyncio.create_task(
        run_services([service], infra, stopping=stopping, install_signals=False, serve_health=False)
    )
    done, _ = await asyncio.wait({run}, timeout=OVERALL_TIMEOUT_S)
    stopping.set()  # ends a hung run, so that a regression fails here instead of hanging the suite
    with pytest.raises(ExceptionGroup) as failed:
        await run
    assert done, "a failed task left the process running"
    assert failed.group_contains(RuntimeError, match="boom")
    assert service.deaf_cancelled.is_set()  # the group did cancel it; the stop flag is what ended it
