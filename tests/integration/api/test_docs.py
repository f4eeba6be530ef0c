"""The OpenAPI document and Swagger UI need the read token; ``frontend/openapi.json`` matches the app."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from services.api.openapi import render
from tests.integration.api.conftest import AUTH, CONTROL_AUTH

pytestmark = pytest.mark.integration
REGENERATE = (
    "regenerate it with `.venv/bin/python -m services.api.openapi > frontend/openapi.json` "
    "(then `npm --prefix frontend run gen:api`)"
)
COMMITTED = Path(__file__).resolve().parents[3] / "frontend" / "openapi.json"


async def test_openapi_and_docs_need_the_read_token(client: httpx.AsyncClient) -> None:
    for path in ("/api/v1/openapi.json", "/api/v1/docs"):
        assert (await client.get(path)).status_code == 401
        assert (await client.get(path, headers=CONTROL_AUTH)).status_code == 401
    schema = (await client.get("/api/v1/openapi.json", headers=AUTH)).json()
    assert "/api/v1/games/{game_id}/history" in schema["paths"] and "PriceEvent" in schema["components"]["schemas"]
    docs = await client.get("/api/v1/docs", headers=AUTH)
    assert docs.status_code == 200 and "/api/v1/openapi.json" in docs.text
    for public_default in ("/openapi.json", "/docs", "/redoc"):
        response = await client.get(public_default)
        assert response.status_code == 404 and "openapi" not in response.text


def test_frontend_openapi_json_is_the_apps_schema() -> None:
    expected = render()
    assert COMMITTED.is_file(), (
        "frontend/openapi.json is missing: .venv/bin/python -m services.api.openapi > frontend/openapi.json"
    )
    assert json.loads(COMMITTED.read_text()) == json.loads(expected) and COMMITTED.read_text() == expected, (
        "frontend/openapi.json differs from the app's schema; regenerate it with "
        "`.venv/bin/python -m services.api.openapi > frontend/openapi.json` (then `npm --prefix frontend run gen:api`)"
    )
