"""Where a replay's dashboard is and how to log in, and keeping it open after the replay (``--hold``).

The ``api`` process of the fleet serves the built dashboard (``frontend/dist``) next to the API. The read
token is ``API_TOKEN`` when set, else the one the API generated into its data directory; the control token
(halt/resume) likewise (``API_CONTROL_TOKEN``, ``api-control-token``). Tokens are not printed: the user is
told which file holds them.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import socket
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import httpx

from services.cli.replay.redis_server import free_port

BUILD_HINT = "npm --prefix frontend ci && npm --prefix frontend run build (scripts/demo.sh does it)"


def choose_port(wanted: int) -> int:
    """``wanted`` when it is free (0: any free port), else a free one."""
    if wanted == 0:
        return free_port()
    with contextlib.suppress(OSError), socket.socket() as sock:
        sock.bind(("127.0.0.1", wanted))
        return wanted
    return free_port()


@dataclass(frozen=True, slots=True)
class Dashboard:
    """The dashboard's address and where its tokens come from."""

    port: int
    data_dir: Path
    env: Mapping[str, str]

    @property
    def url(self) -> str:
        """The page to open."""
        return f"http://127.0.0.1:{self.port}/"

    def token_hint(self, name: str, setting: str, file_name: str) -> str:
        """Where the token named ``name`` is (the setting the user gave, or the generated file)."""
        if self.env.get(setting) or os.environ.get(setting):
            return f"{name}: the {setting} you set"
        return f"{name}: in {self.data_dir / file_name}"

    def login_lines(self) -> list[str]:
        """What a user needs to log in."""
        return [
            self.token_hint("read token", "API_TOKEN", "api-token"),
            self.token_hint("control token (halt/resume)", "API_CONTROL_TOKEN", "api-control-token"),
        ]

    async def built(self) -> bool:
        """True when the API serves the dashboard page (``frontend/dist`` was built)."""
        try:
            async with httpx.AsyncClient(timeout=5.0) as http:
                answer = await http.get(self.url)
        except httpx.HTTPError:
            return False
        return answer.status_code == 200 and "text/html" in answer.headers.get("content-type", "")

    async def announce_lines(self) -> list[str]:
        """The lines telling the user where to look (or how to build the dashboard first)."""
        if not await self.built():
            return [f"[dashboard] not built, API only at {self.url}api/v1/health; to build it: {BUILD_HINT}"]
        return [f"[dashboard] open {self.url} and log in ({'; '.join(self.login_lines())})"]


async def wait_for_interrupt() -> None:
    """Return on Ctrl-C or SIGTERM."""
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    installed = []
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, stop.set)
            installed.append(sig)
    try:
        await stop.wait()
    finally:
        for sig in installed:
            loop.remove_signal_handler(sig)
