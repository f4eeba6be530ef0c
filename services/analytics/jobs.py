"""The three nightly jobs and the runner that runs one at a time per job, alerting on failure.

:class:`JobRunner` refuses a second run of a job while one is in flight — in this process (a lock per job)
and across processes (a PostgreSQL advisory lock, so ``arbees analytics run`` and the service never overlap).
A job that raises is logged as an ``ALERT`` line, counted in ``arbees_analytics_job_failures_total`` and
returned as a failed outcome: it never propagates, so the scheduler runs it again at its next time.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import asyncpg
from prometheus_client import Counter

from services.analytics.archive import run_archive
from services.analytics.config import AnalyticsSettings
from services.analytics.training import run_training

log = logging.getLogger(__name__)

JOB_RUNS = Counter("arbees_analytics_job_runs_total", "Analytics job runs by outcome", ["job", "outcome"])
JOB_FAILURES = Counter("arbees_analytics_job_failures_total", "Analytics jobs that failed (alerted)", ["job"])
LOCK_NAMESPACE = 0x416E616C  # "Anal": first key of the jobs' advisory locks

JobFn = Callable[[asyncpg.Pool, AnalyticsSettings, date | None], Awaitable[str]]


class JobFailed(RuntimeError):
    """A job finished but part of it failed; the message is its summary."""


@dataclass(frozen=True, slots=True)
class JobOutcome:
    """What one run of a job came to: ``ok``, ``failed`` or ``refused`` (another run in flight)."""

    job: str
    status: str
    summary: str


async def archive_job(pool: asyncpg.Pool, settings: AnalyticsSettings, day: date | None) -> str:
    """Archive rows older than the retention (``day``: archive as if it were the end of that day)."""
    now = None if day is None else datetime.combine(day + timedelta(days=1), datetime.min.time(), settings.zone)
    result = await run_archive(pool, settings.archive_path, timedelta(days=settings.retention_days), now)
    return result.summary()


async def train_job(pool: asyncpg.Pool, settings: AnalyticsSettings, day: date | None) -> str:
    """Refit every configured sport (``day`` is not used: training takes every finished game)."""
    result = await run_training(pool, settings)
    if result.failed:
        raise JobFailed(result.summary())
    return result.summary()


def default_report_day(settings: AnalyticsSettings) -> date:
    """The day just ended in the configured zone (the report runs after midnight)."""
    return (datetime.now(settings.zone) - timedelta(days=1)).date()


async def report_job(pool: asyncpg.Pool, settings: AnalyticsSettings, day: date | None) -> str:
    """Write the hot-wash report of ``day`` (yesterday by default)."""
    from services.analytics.report import write_report

    report = await write_report(pool, day or default_report_day(settings), settings.reports_path)
    return f"report: {report.html_path}\n{report.summary}"


JOBS: dict[str, JobFn] = {"archive": archive_job, "train": train_job, "report": report_job}


class JobRunner:
    """Runs jobs by name; at most one run of each job at a time, across processes too."""

    def __init__(self, pool: asyncpg.Pool, settings: AnalyticsSettings, jobs: Mapping[str, JobFn] | None = None):
        self.pool = pool
        self.settings = settings
        self.jobs = dict(jobs or JOBS)
        self._locks = {name: asyncio.Lock() for name in self.jobs}
        self.outcomes: list[JobOutcome] = []

    async def idle(self) -> None:
        """Return once no job is in flight (waits for each running job's lock)."""
        for lock in self._locks.values():
            async with lock:
                pass

    @property
    def running(self) -> list[str]:
        """Jobs in flight in this process."""
        return [name for name, lock in self._locks.items() if lock.locked()]

    async def run(self, name: str, day: date | None = None) -> JobOutcome:
        """Run job ``name`` now unless it is running already; never raises for the job's own failure."""
        lock = self._locks[name]
        if lock.locked():
            return self._done(JobOutcome(name, "refused", f"{name}: already running in this process"))
        async with lock, self.pool.acquire() as conn:
            key = sorted(self.jobs).index(name)
            if not await conn.fetchval("SELECT pg_try_advisory_lock($1, $2)", LOCK_NAMESPACE, key):
                return self._done(JobOutcome(name, "refused", f"{name}: already running in another process"))
            try:
                return self._done(await self._run(name, day))
            finally:
                await conn.execute("SELECT pg_advisory_unlock($1, $2)", LOCK_NAMESPACE, key)

    async def _run(self, name: str, day: date | None) -> JobOutcome:
        log.info("analytics job started", extra={"job": name, "day": str(day) if day else None})
        try:
            summary = await self.jobs[name](self.pool, self.settings, day)
        except Exception as e:  # noqa: BLE001 - alerted; the next cycle runs it again
            JOB_FAILURES.labels(job=name).inc()
            text = str(e) if isinstance(e, JobFailed) else f"{type(e).__name__}: {e}"
            log.critical(
                "ALERT: analytics job failed; it runs again at its next time",
                extra={"job": name, "error": text},
                exc_info=not isinstance(e, JobFailed),
            )
            return JobOutcome(name, "failed", text)
        log.info("analytics job finished", extra={"job": name})
        return JobOutcome(name, "ok", summary)

    def _done(self, outcome: JobOutcome) -> JobOutcome:
        JOB_RUNS.labels(job=outcome.job, outcome=outcome.status).inc()
        self.outcomes.append(outcome)
        if outcome.status == "refused":
            log.warning("analytics job refused: a run is in flight", extra={"job": outcome.job})
        return outcome
