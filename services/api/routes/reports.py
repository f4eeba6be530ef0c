"""The daily hot-wash reports: the days available, a day's HTML page and its PNG plots.

The directory is ``API_REPORTS_DIR`` (default ``<ARBEES_DATA_DIR>/reports``), where the analytics jobs write
``<day>/report.html`` and ``<day>/<plot>.png``; the app is given it (``create_app(reports_dir=...)``). A day must be
an ISO date and a plot a plain name: anything else, or anything missing, is a 404 with the reason.
"""

from __future__ import annotations

import asyncio
import re
from datetime import date
from pathlib import Path

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import FileResponse, HTMLResponse
from pydantic import BaseModel

router = APIRouter()
REPORT = "report.html"
_NAME = re.compile(r"^[A-Za-z0-9_-]{1,100}$")


class ReportDay(BaseModel):
    """One day with a report."""

    day: date
    url: str
    plots: list[str]


class ReportList(BaseModel):
    """The days with a report, newest first."""

    days: list[ReportDay]


def reports_dir(request: Request) -> Path:
    """The reports directory of this app (404 when the app was built without one)."""
    configured = getattr(request.app.state, "reports_dir", None)
    if configured is None:
        raise HTTPException(404, "no reports here: the API was started without a reports directory (API_REPORTS_DIR)")
    return Path(configured)


def _day_dir(root: Path, day: str) -> Path:
    try:
        parsed = date.fromisoformat(day)
    except ValueError:
        raise HTTPException(404, f"no report for {day!r}: not a date (YYYY-MM-DD)") from None
    if parsed.isoformat() != day:
        raise HTTPException(404, f"no report for {day!r}: not a date (YYYY-MM-DD)")
    folder = root / day
    if not (folder / REPORT).is_file():
        raise HTTPException(404, f"no report for {day}")
    return folder


def _list(root: Path) -> ReportList:
    days = []
    if root.is_dir():
        for folder in root.iterdir():
            try:
                day = date.fromisoformat(folder.name)
            except ValueError:
                continue
            if (folder / REPORT).is_file():
                plots = sorted(p.name for p in folder.glob("*.png"))
                days.append(ReportDay(day=day, url=f"/api/v1/reports/{folder.name}", plots=plots))
    return ReportList(days=sorted(days, key=lambda d: d.day, reverse=True))


@router.get("/reports", response_model=ReportList)
async def list_reports(request: Request) -> ReportList:
    """The days that have a report."""
    return await asyncio.to_thread(_list, reports_dir(request))


@router.get("/reports/{day}", response_class=HTMLResponse)
async def get_report(day: str, request: Request) -> HTMLResponse:
    """The day's report page (self-contained HTML)."""
    folder = await asyncio.to_thread(_day_dir, reports_dir(request), day)
    return HTMLResponse(await asyncio.to_thread((folder / REPORT).read_text, encoding="utf-8"))


@router.get("/reports/{day}/{name}.png", response_class=FileResponse)
async def get_plot(day: str, name: str, request: Request) -> FileResponse:
    """One plot of the day's report."""
    if not _NAME.fullmatch(name):
        raise HTTPException(404, f"refused plot name {name!r}: letters, digits, '-' and '_' only")
    folder = await asyncio.to_thread(_day_dir, reports_dir(request), day)
    path = folder / f"{name}.png"
    if path.resolve().parent != folder.resolve() or not path.is_file():
        raise HTTPException(404, f"no plot {name}.png in the report of {day}")
    return FileResponse(path, media_type="image/png")
