"""APScheduler wiring: each job on its UTC cron, plus one catch-up run shortly after start.

The catch-up run claims the job's latest scheduled tick: a new install gets data within a
minute, while a restart (or a second replica) finds that tick claimed and does nothing.

A domain service also checks its warehouse's data version every JOBS_DATA_CHANGE_CHECK_SECONDS
and runs its snapshot jobs again when it changed (jobs/data_change.py); the first check comes
after the catch-up run.

A tick whose claim fails because the store is down is not lost: it is retried every
MISSED_TICK_RETRY_SECONDS and runs once when the store answers again (several ticks missed
in a row run once, as the latest: APScheduler's coalesce, carried over the outage).
"""

from __future__ import annotations

import datetime as dt
import logging
import threading

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.date import DateTrigger
from apscheduler.triggers.interval import IntervalTrigger

from otelbi.errors import StoreUnavailable
from otelbi.jobs.data_change import DataChangeWatch
from otelbi.jobs.definitions import JobDefinition
from otelbi.jobs.runner import SCHEDULER_ACTOR, JobRunner

log = logging.getLogger(__name__)

MISFIRE_GRACE_SECONDS = 600
MISSED_TICK_RETRY_SECONDS = 15


class JobScheduler:
    """Runs a service's jobs in a background thread pool while the service is up."""

    def __init__(
        self,
        runner: JobRunner,
        *,
        startup_delay_seconds: float,
        data_change: DataChangeWatch | None = None,
        data_change_check_seconds: float = 60.0,
    ) -> None:
        self._runner = runner
        self._startup_delay = dt.timedelta(seconds=startup_delay_seconds)
        self._data_change = data_change
        self._data_change_check = dt.timedelta(seconds=data_change_check_seconds)
        self._scheduler = BackgroundScheduler(timezone=dt.UTC)
        self._missed: dict[str, JobDefinition] = {}
        self._missed_lock = threading.Lock()

    def start(self) -> None:
        """Schedule every job and start the scheduler thread."""
        first_run = dt.datetime.now(dt.UTC) + self._startup_delay
        for job in self._runner.jobs.values():
            self._scheduler.add_job(
                self.tick,
                job.trigger(),
                args=[job],
                id=job.job_id,
                max_instances=1,
                coalesce=True,
                misfire_grace_time=MISFIRE_GRACE_SECONDS,
            )
            self._scheduler.add_job(
                self.tick,
                DateTrigger(first_run, timezone=dt.UTC),
                args=[job],
                id=f"{job.job_id}.startup",
            )
        self._scheduler.add_job(
            self.retry_missed_ticks,
            IntervalTrigger(seconds=MISSED_TICK_RETRY_SECONDS, timezone=dt.UTC),
            id="missed-ticks",
            max_instances=1,
            coalesce=True,
        )
        if self._data_change is not None and self._data_change.jobs:
            self._scheduler.add_job(
                self._data_change.check,
                IntervalTrigger(
                    seconds=self._data_change_check.total_seconds(),
                    start_date=first_run + self._data_change_check,
                    timezone=dt.UTC,
                ),
                id="data-change",
                max_instances=1,
                coalesce=True,
            )
        self._scheduler.start()
        log.info(
            "%s scheduled %d jobs: %s",
            self._runner.service_name,
            len(self._runner.jobs),
            ", ".join(f"{job.job_id} ({job.cron})" for job in self._runner.jobs.values()),
        )

    def tick(self, job: JobDefinition, now: dt.datetime | None = None) -> int | None:
        """Claim the job's latest tick and start it in the background; return its execution id.

        None if another run has the tick, or the store is down (the tick is then kept for
        `retry_missed_ticks`).
        """
        moment = now or dt.datetime.now(dt.UTC)
        try:
            execution_id = self._runner.claim_tick(job, moment)
        except StoreUnavailable as error:
            log.error(
                "job %s tick not claimed, retried every %d s until the store answers: %s",
                job.job_id,
                MISSED_TICK_RETRY_SECONDS,
                error.detail,
            )
            with self._missed_lock:
                self._missed[job.job_id] = job
            return None
        if execution_id is not None:
            self._runner.start(job, execution_id, job.latest_tick(moment), actor=SCHEDULER_ACTOR)
        return execution_id

    def retry_missed_ticks(self, now: dt.datetime | None = None) -> list[int]:
        """Claim and start the ticks missed while the store was down; return the new ids."""
        with self._missed_lock:
            missed, self._missed = list(self._missed.values()), {}
        started = [self.tick(job, now) for job in missed]
        return [execution_id for execution_id in started if execution_id is not None]

    def stop(self) -> None:
        """Stop scheduling (runs in progress are the runner's to close)."""
        self._scheduler.shutdown(wait=False)
