"""The hot-wash report on a database filled by the session's replay: file, plots, numbers, API, browser."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import httpx
import pytest

from services.analytics.report import Report, write_report
from services.api.app import create_app
from shared.db.pool import create_pool
from shared.pnl import EASTERN
from tests.e2e.browser import chromium, require_browser

pytestmark = [pytest.mark.integration, pytest.mark.xdist_group("replays")]  # the replay fixture: one worker
TOKEN = "report-read-token-0123456789abcdef"
SECTIONS = ("pnl", "trades", "slippage", "fees", "calibration", "latency", "denials", "anomalies")


async def _write(url: str, out: Path) -> tuple[Report, dict[str, object]]:
    pool = await create_pool(url, max_size=2)
    try:
        first = await pool.fetchval("SELECT min(ts) FROM fills")
        day: date = first.astimezone(EASTERN).date()
        report = await write_report(pool, day, out)
        truth = {
            "realized": await pool.fetchval("SELECT sum(realized_pnl) FROM positions"),
            "fills": await pool.fetchval("SELECT count(*) FROM fills"),
            "orders": await pool.fetchval("SELECT count(*) FROM orders"),
            "fees": await pool.fetchval("SELECT sum(fee) FROM fills"),
        }
    finally:
        await pool.close()
    return report, truth


async def test_report_matches_the_database(replayed_database_url: str, tmp_path: Path) -> None:
    report, truth = await _write(replayed_database_url, tmp_path)
    assert report.html_path == tmp_path / report.day.isoformat() / "report.html" and report.html_path.is_file()
    assert len(report.plots) == 6 and all(p.is_file() and p.read_bytes()[:4] == b"\x89PNG" for p in report.plots)
    assert Decimal(report.figures["realized_pnl"]) == truth["realized"] != 0
    assert Decimal(report.figures["positions_realized_pnl"]) == truth["realized"]
    assert Decimal(report.figures["fees"]) == truth["fees"]
    assert int(report.figures["trades"]) == truth["fills"] and int(report.figures["orders"]) == truth["orders"]
    page = report.html_path.read_text()
    assert all(f'data-section="{s}"' in page for s in SECTIONS)
    assert page.count('class="total"') >= 1 and "MISMATCH" not in page and "(matches)" in report.summary


async def test_reports_api_and_browser(replayed_database_url: str, tmp_path: Path) -> None:
    report, _ = await _write(replayed_database_url, tmp_path)
    day = report.day.isoformat()
    app = create_app(None, None, TOKEN, reports_dir=tmp_path)  # type: ignore[arg-type]
    auth = {"Authorization": f"Bearer {TOKEN}"}
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://api") as api:
        assert (await api.get("/api/v1/reports")).status_code == 401
        listed = (await api.get("/api/v1/reports", headers=auth)).json()
        assert listed["days"][0]["day"] == day and "reliability.png" in listed["days"][0]["plots"]
        page = await api.get(f"/api/v1/reports/{day}", headers=auth)
        assert page.status_code == 200 and page.text == report.html_path.read_text()
        png = await api.get(f"/api/v1/reports/{day}/cumulative_pnl.png", headers=auth)
        assert png.status_code == 200 and png.headers["content-type"] == "image/png" and png.content[:4] == b"\x89PNG"
        missing = await api.get("/api/v1/reports/1999-01-01", headers=auth)
        assert missing.status_code == 404 and "no report for 1999-01-01" in missing.json()["detail"]
        for bad in (f"/api/v1/reports/{day}/..%2F..%2Fsecret.png", "/api/v1/reports/..%2F..%2Fetc",
                    f"/api/v1/reports/{day}/%2E%2E.png", f"/api/v1/reports/{day}/nope.png"):  # fmt: skip
            assert (await api.get(bad, headers=auth)).status_code == 404, bad
        assert (await api.get(f"/api/v1/reports/{day}/cumulative_pnl.png")).status_code == 401

    require_browser()
    async with chromium("analytics-report") as (browser, shots):
        page = await browser.new_page(viewport={"width": 1400, "height": 900})
        await page.goto(report.html_path.as_uri())
        for section in SECTIONS:
            assert await page.locator(f"[data-section={section}] h2").is_visible(), section
        widths = await page.eval_on_selector_all("img", "imgs => imgs.map(i => i.complete ? i.naturalWidth : 0)")
        assert len(widths) == 6 and all(w > 0 for w in widths), widths
        await shots.take(page, "report")
