"""analytics service: runs the nightly jobs on their schedule until stopped.

The schedule is :func:`services.analytics.scheduler.build_scheduler`; the jobs run through
:class:`services.analytics.jobs.JobRunner`, so a failing job is alerted and retried at its next time while
the service keeps running. On stop the scheduler takes no new run and a run in flight is awaited.
"""

from __future__ import annotations

import logging
from typing import ClassVar

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from services.analytics.config import AnalyticsSettings
from services.analytics.jobs import JobRunner
from services.analytics.scheduler import build_scheduler
from shared.runtime.service import Service, ServiceContext

log = logging.getLogger(__name__)


class AnalyticsService(Service):
    """Archive at 23:00, training at 00:00, the hot-wash report at 00:30 (configurable)."""

    name: ClassVar[str] = "analytics"
    settings_class: ClassVar[type[AnalyticsSettings]] = AnalyticsSettings

    def __init__(self, settings: AnalyticsSettings) -> None:
        super().__init__(settings)
        self.config = settings
        self.runner: JobRunner | None = None
        self.scheduler: AsyncIOScheduler | None = None

    async def start(self, ctx: ServiceContext) -> None:
        self.runner = JobRunner(ctx.infra.pool, self.config)
        self.scheduler = build_scheduler(self.config, self.runner)
        self.scheduler.start()
        for job in self.scheduler.get_jobs():
            log.info("analytics job scheduled", extra={"job": job.id, "next_run": str(job.next_run_time)})
        ctx.spawn(self._until_stopped(ctx), name="analytics:scheduler")

    async def _until_stopped(self, ctx: ServiceContext) -> None:
        await ctx.stopping.wait()
        if self.scheduler is not None and self.scheduler.running:
            self.scheduler.shutdown(wait=False)
        if self.runner is not None:
            await self.runner.idle()

    def health_details(self) -> dict[str, str | int | float | bool]:
        details = super().health_details()
        if self.scheduler is not None:
            for job in self.scheduler.get_jobs():
                details[f"{job.id}.next_run"] = str(job.next_run_time)
        if self.runner is not None:
            details["running"] = ",".join(self.runner.running)
            for outcome in self.runner.outcomes[-3:]:
                details[f"{outcome.job}.last"] = outcome.status
        return details
