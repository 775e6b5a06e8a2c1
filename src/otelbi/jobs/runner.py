"""Runs a service's jobs: claim the tick, run the body under a root span, record the outcome
in job_executions and the audit log. A failing body is recorded, never raised: the scheduler
keeps going.

A runner belongs to one service: a domain service (its jobs use its warehouse) or the
gateway (its jobs use the `resources` it is given, e.g. its state for cross-domain reports).
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable, Sequence

import sqlalchemy as sa
from opentelemetry import context as otel_context
from opentelemetry import trace
from opentelemetry.trace import Status, StatusCode

from otelbi.errors import DependencyUnavailable, NotFound, OtelBiError
from otelbi.jobs import executions
from otelbi.jobs.definitions import JobContext, JobDefinition, JobOutcome, JobStatus
from otelbi.settings import Settings
from otelbi.store import audit
from otelbi.telemetry import Telemetry, running_as

log = logging.getLogger(__name__)

SCHEDULER_ACTOR = "scheduler"


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
    ) -> None:
        self.service_name = service_name
        self.audit_domain = audit_domain
        self.jobs = {job.job_id: job for job in jobs}
        self._settings = settings
        self._store = store
        self._warehouse = warehouse or self._no_warehouse
        self._resources = tuple(resources)
        self._on_run_start = on_run_start
        self._telemetry = telemetry
        self._tracer = telemetry.tracer

    def find(self, job_id: str) -> JobDefinition:
        """Return the job called `job_id`; NotFound names the jobs there are."""
        job = self.jobs.get(job_id)
        if job is None:
            known = ", ".join(sorted(self.jobs)) or "none"
            raise NotFound(f"{self.service_name} has no job {job_id!r} (jobs: {known})")
        return job

    def _no_warehouse(self) -> sa.Engine:
        raise DependencyUnavailable(f"{self.service_name} has no warehouse")

    def claim(self, job: JobDefinition, scheduled_for: dt.datetime) -> int | None:
        """Return a new execution id for this tick, or None if it is already claimed."""
        return executions.claim(
            self._store,
            job_id=job.job_id,
            service=self.service_name,
            scheduled_for=scheduled_for,
        )

    def run_tick(self, job: JobDefinition, now: dt.datetime | None = None) -> int | None:
        """Run the job's latest scheduled tick unless another run claimed it; return its id."""
        scheduled_for = job.latest_tick(now or dt.datetime.now(dt.UTC))
        try:
            execution_id = self.claim(job, scheduled_for)
        except OtelBiError as error:
            log.error("job %s tick %s not claimed: %s", job.job_id, scheduled_for, error.detail)
            return None
        if execution_id is None:
            log.info("job %s tick %s already claimed by another run", job.job_id, scheduled_for)
            return None
        self.run(job, execution_id, scheduled_for, actor=SCHEDULER_ACTOR)
        return execution_id

    def run(
        self, job: JobDefinition, execution_id: int, scheduled_for: dt.datetime, *, actor: str
    ) -> JobStatus:
        """Run a claimed execution to its end and return how it ended.

        The run's spans and metrics belong to the runner's service, whichever thread runs it.
        """
        started = time.perf_counter()
        self._on_run_start()
        attributes: dict[str, str | int] = {
            "otelbi.job.id": job.job_id,
            "otelbi.job.execution_id": execution_id,
            "otelbi.job.scheduled_for": scheduled_for.isoformat(),
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
            executions.mark_started(self._store, execution_id, trace_id)
            outcome, error = self._body(job, execution_id, scheduled_for, span, actor)
            span.set_attribute("otelbi.job.status", outcome.status.value)
            span.set_attribute("otelbi.job.rows_written", outcome.rows_written)
            executions.finish(
                self._store,
                execution_id,
                status=outcome.status,
                rows_written=outcome.rows_written,
                details=outcome.details,
                error=error,
            )
            self._audit(job, execution_id, scheduled_for, actor, outcome, error, started, trace_id)
        self._telemetry.metrics.job_run(
            job.job_id, outcome.status.value, time.perf_counter() - started
        )
        log.info("job %s execution %d %s", job.job_id, execution_id, outcome.status.value)
        return outcome.status

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
            parameters={"execution_id": execution_id, "scheduled_for": scheduled_for.isoformat()},
            outcome=outcome.status.value,
            duration_ms=(time.perf_counter() - started) * 1000,
            trace_id=trace_id,
            detail=error,
        )
        try:
            audit.append(self._store, entry)
        except OtelBiError as failure:
            log.error("job %s execution %d not audited: %s", job.job_id, execution_id, failure)
