"""The FastAPI application under /api/v1: public health, authenticated read routers, the control scope,
and the built dashboard at ``/``.

Every route but ``/api/v1/health`` needs the read token, the OpenAPI document (``/api/v1/openapi.json``)
and Swagger UI (``/api/v1/docs``) too; FastAPI's public defaults are off. The control routes (halt,
resume, trading state) need their own token; the read token gets 403 there.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import asyncpg
from fastapi import Depends, FastAPI
from pydantic.json_schema import models_json_schema

from services.api.auth import require_control_token, require_token
from services.api.routes import catalogue, control, docs, health, overview, reports, stream, trading
from services.api.schemas import GameStateEvent, HelloEvent, PriceEvent, ProbabilityEvent
from services.api.static import mount_dashboard

PREFIX = "/api/v1"
_STREAM_MODELS = (HelloEvent, GameStateEvent, ProbabilityEvent, PriceEvent)


def create_app(
    pool: asyncpg.Pool,
    redis: Any,
    token: str,
    control_token: str | None = None,
    *,
    paper: bool = True,
    stopping: asyncio.Event | None = None,
    dashboard_dir: Path | None = None,
    reports_dir: Path | None = None,
) -> FastAPI:
    """Build the app; every route but ``/api/v1/health`` needs ``Authorization: Bearer <token>``.

    ``/api/v1/control/*`` is mounted only with a ``control_token`` (which must differ from ``token``)
    and accepts only that one. ``paper`` picks the P&L and risk figures shown (the fleet's trading
    mode); ``stopping`` ends open streams when the service stops; ``dashboard_dir`` is the built
    dashboard served at ``/`` (``None``: ``/`` says it is not built); ``reports_dir`` holds the analytics
    service's daily reports (``None``: no reports are served).
    """
    app = FastAPI(title="Arbees API", version="1", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.pool = pool
    app.state.redis = redis
    app.state.paper = paper
    app.state.reports_dir = reports_dir
    app.state.stopping = stopping if stopping is not None else asyncio.Event()
    app.include_router(health.router, prefix=PREFIX, tags=["health"])
    auth = [Depends(require_token(token))]
    for router, tag in (
        (catalogue.router, "catalogue"),
        (trading.router, "trading"),
        (overview.router, "overview"),
        (stream.router, "stream"),
        (docs.router, "docs"),
        (reports.router, "reports"),
    ):
        app.include_router(router, prefix=PREFIX, tags=[tag], dependencies=auth)
    if control_token is not None:
        if control_token == token:
            raise ValueError("the control token must differ from the read token")
        control_auth = [Depends(require_control_token(control_token, token))]
        app.include_router(control.router, prefix=PREFIX, tags=["control"], dependencies=control_auth)
    mount_dashboard(app, dashboard_dir)
    _with_stream_models(app)
    return app


def _with_stream_models(app: FastAPI) -> None:
    """List the stream's own payload models in the OpenAPI components (for the typed client)."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = build()
            _, defs = models_json_schema(
                [(m, "serialization") for m in _STREAM_MODELS], ref_template="#/components/schemas/{model}"
            )
            components = schema.setdefault("components", {}).setdefault("schemas", {})
            for name, definition in defs.get("$defs", {}).items():
                components.setdefault(name, definition)
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
