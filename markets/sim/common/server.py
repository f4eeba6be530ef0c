"""Serving a simulator app on a port until SIGINT/SIGTERM (used by ``arbees sim ...``)."""

from __future__ import annotations

import asyncio
import signal
from typing import Any

import uvicorn

from shared.runtime.health import EmbeddedServer, serve_until, wait_started


async def serve(
    app: Any, host: str, port: int, *, ready_message: str | None = None, ws_ping_interval_s: float | None = None
) -> None:
    """Run ``app`` until interrupted; print ``ready_message`` once listening.

    ``ws_ping_interval_s`` makes the server send WebSocket ping frames (Kalshi pings every 10 s); ``None``
    sends none (Polymarket's heartbeat is a text PING from the client).
    """
    config = uvicorn.Config(
        app,
        host=host,
        port=port,
        log_level="warning",
        lifespan="on",
        ws_ping_interval=ws_ping_interval_s,
        ws_ping_timeout=ws_ping_interval_s * 3 if ws_ping_interval_s else None,
    )
    server = EmbeddedServer(config)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    task = asyncio.create_task(serve_until(server, stop))
    await wait_started(server, task)
    if ready_message:
        print(ready_message.format(port=server.bound_port), flush=True)
    await task
