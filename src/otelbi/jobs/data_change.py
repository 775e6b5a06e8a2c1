"""Snapshot jobs run again as soon as their warehouse's data changes, not at their next tick.

Every run of a domain service's job records the warehouse data version it started from
(cache/data_version.py's fingerprint). Every JOBS_DATA_CHANGE_CHECK_SECONDS the service reads
the current version (a replaced embedded file is noticed at once, SQL Server within
RESULT_CACHE_FRESHNESS_SECONDS) and compares it with the version of each snapshot job's latest
run (`recompute_on_data_change`); when they differ it claims a `data-change` run that
supersedes that run, and starts it like any other run (job_executions row, root span, audit).

- Once per change, across replicas: the claim names the run it supersedes, which is unique in
  job_executions; the replica that comes second finds it taken (or, later, finds the new run
  already on the current version) and does nothing.
- Never in a loop: the new run records the version it read, so the next check finds them
  equal, whether it succeeded or failed.
- Not a first run: a job that never ran, or whose last run recorded no version (before this
  was recorded, or the warehouse did not answer), is left to the scheduler, whose catch-up
  after start and ticks make its snapshots. A start on unchanged data runs nothing; a start
  on data that changed while the service was down recomputes, once.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence

import sqlalchemy as sa

from otelbi.errors import OtelBiError
from otelbi.jobs import executions
from otelbi.jobs.definitions import JobDefinition, JobTrigger
from otelbi.jobs.runner import SCHEDULER_ACTOR, JobRunner

log = logging.getLogger(__name__)


class DataChangeWatch:
    """Starts a `data-change` run of each snapshot job whose last run read other data."""

    def __init__(self, runner: JobRunner, store: sa.Engine) -> None:
        self._runner = runner
        self._store = store
        self.jobs: Sequence[JobDefinition] = [
            job for job in runner.jobs.values() if job.recompute_on_data_change
        ]

    def check(self, now: dt.datetime | None = None) -> list[int]:
        """Start the runs the current data version calls for; return their execution ids."""
        read_version = self._runner.data_version
        if read_version is None or not self.jobs:
            return []
        try:
            current = read_version()
        except OtelBiError as error:
            log.info("data change not checked: %s", error)
            return []
        moment = now or dt.datetime.now(dt.UTC)
        started: list[int] = []
        for job in self.jobs:
            try:
                execution_id = self._recompute_if_changed(job, current, moment)
            except OtelBiError as error:
                log.error("job %s: data change not checked: %s", job.job_id, error)
                return started
            if execution_id is not None:
                started.append(execution_id)
        return started

    def _recompute_if_changed(
        self, job: JobDefinition, current: str, moment: dt.datetime
    ) -> int | None:
        latest = executions.latest_run(self._store, job.job_id)
        if latest is None or latest["data_version"] in (None, current):
            return None
        execution_id = self._runner.claim(
            job, moment, trigger=JobTrigger.DATA_CHANGE, supersedes_execution_id=latest["id"]
        )
        if execution_id is None:
            log.info("job %s: run %d already recomputed by another run", job.job_id, latest["id"])
            return None
        log.info(
            "job %s: the warehouse data changed since run %d (version %s, now %s): "
            "recomputing as run %d",
            job.job_id,
            latest["id"],
            latest["data_version"],
            current,
            execution_id,
        )
        self._runner.start(
            job, execution_id, moment, actor=SCHEDULER_ACTOR, trigger=JobTrigger.DATA_CHANGE
        )
        return execution_id
