"""The schedule with a controllable clock: jobs fire at their configured times, never overlap, and a failing
job is alerted while the scheduler keeps running."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from typing import Any

import apscheduler.executors.base
import apscheduler.schedulers.base
import asyncpg
import pytest

from services.analytics.config import AnalyticsSettings
from services.analytics.jobs import JOB_FAILURES, JobRunner
from services.analytics.scheduler import build_scheduler
from shared.config import load_settings
from tests.support import eventually

pytestmark = pytest.mark.integration


class Clock:
    """Wall time shifted to a chosen instant; it runs on from there and can be jumped forward."""

    def __init__(self, start: datetime) -> None:
        self.offset = 0.0
        self.set(start)

    def set(self, at: datetime) -> None:
        self.offset = at.timestamp() - time.time()

    def now(self) -> float:
        return time.time() + self.offset


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[Clock]:
    c = Clock(datetime.now())

    class FakeDatetime(datetime):
        @classmethod
        def now(cls, tz: Any = None) -> Any:
            return datetime.fromtimestamp(c.now(), tz)

    monkeypatch.setattr(apscheduler.schedulers.base, "datetime", FakeDatetime)
    monkeypatch.setattr(apscheduler.executors.base, "datetime", FakeDatetime)
    yield c


def _settings(clean_env: Any, **overrides: Any) -> AnalyticsSettings:
    return load_settings(AnalyticsSettings, timezone="America/New_York", **overrides)


async def test_jobs_fire_at_their_configured_times(db_pool: asyncpg.Pool, clock: Clock, clean_env: Any) -> None:
    settings = _settings(clean_env)
    zone = settings.zone
    fired: list[tuple[str, datetime]] = []

    def job(name: str) -> Any:
        async def run(pool: asyncpg.Pool, s: AnalyticsSettings, day: date | None) -> str:
            fired.append((name, datetime.fromtimestamp(clock.now(), zone)))
            return name

        return run

    runner = JobRunner(db_pool, settings, {n: job(n) for n in ("archive", "train", "report")})
    clock.set(datetime(2026, 3, 2, 22, 59, 59, 500_000, tzinfo=zone))
    scheduler = build_scheduler(settings, runner)
    scheduler.start()
    try:
        await eventually(lambda: _async(len(fired) == 1))
        for at in (
            datetime(2026, 3, 2, 23, 59, 59, 500_000, tzinfo=zone),
            datetime(2026, 3, 3, 0, 29, 59, 500_000, tzinfo=zone),
        ):
            clock.set(at)
            scheduler.wakeup()
            count = len(fired)
            await eventually(lambda c=count: _async(len(fired) == c + 1))  # type: ignore[misc]
    finally:
        scheduler.shutdown(wait=False)
    assert [(n, t.strftime("%H:%M")) for n, t in fired] == [
        ("archive", "23:00"),
        ("train", "00:00"),
        ("report", "00:30"),
    ]
    assert all(o.status == "ok" for o in runner.outcomes)


async def _async(value: bool) -> bool:
    return value


async def test_an_overlapping_run_is_refused(db_pool: asyncpg.Pool, clean_env: Any) -> None:
    settings = _settings(clean_env)
    release = asyncio.Event()

    async def slow(pool: asyncpg.Pool, s: AnalyticsSettings, day: date | None) -> str:
        await release.wait()
        return "done"

    runner = JobRunner(db_pool, settings, {"archive": slow})
    first = asyncio.create_task(runner.run("archive"))
    await eventually(lambda: _async(runner.running == ["archive"]))
    assert (await runner.run("archive")).status == "refused"
    other_process = JobRunner(db_pool, settings, {"archive": slow})
    refused = await other_process.run("archive")
    assert refused.status == "refused" and "another process" in refused.summary
    release.set()
    assert (await first).status == "ok"
    assert (await other_process.run("archive")).status == "ok"


async def test_a_failing_job_is_alerted_and_the_scheduler_runs_on(
    db_pool: asyncpg.Pool, clock: Clock, clean_env: Any, caplog: pytest.LogCaptureFixture
) -> None:
    settings = _settings(clean_env)
    zone = settings.zone
    calls: list[str] = []

    async def broken(pool: asyncpg.Pool, s: AnalyticsSettings, day: date | None) -> str:
        calls.append("archive")
        raise OSError("disk full")

    async def fine(pool: asyncpg.Pool, s: AnalyticsSettings, day: date | None) -> str:
        calls.append("train")
        return "trained"

    runner = JobRunner(db_pool, settings, {"archive": broken, "train": fine})
    failures_before = JOB_FAILURES.labels(job="archive")._value.get()
    clock.set(datetime(2026, 3, 2, 22, 59, 59, 500_000, tzinfo=zone))
    scheduler = build_scheduler(settings, runner)
    with caplog.at_level(logging.CRITICAL, logger="services.analytics.jobs"):
        scheduler.start()
        try:
            await eventually(lambda: _async(calls == ["archive"] and len(runner.outcomes) == 1))
            clock.set(datetime(2026, 3, 2, 23, 59, 59, 500_000, tzinfo=zone))
            scheduler.wakeup()
            await eventually(lambda: _async(calls == ["archive", "train"] and len(runner.outcomes) == 2))
            assert scheduler.running
            # The failed job is scheduled again for its next time.
            next_archive = scheduler.get_job("archive").next_run_time
            assert next_archive - datetime(2026, 3, 3, 23, 0, tzinfo=zone) == timedelta(0)
        finally:
            scheduler.shutdown(wait=False)
    assert [o.status for o in runner.outcomes] == ["failed", "ok"]
    assert any(r.getMessage().startswith("ALERT: analytics job failed") for r in caplog.records)
    assert JOB_FAILURES.labels(job="archive")._value.get() == failures_before + 1
