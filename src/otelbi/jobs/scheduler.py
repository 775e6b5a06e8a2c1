"""APScheduler wiring: each job on its UTC cron, plus one catch-up run shortly after start.

The catch-up run claims the job's latest scheduled tick: a new install gets data within a
minute, while a restart (or a second replica) finds that tick claimed and does nothing.
"""

from __future__ import annotations

import datetime as dt
import logging

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.date import DateTrigger

from otelbi.jobs.runner import JobRunner

log = logging.getLogger(__name__)

MISFIRE_GRACE_SECONDS = 600


class JobScheduler:
    """Runs a service's jobs in a background thread pool while the service is up."""

    def __init__(self, runner: JobRunner, *, startup_delay_seconds: float) -> None:
        self._runner = runner
        self._startup_delay = dt.timedelta(seconds=startup_delay_seconds)
        self._scheduler = BackgroundScheduler(timezone=dt.UTC)

    def start(self) -> None:
        """Schedule every job and start the scheduler thread."""
        first_run = dt.datetime.now(dt.UTC) + self._startup_delay
        for job in self._runner.jobs.values():
            self._scheduler.add_job(
                self._runner.run_tick,
                job.trigger(),
                args=[job],
                id=job.job_id,
                max_instances=1,
                coalesce=True,
                misfire_grace_time=MISFIRE_GRACE_SECONDS,
            )
            self._scheduler.add_job(
                self._runner.run_tick,
                DateTrigger(first_run, timezone=dt.UTC),
                args=[job],
                id=f"{job.job_id}.startup",
            )
        self._scheduler.start()
        log.info(
            "%s scheduled %d jobs: %s",
            self._runner.service_name,
            len(self._runner.jobs),
            ", ".join(f"{job.job_id} ({job.cron})" for job in self._runner.jobs.values()),
        )

    def stop(self) -> None:
        """Stop scheduling; a run in progress finishes in its thread."""
        self._scheduler.shutdown(wait=False)
