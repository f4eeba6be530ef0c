"""The nightly schedule: one APScheduler cron job per analytics job, in the configured time zone.

Every job has ``max_instances=1`` (the scheduler never starts a second run while one is in flight) and
``coalesce=True`` (runs missed while the process was down or busy collapse into one, within
``ANALYTICS_MISFIRE_GRACE_S``). The scheduled callable is :meth:`JobRunner.run`, which never raises.
"""

from __future__ import annotations

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger

from services.analytics.config import AnalyticsSettings
from services.analytics.jobs import JobRunner


def job_times(settings: AnalyticsSettings) -> dict[str, str]:
    """Job name -> ``HH:MM`` in the configured zone."""
    return {"archive": settings.archive_at, "train": settings.train_at, "report": settings.report_at}


def trigger(at: str, settings: AnalyticsSettings) -> CronTrigger:
    """A daily trigger at ``HH:MM`` in the configured zone."""
    hour, minute = at.split(":")
    return CronTrigger(hour=int(hour), minute=int(minute), timezone=settings.zone)


def build_scheduler(settings: AnalyticsSettings, runner: JobRunner) -> AsyncIOScheduler:
    """An AsyncIOScheduler (not started) with the three jobs."""
    scheduler = AsyncIOScheduler(timezone=settings.zone)
    for name, at in job_times(settings).items():
        if name not in runner.jobs:
            continue
        scheduler.add_job(
            runner.run,
            trigger(at, settings),
            args=[name],
            id=name,
            name=f"analytics {name} at {at} {settings.timezone}",
            max_instances=1,
            coalesce=True,
            misfire_grace_time=settings.misfire_grace_s,
            replace_existing=True,
        )
    return scheduler
