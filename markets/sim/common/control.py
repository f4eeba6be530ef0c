"""The ``/_sim`` control API every simulator exposes for tests and demos: faults and a health probe.

Venue simulators add their own routes to the same router (create markets, move prices, settle).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, Field

from markets.sim.common.faults import Fault, FaultInjector, FaultKind


class FaultIn(BaseModel):
    """Body of ``POST /_sim/faults``."""

    kind: FaultKind
    path: str | None = None
    method: str | None = None
    status: int = Field(default=503, ge=100, le=599)
    body: Any = None
    latency_ms: int = Field(default=0, ge=0)
    hang_s: float = Field(default=30.0, ge=0)
    channel: str | None = None
    count: int | None = Field(default=1, ge=1)


def control_router(injector: FaultInjector) -> APIRouter:
    """Routes ``/_sim/health``, ``/_sim/faults`` (GET, POST, DELETE)."""
    router = APIRouter(prefix="/_sim", tags=["sim-control"])

    @router.get("/health")
    async def health() -> dict[str, str]:
        return {"status": "ok"}

    @router.get("/faults")
    async def list_faults() -> list[dict[str, Any]]:
        return injector.list()

    @router.post("/faults")
    async def add_fault(body: FaultIn) -> dict[str, Any]:
        fault = injector.add(Fault(**body.model_dump()))
        return {"id": fault.id}

    @router.delete("/faults")
    async def clear_faults() -> dict[str, str]:
        injector.clear()
        return {"status": "cleared"}

    return router
