"""The FastAPI application under /api/v1: public health, authenticated read routers, and the control scope.

The control routes (halt, resume, trading state) need their own token; the read token gets 403 there.
"""

from __future__ import annotations

from typing import Any

import asyncpg
from fastapi import Depends, FastAPI

from services.api.auth import require_control_token, require_token
from services.api.routes import catalogue, control, health, trading


def create_app(pool: asyncpg.Pool, redis: Any, token: str, control_token: str | None = None) -> FastAPI:
    """Build the app; every route but ``/api/v1/health`` needs ``Authorization: Bearer <token>``.

    ``/api/v1/control/*`` is mounted only with a ``control_token`` (which must differ from ``token``)
    and accepts only that one.
    """
    app = FastAPI(title="Arbees API", version="1", docs_url=None, redoc_url=None)
    app.state.pool = pool
    app.state.redis = redis
    app.include_router(health.router, prefix="/api/v1", tags=["health"])
    auth = [Depends(require_token(token))]
    app.include_router(trading.router, prefix="/api/v1", tags=["trading"], dependencies=auth)
    app.include_router(catalogue.router, prefix="/api/v1", tags=["catalogue"], dependencies=auth)
    if control_token is not None:
        if control_token == token:
            raise ValueError("the control token must differ from the read token")
        control_auth = [Depends(require_control_token(control_token, token))]
        app.include_router(control.router, prefix="/api/v1", tags=["control"], dependencies=control_auth)
    return app
