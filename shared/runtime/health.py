"""The process health endpoint (``/health``) and Prometheus metrics (``/metrics``)."""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
from collections.abc import Awaitable, Callable, Generator, Sequence
from typing import Any

import uvicorn
from fastapi import FastAPI, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from shared.config import ConfigError
from shared.runtime.heartbeat import is_healthy, read_heartbeats


class ServerStartError(ConfigError):
    """An HTTP server could not listen where its settings say; the message names the setting when known."""


def bind_listener(host: str, port: int, *, host_setting: str = "", port_setting: str = "") -> socket.socket:
    """A listening TCP socket on ``host:port`` (port 0: any free port), bound now.

    Binding before serving makes a busy port stop start-up at once with the reason, rather than from
    inside uvicorn (which logs it and calls ``sys.exit``).

    Raises
    ------
    ServerStartError
        ``host`` does not resolve (the message starts with ``host_setting``), or the address is in use
        or not permitted (it starts with ``port_setting``).
    """
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    except OSError as e:
        raise ServerStartError(f"{_named(host_setting)}cannot resolve {host!r} ({e})") from None
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn does; a live listener still refuses
        sock.bind(address)
        sock.listen()
    except OSError as e:
        sock.close()
        reason = os.strerror(e.errno) if e.errno else str(e)
        raise ServerStartError(f"{_named(port_setting)}cannot listen on {host}:{port} ({reason})") from None
    return sock


def _named(setting: str) -> str:
    return f"{setting}: " if setting else ""


class EmbeddedServer(uvicorn.Server):
    """A uvicorn server that leaves signal handling to the Arbees runtime.

    With ``listener`` (see :func:`bind_listener`) it serves on that socket; otherwise uvicorn binds.
    """

    def __init__(self, config: uvicorn.Config, listener: socket.socket | None = None) -> None:
        super().__init__(config)
        self.listener = listener

    @contextlib.contextmanager
    def capture_signals(self) -> Generator[None, None, None]:
        yield

    @property
    def bound_port(self) -> int | None:
        """The port actually bound (useful with port 0)."""
        for server in getattr(self, "servers", []):
            for sock in server.sockets:
                return int(sock.getsockname()[1])
        return None


async def serve_until(server: EmbeddedServer, stopping: asyncio.Event) -> None:
    """Run ``server`` until ``stopping`` is set."""

    async def _watch() -> None:
        await stopping.wait()
        server.should_exit = True

    watcher = asyncio.create_task(_watch())
    try:
        await server.serve(sockets=[server.listener] if server.listener is not None else None)
    except SystemExit:
        # uvicorn exits the process when it cannot bind; turn that into an error of this task.
        host, port = server.config.host, server.config.port
        raise ServerStartError(f"cannot listen on {host}:{port} (address in use or not permitted)") from None
    finally:
        watcher.cancel()
        await asyncio.wait([watcher])  # not ``await watcher``: a cancellation of this task must not be swallowed
        if server.listener is not None:
            server.listener.close()


def health_app(
    services: Sequence[Any],
    redis: Any,
    check_db: Callable[[], Any],
    *,
    problems: Callable[[], list[str]] = list,
    check_timeout_s: float = 2.0,
) -> FastAPI:
    """Build the health app for the services running in this process.

    ``/health`` answers 200 ``ok``, or 503 ``degraded`` with the problems: Redis or the database not
    answering within ``check_timeout_s``, and whatever the services and ``problems`` report (e.g. a
    consumer waiting for Redis).
    """
    app = FastAPI(title="arbees health", docs_url=None, redoc_url=None, openapi_url=None)

    async def check(name: str, probe: Callable[[], Awaitable[Any]], found: list[str]) -> Any:
        try:
            async with asyncio.timeout(check_timeout_s):
                return await probe()
        except Exception as e:  # noqa: BLE001 - any failure is reported, none is raised
            found.append(f"{name}: {type(e).__name__}")
            return None

    @app.get("/health")
    async def health(response: Response) -> dict[str, Any]:
        found: list[str] = []
        await check("redis", redis.ping, found)
        await check("database", check_db, found)
        beats = await check("heartbeats", lambda: read_heartbeats(redis), found)
        fleet = [{**hb.model_dump(mode="json"), "healthy": is_healthy(hb)} for hb in beats or []]
        found += problems()
        for service in services:
            found += service.problems() if hasattr(service, "problems") else []
        if found:
            response.status_code = 503
        return {
            "status": "ok" if not found else "degraded",
            "problems": found,
            "services": {s.name: s.health_details() for s in services},
            "fleet": fleet,
        }

    @app.get("/metrics")
    async def metrics() -> Response:
        return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)

    return app


async def wait_started(server: EmbeddedServer, task: asyncio.Task[None]) -> None:
    """Return once ``server`` listens; raise the task's error if it failed to start."""
    while not server.started:
        if task.done():
            task.result()
            raise ServerStartError("server stopped before it started")
        await asyncio.sleep(0.01)


def make_server(
    app: FastAPI, host: str, port: int, *, host_setting: str = "", port_setting: str = ""
) -> EmbeddedServer:
    """A quiet uvicorn server for ``app``, its socket already bound (port 0: any free port).

    Raises
    ------
    ServerStartError
        ``host:port`` cannot be bound; the message names the setting (see :func:`bind_listener`).
    """
    listener = bind_listener(host, port, host_setting=host_setting, port_setting=port_setting)
    config = uvicorn.Config(app, host=host, port=port, log_level="warning", lifespan="off", access_log=False)
    return EmbeddedServer(config, listener)
