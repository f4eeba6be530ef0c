"""A private ``redis-server`` for a replay: its own port and directory, append-only file on.

Money-carrying streams live in Redis, so the replay's server persists every write (``appendfsync
always``) as the compose file's does (``everysec`` there): a restart loses nothing that was acknowledged.
With ``persist=False`` (tests of R12) it keeps nothing on disk (no append-only file, no snapshot): every
start after a kill is an empty Redis.
"""

from __future__ import annotations

import asyncio
import contextlib
import shutil
import socket
from pathlib import Path

from shared.config import ConfigError


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


class RedisServer:
    """``redis-server`` on ``port`` with its data in ``directory``; :meth:`start` again after :meth:`kill`."""

    def __init__(
        self, directory: Path, port: int | None = None, *, fsync: str = "always", persist: bool = True
    ) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            raise ConfigError(
                "REDIS_URL: not set and no redis-server on PATH; install Redis (apt install redis-server) "
                "or set REDIS_URL=redis://host:6379/0"
            )
        self.binary = binary
        self.directory = directory
        self.port = port or free_port()
        self.fsync = fsync
        self.persist = persist
        self._process: asyncio.subprocess.Process | None = None

    @property
    def url(self) -> str:
        """``redis://127.0.0.1:<port>/0``."""
        return f"redis://127.0.0.1:{self.port}/0"

    async def start(self, timeout_s: float = 20.0) -> None:
        """Start the server and wait until it answers."""
        self.directory.mkdir(parents=True, exist_ok=True)
        durability = ("--appendonly", "yes", "--appendfsync", self.fsync) if self.persist else ("--appendonly", "no")
        self._process = await asyncio.create_subprocess_exec(
            self.binary,
            "--port", str(self.port), "--bind", "127.0.0.1", "--dir", str(self.directory),
            *durability, "--save", "",
            "--logfile", str(self.directory / "redis.log"),
            stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL,
        )  # fmt: skip
        async with asyncio.timeout(timeout_s):
            while not await self._answers():
                if self._process.returncode is not None:
                    raise ConfigError(f"redis-server exited with {self._process.returncode}; see {self.directory}")
                await asyncio.sleep(0.05)

    async def _answers(self) -> bool:
        try:
            reader, writer = await asyncio.open_connection("127.0.0.1", self.port)
        except OSError:
            return False
        try:
            writer.write(b"PING\r\n")
            await writer.drain()
            return (await reader.readline()).startswith(b"+PONG")
        except OSError:
            return False
        finally:
            writer.close()
            with contextlib.suppress(OSError):
                await writer.wait_closed()

    async def kill(self) -> None:
        """SIGKILL the server (what a crash looks like) and wait for it to go."""
        if self._process is not None and self._process.returncode is None:
            self._process.kill()
            await self._process.wait()

    async def stop(self) -> None:
        """Stop the server gracefully (SIGTERM), or kill it after a few seconds."""
        process = self._process
        if process is None or process.returncode is not None:
            return
        process.terminate()
        try:
            async with asyncio.timeout(10):
                await process.wait()
        except TimeoutError:
            await self.kill()
