"""The built dashboard at ``/`` with an SPA fallback, and the sentence saying how to build it when it is not."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from services.api.app import create_app
from services.api.config import ApiSettings
from shared.runtime.infra import Infra
from tests.integration.api.conftest import AUTH, TOKEN

pytestmark = pytest.mark.integration
INDEX = "<!doctype html><title>Arbees</title><div id=root></div>"


@pytest.fixture
def dist(tmp_path: Path) -> Path:
    root = tmp_path / "dist"
    (root / "assets").mkdir(parents=True)
    (root / "index.html").write_text(INDEX)
    (root / "assets" / "app-1234.js").write_text("console.log('arbees')")
    (tmp_path / "secret.txt").write_text("outside the dashboard")
    return root


async def _client(infra: Infra, dashboard: Path | None) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(infra.pool, infra.redis, TOKEN, dashboard_dir=dashboard)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://api") as http:
        yield http


@pytest.fixture
async def built(infra: Infra, dist: Path) -> AsyncIterator[httpx.AsyncClient]:
    async for http in _client(infra, dist):
        yield http


@pytest.fixture
async def unbuilt(infra: Infra) -> AsyncIterator[httpx.AsyncClient]:
    async for http in _client(infra, None):
        yield http


async def test_the_dashboard_is_served_without_auth_with_an_spa_fallback(built: httpx.AsyncClient) -> None:
    root = await built.get("/")
    assert root.status_code == 200 and root.text == INDEX and root.headers["content-type"].startswith("text/html")
    asset = await built.get("/assets/app-1234.js")
    assert asset.status_code == 200 and "arbees" in asset.text and "javascript" in asset.headers["content-type"]
    deep = await built.get("/games/401900001")  # a client-side route
    assert deep.status_code == 200 and deep.text == INDEX
    assert (await built.get("/assets/missing.js")).status_code == 404
    assert (await built.get("/../secret.txt")).text != "outside the dashboard"
    assert (await built.get("/%2e%2e/secret.txt")).text != "outside the dashboard"


async def test_api_paths_are_never_the_dashboard(built: httpx.AsyncClient) -> None:
    unknown = await built.get("/api/v1/nothing-here", headers=AUTH)
    assert unknown.status_code == 404 and unknown.json() == {"detail": "Not Found"}
    assert (await built.get("/api/v1/games", headers=AUTH)).json()["items"] == []
    assert (await built.get("/api/v1/games")).status_code == 401


async def test_without_a_build_the_root_says_how_to_build_it(unbuilt: httpx.AsyncClient) -> None:
    response = await unbuilt.get("/")
    assert response.status_code == 404
    assert "npm --prefix frontend ci && npm --prefix frontend run build" in response.json()["detail"]


def test_the_dashboard_setting(clean_env: pytest.MonkeyPatch, tmp_path: Path) -> None:
    clean_env.setenv("API_DASHBOARD_DIR", str(tmp_path))
    assert ApiSettings().dashboard == tmp_path
    clean_env.delenv("API_DASHBOARD_DIR")
    default = ApiSettings().dashboard
    assert default is None or (default / "index.html").is_file()
