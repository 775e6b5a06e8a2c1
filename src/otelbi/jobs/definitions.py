"""What a job is: an id, a UTC cron schedule and a body that reports what it did."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, TypeVar

import sqlalchemy as sa
from apscheduler.triggers.cron import CronTrigger
from opentelemetry import trace
from pydantic import BaseModel

from otelbi.errors import DependencyUnavailable
from otelbi.settings import Settings

T = TypeVar("T")

_CRON_WEEKDAYS = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")


class JobStatus(StrEnum):
    """Where a job execution stands."""

    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    SKIPPED = "skipped"
    INTERRUPTED = "interrupted"
    """Never finished: its service stopped, or its lease expired (the error column says which)."""


class JobTrigger(StrEnum):
    """Why a job ran."""

    SCHEDULE = "schedule"
    """A tick of its cron schedule, or the catch-up run shortly after the service started."""
    RUN_NOW = "run-now"
    """A user asked (POST …/run), or the command line (`otelbi jobs run`)."""
    DATA_CHANGE = "data-change"
    """The warehouse's data changed since its last run (jobs/data_change.py)."""


@dataclass(frozen=True)
class JobContext:
    """What a job body may use."""

    execution_id: int
    scheduled_for: dt.datetime
    settings: Settings
    store: sa.Engine
    warehouse: Callable[[], sa.Engine]
    tracer: trace.Tracer
    actor: str
    """Who started the run: the scheduler, or the user who asked for it."""
    resources: tuple[object, ...] = ()
    """What else the service gives its jobs (the gateway: its state, to reach the services)."""

    def resource(self, kind: type[T]) -> T:
        """Return the resource of type `kind`; DependencyUnavailable if the runner has none."""
        for resource in self.resources:
            if isinstance(resource, kind):
                return resource
        raise DependencyUnavailable(f"this job needs a {kind.__name__}, which this process lacks")


@dataclass(frozen=True)
class JobOutcome:
    """What a job body reports: rows written, details, and whether it failed or skipped."""

    rows_written: int = 0
    details: Mapping[str, Any] = field(default_factory=dict)
    status: JobStatus = JobStatus.SUCCEEDED


@dataclass(frozen=True)
class JobDefinition:
    """A scheduled job of one service (`service`: its name, e.g. aw-service or api-gateway)."""

    job_id: str
    service: str
    cron: str
    description: str
    body: Callable[[JobContext], JobOutcome]
    recompute_on_data_change: bool = False
    """Whether the job stores a snapshot of the warehouse's data, to be recomputed as soon as
    that data changes rather than at the next tick (jobs/data_change.py)."""

    def trigger(self) -> CronTrigger:
        """Return the job's schedule as an APScheduler trigger (UTC), read as standard cron."""
        minute, hour, day, month, day_of_week = self.cron.split()
        # APScheduler 3 counts weekdays from Monday = 0; crontab from Sunday = 0 (and 7).
        day_of_week = re.sub(r"\d", lambda m: _CRON_WEEKDAYS[int(m.group()) % 7], day_of_week)
        return CronTrigger(
            minute=minute,
            hour=hour,
            day=day,
            month=month,
            day_of_week=day_of_week,
            timezone=dt.UTC,
        )

    def latest_tick(self, now: dt.datetime) -> dt.datetime:
        """Return the most recent scheduled time at or before `now`."""
        trigger = self.trigger()
        for lookback_days in (1, 8, 32, 367):
            tick = trigger.get_next_fire_time(None, now - dt.timedelta(days=lookback_days))
            latest = None
            while tick is not None and tick <= now:
                latest = tick
                tick = trigger.get_next_fire_time(tick, tick + dt.timedelta(seconds=1))
            if isinstance(latest, dt.datetime):
                return latest
        raise ValueError(f"{self.job_id}: {self.cron!r} does not fire within a year")


class JobSchedule(BaseModel):
    """A job a service runs, and when (standard cron, UTC)."""

    job_id: str
    cron: str
    description: str

    @classmethod
    def of(cls, job: JobDefinition) -> JobSchedule:
        """Return the schedule of `job`."""
        return cls(job_id=job.job_id, cron=job.cron, description=job.description)
