"""The Kalshi simulator as one ASGI app: REST under ``/trade-api/v2``, WebSocket at ``/trade-api/ws/v2``.

Also serves the control API under ``/_sim`` (shared faults and health, Kalshi markets/prices/settlement,
per-endpoint request stats) and runs the simulated makers while the app lives. HTTP faults are applied by
:class:`~markets.sim.common.faults.FaultMiddleware` with Kalshi's error bodies (429 is the flat
``{"error": "too many requests"}`` the venue sends, without ``Retry-After``).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import Any

from fastapi import FastAPI, Request, WebSocket
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from markets.sim.common.control import control_router
from markets.sim.common.faults import FaultMiddleware
from markets.sim.kalshi import wire
from markets.sim.kalshi.control import sim_router
from markets.sim.kalshi.exchange import ExchangeError
from markets.sim.kalshi.routes import rest_router
from markets.sim.kalshi.state import SimState
from markets.sim.kalshi.stats import TimingMiddleware, stats_router

WS_PATH = "/trade-api/ws/v2"


def error_body(status: int) -> Any:
    """Kalshi's body for an injected HTTP status."""
    if status == 429:
        return {"error": "too many requests"}
    if status == 503:
        return wire.error_json("service_unavailable", "service_unavailable")
    if status >= 500:
        return wire.error_json("internal_server_error", "internal server error")
    return wire.error_json("bad_request", "bad request")


def create_app(state: SimState) -> TimingMiddleware:
    """The simulator app for ``state`` (wrapped in the fault middleware)."""

    @contextlib.asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        task = asyncio.create_task(state.desk.run()) if state.run_makers else None
        try:
            yield
        finally:
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task

    app = FastAPI(title="Kalshi simulator", lifespan=lifespan, docs_url="/_sim/docs", openapi_url="/_sim/openapi.json")
    app.state.sim = state
    app.include_router(rest_router(state))
    app.include_router(control_router(state.injector))
    app.include_router(sim_router(state))
    app.include_router(stats_router(state.stats))

    @app.websocket(WS_PATH)
    async def websocket(ws: WebSocket) -> None:
        await state.hub.handle(ws)

    @app.exception_handler(ExchangeError)
    async def exchange_error(_request: Request, exc: ExchangeError) -> JSONResponse:
        return JSONResponse(wire.error_json(exc.code, exc.message, exc.details), status_code=exc.status)

    @app.exception_handler(RequestValidationError)
    async def validation_error(_request: Request, exc: RequestValidationError) -> JSONResponse:
        details = "; ".join(str(e.get("msg", "")) for e in exc.errors())
        return JSONResponse(wire.error_json("bad_request", "bad request", details), status_code=400)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = "not_found" if exc.status_code == 404 else "bad_request"
        return JSONResponse(wire.error_json(code, code.replace("_", " ")), status_code=exc.status_code)

    return TimingMiddleware(FaultMiddleware(app, state.injector, error_body), state.stats)
