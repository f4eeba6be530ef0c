"""Debian's Chromium driven by playwright for the dashboard's browser tests, with screenshots kept as artifacts.

Chromium is ``/usr/bin/chromium`` (``scripts/browser.sh`` installs it; playwright's own browser downloads
are never used). Screenshots go to ``ARBEES_TEST_ARTIFACTS`` (default ``test-artifacts/`` at the top of
the repo), one folder per test, so CI keeps them and people can look at them.
"""

from __future__ import annotations

import os
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path(os.environ.get("ARBEES_CHROMIUM", "/usr/bin/chromium"))
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
ARTIFACTS = Path(os.environ.get("ARBEES_TEST_ARTIFACTS", Path(__file__).resolve().parents[2] / "test-artifacts"))
LAPTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


def require_browser() -> None:
    """Skip when Chromium or playwright is missing (``scripts/test.sh`` installs both, so CI never skips)."""
    if not CHROMIUM.exists():
        pytest.skip(f"Chromium not found at {CHROMIUM} (scripts/browser.sh installs it)")
    pytest.importorskip("playwright.async_api")


@dataclass
class Shots:
    """Numbered screenshots of one test."""

    directory: Path
    taken: list[Path] = field(default_factory=list)

    async def take(self, page: Any, name: str) -> Path:
        """Save a full-page screenshot of ``page`` as ``NN-name.png``."""
        self.directory.mkdir(parents=True, exist_ok=True)
        path = self.directory / f"{len(self.taken) + 1:02d}-{re.sub(r'[^a-z0-9-]+', '-', name.lower())}.png"
        await page.screenshot(path=str(path), full_page=True)
        self.taken.append(path)
        return path


@asynccontextmanager
async def chromium(test_name: str) -> AsyncIterator[tuple[Any, Shots]]:
    """A headless Chromium and the screenshot folder of ``test_name``."""
    from playwright.async_api import async_playwright

    async with async_playwright() as driver:
        browser = await driver.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        try:
            yield browser, Shots(ARTIFACTS / test_name)
        finally:
            await browser.close()


async def logged_in_page(browser: Any, url: str, token: str, control_token: str | None, **viewport: int) -> Any:
    """A new tab on the dashboard, logged in through the login screen (tokens kept in its session)."""
    context = await browser.new_context(viewport=viewport or LAPTOP)
    page = await context.new_page()
    await page.goto(url)
    await page.get_by_test_id("login-token-input").fill(token)
    if control_token is not None:
        await page.get_by_test_id("login-control-token-input").fill(control_token)
    await page.get_by_test_id("login-submit").click()
    await page.get_by_test_id("trading-state-badge").wait_for(timeout=30_000)
    return page
