"""Serving a simulator app on a port until interrupted (used by ``arbees sim ...``)."""

from __future__ import annotations

import asyncio
import signal
from typing import Any

import uvicorn


async def serve(app: Any, host: str, port: int, *, ready_message: str | None = None) -> None:
    """Run ``app`` with uvicorn until SIGINT/SIGTERM."""
    config = uvicorn.Config(app, host=host, port=port, log_level="warning", lifespan="on", ws_ping_interval=None)
    server = uvicorn.Server(config)
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)

    async def _stop_when_asked() -> None:
        await stop.wait()
        server.should_exit = True

    watcher = asyncio.create_task(_stop_when_asked())
    server.install_signal_handlers = lambda: None  # type: ignore[method-assign]
    if ready_message:
        print(ready_message, flush=True)
    try:
        await server.serve()
    finally:
        watcher.cancel()
