"""The Polymarket simulator as one ASGI app: CLOB at ``/``, Gamma at ``/gamma``, WebSockets, geoblock, ``/_sim``.

Background work (delayed matches, trade status progression, GTD expiry, the heartbeat dead-man switch,
maker re-quotes) runs in tasks owned by the app's lifespan and cancelled at shutdown.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError

from markets.sim.common.control import control_router
from markets.sim.common.faults import FaultMiddleware, Receive, Scope, Send
from markets.sim.polymarket.auth import AuthError
from markets.sim.polymarket.exchange import OrderError
from markets.sim.polymarket.routes_clob import clob_router
from markets.sim.polymarket.routes_control import sim_router
from markets.sim.polymarket.routes_gamma import gamma_router
from markets.sim.polymarket.state import GEOBLOCK_ERROR, SimConfig, SimState, build_state
from markets.sim.polymarket.stats import timed
from markets.sim.polymarket.wire import error, respond
from markets.sim.polymarket.ws import register_ws

_ERROR_BODIES = {
    403: {"error": GEOBLOCK_ERROR},
    425: {"error": "Too Early: the matching engine is restarting"},
    429: {"error": "Too Many Requests"},
    500: {"error": "Internal server error"},
    503: {"error": "Trading is currently disabled. Check polymarket.com for updates"},
}


def _error_body(status: int) -> Any:
    return _ERROR_BODIES.get(status, {"error": f"HTTP {status}"})


class _RequestLog:
    """Records (method, path) of every client HTTP request (not ``/_sim``) before faults apply.

    Also times the simulator's handling of each (``GET /_sim/stats``).
    """

    def __init__(self, app: Any, state: SimState) -> None:
        self.app, self.state = app, state

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and not str(scope.get("path", "")).startswith("/_sim"):
            self.state.requests.append((scope["method"], scope["path"]))
            await timed(self.app, self.state.stats, scope, receive, send)
            return
        await self.app(scope, receive, send)


async def _heartbeat_watch(state: SimState) -> None:
    while True:
        state.exchange.check_heartbeats()
        await asyncio.sleep(min(1.0, state.exchange.heartbeat_timeout_s / 4))


def build_app(state: SimState | None = None, config: SimConfig | None = None) -> FastAPI:
    """The simulator app; pass a prepared ``state`` (markets seeded) or a ``config``."""
    sim = state or build_state(config)

    @contextlib.asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        tasks = [
            asyncio.create_task(sim.scheduler.run(), name="pm-sim-scheduler"),
            asyncio.create_task(sim.makers.run(), name="pm-sim-makers"),
            asyncio.create_task(_heartbeat_watch(sim), name="pm-sim-heartbeats"),
        ]
        try:
            yield
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)

    app = FastAPI(title="Polymarket simulator", lifespan=lifespan, docs_url=None, redoc_url=None)
    app.state.sim = sim

    @app.exception_handler(AuthError)
    async def _auth(_request: Request, exc: AuthError) -> Response:
        return error(exc.message, exc.status)

    @app.exception_handler(OrderError)
    async def _order(_request: Request, exc: OrderError) -> Response:
        return error(exc.message, exc.status)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_request: Request, exc: RequestValidationError) -> Response:
        return error(f"Invalid request: {exc.errors()[:1]}", 400)

    @app.get("/api/geoblock")
    async def geoblock() -> Response:
        return respond(sim.geoblock.answer())

    app.include_router(control_router(sim.injector))
    app.include_router(sim_router(sim))
    app.include_router(gamma_router(sim))
    app.include_router(clob_router(sim))
    register_ws(app, sim)
    app.add_middleware(FaultMiddleware, injector=sim.injector, error_body=_error_body)
    app.add_middleware(_RequestLog, state=sim)
    return app
