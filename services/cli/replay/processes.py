"""Child processes of a replay: started with their own environment, logged to files, stopped gracefully."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path


class Child:
    """One child process: ``argv`` with ``env`` added to ours, stdout and stderr to ``log_path``."""

    def __init__(self, name: str, argv: Sequence[str], env: Mapping[str, str], log_path: Path) -> None:
        self.name = name
        self.argv = list(argv)
        self.env = dict(env)
        self.log_path = log_path
        self.process: asyncio.subprocess.Process | None = None

    async def start(self) -> None:
        """Start it (its output appends to the log file)."""
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        with self.log_path.open("ab") as log:
            self.process = await asyncio.create_subprocess_exec(
                *self.argv, env={**os.environ, **self.env}, stdout=log, stderr=log, stdin=asyncio.subprocess.DEVNULL
            )

    @property
    def running(self) -> bool:
        """True while the process lives."""
        return self.process is not None and self.process.returncode is None

    @property
    def returncode(self) -> int | None:
        """The exit code once it ended."""
        return None if self.process is None else self.process.returncode

    async def stop(self, timeout_s: float = 30.0) -> int | None:
        """SIGTERM (the services drain), then SIGKILL after ``timeout_s``; returns the exit code."""
        process = self.process
        if process is None:
            return None
        if process.returncode is None:
            process.send_signal(signal.SIGTERM)
            try:
                async with asyncio.timeout(timeout_s):
                    await process.wait()
            except TimeoutError:
                process.kill()
                await process.wait()
        return process.returncode

    async def kill(self) -> None:
        """SIGKILL (a crash)."""
        if self.process is not None and self.process.returncode is None:
            self.process.kill()
            await self.process.wait()

    def tail(self, lines: int = 20) -> str:
        """The end of its log, for an error message."""
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


def arbees(*args: str) -> list[str]:
    """argv running ``arbees <args>`` with this interpreter."""
    return [sys.executable, "-m", "services.cli.main", *args]
