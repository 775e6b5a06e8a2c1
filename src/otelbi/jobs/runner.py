"""Runs a service's jobs: claim the tick, run the body under a root span, record the outcome
in job_executions and the audit log. A failing body is recorded, never raised: the scheduler
keeps going.

Runs started in the background (`start`) take one of a few slots, in daemon threads: a run
that hangs never holds the process's exit. `close` marks the runs still going, or still
waiting for a slot, `interrupted`; runs a dead process left behind expire with their lease
(jobs/leases.py).

A runner belongs to one service: a domain service (its jobs use its warehouse) or the
gateway (its jobs use the `resources` it is given, e.g. its state for cross-domain reports).
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections.abc import Callable, Sequence

import sqlalchemy as sa
from opentelemetry import context as otel_context
from opentelemetry import trace
from opentelemetry.trace import Status, StatusCode
from sqlalchemy.exc import DBAPIError

from otelbi.errors import DependencyUnavailable, NotFound, OtelBiError
from otelbi.jobs import executions
from otelbi.jobs.definitions import (
    JobContext,
    JobDefinition,
    JobOutcome,
    JobStatus,
    JobTrigger,
)
from otelbi.jobs.leases import LeaseKeeper
from otelbi.settings import Settings
from otelbi.store import audit
from otelbi.telemetry import Telemetry, running_as
from otelbi.utc import utc_text

log = logging.getLogger(__name__)

SCHEDULER_ACTOR = "scheduler"

BACKGROUND_SLOTS = 2
"""How many background runs one runner carries out at once; more wait for a slot."""


class JobRunner:
    """The jobs of one service and what they run against."""

    def __init__(
        self,
        service_name: str,
        jobs: Sequence[JobDefinition],
        *,
        audit_domain: str,
        settings: Settings,
        store: sa.Engine,
        telemetry: Telemetry,
        warehouse: Callable[[], sa.Engine] | None = None,
        resources: Sequence[object] = (),
        on_run_start: Callable[[], None] = lambda: None,
        data_version: Callable[[], str] | None = None,
    ) -> None:
        self.service_name = service_name
        self.audit_domain = audit_domain
        self.jobs = {job.job_id: job for job in jobs}
        self._settings = settings
        self._store = store
        self._warehouse = warehouse or self._no_warehouse
        self._resources = tuple(resources)
        self._on_run_start = on_run_start
        self.data_version = data_version
        """The warehouse's current data version (a domain service's runner), recorded with
        each run; jobs/data_change.py compares it with the last run's."""
        self._telemetry = telemetry
        self._tracer = telemetry.tracer
        self._slots = threading.BoundedSemaphore(BACKGROUND_SLOTS)
        self._closing = threading.Event()
        self._lock = threading.Lock()
        self._waiting: set[int] = set()
        self._running: set[int] = set()
        self._leases = LeaseKeeper(
            store,
            service=service_name,
            lease=dt.timedelta(seconds=settings.jobs.jobs_lease_seconds),
            in_flight=self._in_flight,
        )

    def open(self) -> None:
        """Start renewing this runner's leases and ending the service's abandoned runs."""
        self._leases.start()

    def close(self) -> list[int]:
        """Stop: mark the runs still going or waiting `interrupted`; return their ids.

        A run still in its thread may yet record its real end before the process exits.
        """
        self._closing.set()
        self._leases.stop()
        with self._lock:
            waiting, running = sorted(self._waiting), sorted(self._running)
        try:
            interrupted = sorted(
                executions.interrupt(
                    self._store, waiting, "the service stopped before the run started"
                )
                + executions.interrupt(
                    self._store, running, "the service stopped while the job was running"
                )
            )
        except DBAPIError as error:
            log.error(
                "%s: runs %s not marked interrupted (their lease will expire): %s",
                self.service_name,
                ", ".join(map(str, waiting + running)),
                error.orig,
            )
            return []
        if interrupted:
            log.warning(
                "%s stopping: job executions %s marked interrupted",
                self.service_name,
                ", ".join(map(str, interrupted)),
            )
        return interrupted

    def _in_flight(self) -> list[int]:
        with self._lock:
            return [*self._waiting, *self._running]

    def find(self, job_id: str) -> JobDefinition:
        """Return the job called `job_id`; NotFound names the jobs there are."""
        job = self.jobs.get(job_id)
        if job is None:
            known = ", ".join(sorted(self.jobs)) or "none"
            raise NotFound(f"{self.service_name} has no job {job_id!r} (jobs: {known})")
        return job

    def _no_warehouse(self) -> sa.Engine:
        raise DependencyUnavailable(f"{self.service_name} has no warehouse")

    def claim(
        self,
        job: JobDefinition,
        scheduled_for: dt.datetime,
        *,
        trigger: JobTrigger = JobTrigger.SCHEDULE,
        supersedes_execution_id: int | None = None,
    ) -> int | None:
        """Return a new execution id for this tick, or None if it is already claimed."""
        return executions.claim(
            self._store,
            job_id=job.job_id,
            service=self.service_name,
            scheduled_for=scheduled_for,
            trigger=trigger,
            supersedes_execution_id=supersedes_execution_id,
        )

    def claim_tick(self, job: JobDefinition, now: dt.datetime | None = None) -> int | None:
        """Return a new execution id for the job's latest tick, or None if another run has it.

        StoreUnavailable when the store does not answer (the scheduler retries the tick).
        """
        scheduled_for = job.latest_tick(now or dt.datetime.now(dt.UTC))
        execution_id = self.claim(job, scheduled_for)
        if execution_id is None:
            log.info("job %s tick %s already claimed by another run", job.job_id, scheduled_for)
        return execution_id

    def run_tick(self, job: JobDefinition, now: dt.datetime | None = None) -> int | None:
        """Run the job's latest scheduled tick unless another run claimed it; return its id."""
        moment = now or dt.datetime.now(dt.UTC)
        execution_id = self.claim_tick(job, moment)
        if execution_id is not None:
            self.run(job, execution_id, job.latest_tick(moment), actor=SCHEDULER_ACTOR)
        return execution_id

    def start(
        self,
        job: JobDefinition,
        execution_id: int,
        scheduled_for: dt.datetime,
        *,
        actor: str,
        trigger: JobTrigger = JobTrigger.SCHEDULE,
    ) -> None:
        """Run a claimed execution in a daemon thread once a slot is free."""
        with self._lock:
            self._waiting.add(execution_id)
        threading.Thread(
            target=self._run_in_slot,
            args=(job, execution_id, scheduled_for, actor, trigger),
            name=f"job-run-{execution_id}",
            daemon=True,
        ).start()

    def _run_in_slot(
        self,
        job: JobDefinition,
        execution_id: int,
        scheduled_for: dt.datetime,
        actor: str,
        trigger: JobTrigger,
    ) -> None:
        with self._slots:
            if not self._closing.is_set():
                self.run(job, execution_id, scheduled_for, actor=actor, trigger=trigger)
                return
        # Started as the service stopped (`close` may not have seen it): it never runs.
        try:
            executions.interrupt(
                self._store, [execution_id], "the service stopped before the run started"
            )
        except DBAPIError as error:
            log.error(
                "job %s execution %d left to its lease: %s", job.job_id, execution_id, error.orig
            )

    def run(
        self,
        job: JobDefinition,
        execution_id: int,
        scheduled_for: dt.datetime,
        *,
        actor: str,
        trigger: JobTrigger = JobTrigger.SCHEDULE,
    ) -> JobStatus:
        """Run a claimed execution to its end and return how it ended.

        The run's spans and metrics belong to the runner's service, whichever thread runs it.
        """
        with self._lock:
            self._waiting.discard(execution_id)
            self._running.add(execution_id)
        try:
            return self._run(job, execution_id, scheduled_for, actor, trigger)
        finally:
            with self._lock:
                self._running.discard(execution_id)

    def _run(
        self,
        job: JobDefinition,
        execution_id: int,
        scheduled_for: dt.datetime,
        actor: str,
        trigger: JobTrigger,
    ) -> JobStatus:
        started = time.perf_counter()
        self._on_run_start()
        attributes: dict[str, str | int] = {
            "otelbi.job.id": job.job_id,
            "otelbi.job.execution_id": execution_id,
            "otelbi.job.scheduled_for": scheduled_for.isoformat(),
            "otelbi.job.trigger": trigger.value,
            "otelbi.actor": actor,
        }
        # Each run is a trace of its own, even when a request asked for it.
        with (
            running_as(self._telemetry),
            self._tracer.start_as_current_span(
                f"job {job.job_id}", context=otel_context.Context(), attributes=attributes
            ) as span,
        ):
            trace_id = format(span.get_span_context().trace_id, "032x")
            self._record(
                job,
                execution_id,
                "start",
                executions.mark_started,
                trace_id,
                self._current_data_version(job),
            )
            outcome, error = self._body(job, execution_id, scheduled_for, span, actor)
            span.set_attribute("otelbi.job.status", outcome.status.value)
            span.set_attribute("otelbi.job.rows_written", outcome.rows_written)
            self._record(
                job,
                execution_id,
                "end",
                executions.finish,
                status=outcome.status,
                rows_written=outcome.rows_written,
                details=outcome.details,
                error=error,
            )
            self._audit(
                job, execution_id, scheduled_for, actor, trigger, outcome, error, started, trace_id
            )
        self._telemetry.metrics.job_run(
            job.job_id, outcome.status.value, time.perf_counter() - started
        )
        log.info("job %s execution %d %s", job.job_id, execution_id, outcome.status.value)
        return outcome.status

    def _current_data_version(self, job: JobDefinition) -> str | None:
        """Return the warehouse's data version as the run starts; None if there is none to
        read (the gateway, or a warehouse that does not answer: the job will say so)."""
        if self.data_version is None:
            return None
        try:
            return self.data_version()
        except OtelBiError as error:
            log.warning("job %s: the data version could not be read: %s", job.job_id, error)
            return None

    def _record(
        self,
        job: JobDefinition,
        execution_id: int,
        what: str,
        write: Callable[..., None],
        *args: object,
        **values: object,
    ) -> None:
        """Write the run's start or end; a store that fails leaves the row to its lease."""
        try:
            write(self._store, execution_id, *args, **values)
        except DBAPIError as error:
            log.error(
                "job %s execution %d: %s not recorded, the store failed (the row is marked "
                "interrupted once its lease expires): %s",
                job.job_id,
                execution_id,
                what,
                error.orig,
            )

    def _body(
        self,
        job: JobDefinition,
        execution_id: int,
        scheduled_for: dt.datetime,
        span: trace.Span,
        actor: str,
    ) -> tuple[JobOutcome, str | None]:
        context = JobContext(
            execution_id=execution_id,
            scheduled_for=scheduled_for,
            settings=self._settings,
            store=self._store,
            warehouse=self._warehouse,
            tracer=self._tracer,
            actor=actor,
            resources=self._resources,
        )
        try:
            outcome = job.body(context)
        except Exception as error:
            log.exception("job %s execution %d failed", job.job_id, execution_id)
            span.record_exception(error)
            span.set_status(Status(StatusCode.ERROR, str(error)))
            detail = error.detail if isinstance(error, OtelBiError) else str(error)
            return JobOutcome(status=JobStatus.FAILED), f"{type(error).__name__}: {detail}"
        if outcome.status is JobStatus.FAILED:
            span.set_status(Status(StatusCode.ERROR, "job reported failure"))
        return outcome, None

    def _audit(
        self,
        job: JobDefinition,
        execution_id: int,
        scheduled_for: dt.datetime,
        actor: str,
        trigger: JobTrigger,
        outcome: JobOutcome,
        error: str | None,
        started: float,
        trace_id: str,
    ) -> None:
        entry = audit.AuditEntry(
            actor=actor,
            domain=self.audit_domain,
            action="job.run",
            resource=job.job_id,
            parameters={
                "execution_id": execution_id,
                "scheduled_for": utc_text(scheduled_for),
                "trigger": trigger.value,
            },
            outcome=outcome.status.value,
            duration_ms=(time.perf_counter() - started) * 1000,
            trace_id=trace_id,
            detail=error,
        )
        try:
            audit.append(self._store, entry)
        except OtelBiError as failure:
            log.error("job %s execution %d not audited: %s", job.job_id, execution_id, failure)
