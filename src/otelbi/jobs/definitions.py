"""What a job is: an id, a UTC cron schedule and a body that reports what it did."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from apscheduler.triggers.cron import CronTrigger
from opentelemetry import trace

from otelbi.domains import Domain
from otelbi.settings import Settings


class JobStatus(StrEnum):
    """Where a job execution stands."""

    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    SKIPPED = "skipped"


@dataclass(frozen=True)
class JobContext:
    """What a job body may use."""

    execution_id: int
    scheduled_for: dt.datetime
    settings: Settings
    store: sa.Engine
    warehouse: Callable[[], sa.Engine]
    tracer: trace.Tracer


@dataclass(frozen=True)
class JobOutcome:
    """What a job body reports: rows written, details, and whether it failed or skipped."""

    rows_written: int = 0
    details: Mapping[str, Any] = field(default_factory=dict)
    status: JobStatus = JobStatus.SUCCEEDED


@dataclass(frozen=True)
class JobDefinition:
    """A scheduled job of one domain service."""

    job_id: str
    domain: Domain
    cron: str
    description: str
    body: Callable[[JobContext], JobOutcome]

    def trigger(self) -> CronTrigger:
        """Return the job's schedule as an APScheduler trigger (UTC)."""
        return CronTrigger.from_crontab(self.cron, timezone=dt.UTC)

    def latest_tick(self, now: dt.datetime) -> dt.datetime:
        """Return the most recent scheduled time at or before `now`."""
        trigger = self.trigger()
        tick = trigger.get_next_fire_time(None, now - dt.timedelta(days=1))
        latest = tick
        while tick is not None and tick <= now:
            latest = tick
            tick = trigger.get_next_fire_time(tick, tick + dt.timedelta(seconds=1))
        assert isinstance(latest, dt.datetime), f"{self.cron!r} fires at least daily"
        return latest
