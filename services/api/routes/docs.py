"""The OpenAPI document and Swagger UI under ``/api/v1`` (read token required, like every read route)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse

router = APIRouter()


@router.get("/openapi.json", include_in_schema=False)
async def openapi(request: Request) -> dict[str, Any]:
    """The app's OpenAPI schema."""
    schema: dict[str, Any] = request.app.openapi()
    return schema


@router.get("/docs", include_in_schema=False)
async def docs() -> HTMLResponse:
    """Swagger UI of the API."""
    return get_swagger_ui_html(openapi_url="/api/v1/openapi.json", title="Arbees API")
