"""The FastAPI application: public health router plus authenticated read routers under /api/v1."""

from __future__ import annotations

from typing import Any

import asyncpg
from fastapi import Depends, FastAPI

from services.api.auth import require_token
from services.api.routes import catalogue, health, trading


def create_app(pool: asyncpg.Pool, redis: Any, token: str) -> FastAPI:
    """Build the app; every route but ``/api/v1/health`` needs ``Authorization: Bearer <token>``."""
    app = FastAPI(title="Arbees API", version="1", docs_url=None, redoc_url=None)
    app.state.pool = pool
    app.state.redis = redis
    app.include_router(health.router, prefix="/api/v1", tags=["health"])
    auth = [Depends(require_token(token))]
    app.include_router(trading.router, prefix="/api/v1", tags=["trading"], dependencies=auth)
    app.include_router(catalogue.router, prefix="/api/v1", tags=["catalogue"], dependencies=auth)
    return app
