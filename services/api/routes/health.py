"""Public health check (the only unauthenticated route)."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from services.api.schemas import HealthOut

router = APIRouter()


@router.get("/health", response_model=HealthOut)
async def health(request: Request, response: Response) -> HealthOut:
    """200 when the database and Redis answer, 503 otherwise."""
    database = redis = True
    try:
        await request.app.state.pool.fetchval("SELECT 1")
    except Exception:  # noqa: BLE001
        database = False
    try:
        await request.app.state.redis.ping()
    except Exception:  # noqa: BLE001
        redis = False
    if not (database and redis):
        response.status_code = 503
    return HealthOut(status="ok" if database and redis else "degraded", database=database, redis=redis)
