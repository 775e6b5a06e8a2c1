"""The job_executions table: claims, outcomes and history.

A run starts by inserting `(job_id, scheduled_for)`; the unique constraint lets exactly one
replica win each tick, so several replicas can run the same schedule against one store.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping
from typing import Any, Literal

import sqlalchemy as sa
from pydantic import BaseModel, Field
from sqlalchemy.exc import DBAPIError, IntegrityError

from otelbi.errors import StoreUnavailable
from otelbi.jobs.definitions import JobStatus, JobTrigger
from otelbi.store.tables import job_executions
from otelbi.utc import UtcDateTime


class JobExecution(BaseModel):
    """One run of a job: when it was due, when it ran, how it ended and what it did."""

    id: int
    job_id: str
    service: str = Field(
        description="The service that ran it: aw-service, wwi-service, api-gateway"
    )
    scheduled_for: UtcDateTime
    started_at: UtcDateTime
    finished_at: UtcDateTime | None
    status: JobStatus
    rows_written: int
    details: dict[str, Any] = Field(description="What the job reports it did (job-specific)")
    error: str | None
    trace_id: str | None
    trigger: JobTrigger = Field(
        description="Why it ran: schedule (a tick, or the catch-up after start), run-now, or "
        "data-change (the warehouse's data changed since the job's last run)"
    )
    data_version: str | None = Field(
        description="The warehouse data version the run started from (domain services)"
    )
    supersedes_execution_id: int | None = Field(
        description="A data-change run: the run whose snapshot it recomputes"
    )


class JobRunStarted(BaseModel):
    """A run-now that was claimed and is running in the background (202)."""

    execution_id: int = Field(description="Its row in the job history")
    job_id: str
    status: Literal["running"]


def claim(
    store: sa.Engine,
    *,
    job_id: str,
    service: str,
    scheduled_for: dt.datetime,
    trigger: JobTrigger = JobTrigger.SCHEDULE,
    supersedes_execution_id: int | None = None,
) -> int | None:
    """Return the id of a new running execution, or None if another run claimed this tick
    (or, for a data-change run, already supersedes `supersedes_execution_id`)."""
    now = dt.datetime.now(dt.UTC)
    values = {
        "job_id": job_id,
        "service": service,
        "scheduled_for": scheduled_for,
        "started_at": now,
        "heartbeat_at": now,
        "status": JobStatus.RUNNING.value,
        "details": {},
        "trigger": trigger.value,
        "supersedes_execution_id": supersedes_execution_id,
    }
    try:
        with store.begin() as connection:
            inserted = connection.execute(
                job_executions.insert().returning(job_executions.c.id), values
            )
            return int(inserted.scalar_one())
    except IntegrityError:
        return None
    except DBAPIError as error:
        raise StoreUnavailable(f"job {job_id} could not be claimed: {error.orig}") from error


def mark_started(
    store: sa.Engine, execution_id: int, trace_id: str | None, data_version: str | None
) -> None:
    """Record the trace id of the run that picked the execution up, and the warehouse data
    version it starts from."""
    with store.begin() as connection:
        connection.execute(
            job_executions.update()
            .where(job_executions.c.id == execution_id)
            .values(
                trace_id=trace_id, started_at=dt.datetime.now(dt.UTC), data_version=data_version
            )
        )


def latest_run(store: sa.Engine, job_id: str) -> dict[str, Any] | None:
    """Return the job's most recently claimed execution, or None if it never ran."""
    query = (
        sa.select(job_executions)
        .where(job_executions.c.job_id == job_id)
        .order_by(job_executions.c.id.desc())
        .limit(1)
    )
    try:
        with store.connect() as connection:
            row = connection.execute(query).first()
    except DBAPIError as error:
        raise StoreUnavailable(
            f"job {job_id}'s last run could not be read: {error.orig}"
        ) from error
    return None if row is None else dict(row._mapping)


def finish(
    store: sa.Engine,
    execution_id: int,
    *,
    status: JobStatus,
    rows_written: int,
    details: Mapping[str, Any],
    error: str | None,
) -> None:
    """Record how an execution ended."""
    with store.begin() as connection:
        connection.execute(
            job_executions.update()
            .where(job_executions.c.id == execution_id)
            .values(
                status=status.value,
                finished_at=dt.datetime.now(dt.UTC),
                rows_written=rows_written,
                details=dict(details),
                error=error,
            )
        )


def renew_leases(store: sa.Engine, execution_ids: Collection[int], now: dt.datetime) -> None:
    """Record that the runs `execution_ids` are still alive at `now`."""
    if not execution_ids:
        return
    with store.begin() as connection:
        connection.execute(
            job_executions.update()
            .where(
                job_executions.c.id.in_(execution_ids),
                job_executions.c.status == JobStatus.RUNNING.value,
            )
            .values(heartbeat_at=now)
        )


def interrupt(store: sa.Engine, execution_ids: Collection[int], reason: str) -> list[int]:
    """Mark the still-running executions among `execution_ids` interrupted; return their ids."""
    if not execution_ids:
        return []
    return _interrupt(store, job_executions.c.id.in_(execution_ids), reason)


def interrupt_stale(
    store: sa.Engine, *, service: str, lease: dt.timedelta, now: dt.datetime
) -> list[int]:
    """Mark a service's running executions with no heartbeat for `lease` interrupted; return
    their ids."""
    last_sign_of_life = sa.func.coalesce(job_executions.c.heartbeat_at, job_executions.c.started_at)
    reason = (
        f"no heartbeat for {lease.total_seconds():g} s (JOBS_LEASE_SECONDS): the process "
        "running it stopped or lost the store"
    )
    return _interrupt(
        store,
        sa.and_(job_executions.c.service == service, last_sign_of_life < now - lease),
        reason,
    )


def _interrupt(store: sa.Engine, which: sa.ColumnElement[bool], reason: str) -> list[int]:
    with store.begin() as connection:
        rows = connection.execute(
            job_executions.update()
            .where(which, job_executions.c.status == JobStatus.RUNNING.value)
            .values(
                status=JobStatus.INTERRUPTED.value,
                finished_at=dt.datetime.now(dt.UTC),
                error=reason,
            )
            .returning(job_executions.c.id)
        )
        return sorted(int(execution_id) for execution_id in rows.scalars())


def history(
    store: sa.Engine,
    *,
    service: str,
    limit: int,
    offset: int = 0,
    status: JobStatus | None = None,
    job_id: str | None = None,
) -> list[dict[str, Any]]:
    """Return a service's executions, newest first (`offset` of them skipped)."""
    query = (
        _matching(sa.select(job_executions), service, status, job_id)
        .order_by(job_executions.c.id.desc())
        .limit(limit)
        .offset(offset)
    )
    try:
        with store.connect() as connection:
            return [dict(row._mapping) for row in connection.execute(query)]
    except DBAPIError as error:
        raise StoreUnavailable(f"job history could not be read: {error.orig}") from error


def history_total(
    store: sa.Engine, *, service: str, status: JobStatus | None = None, job_id: str | None = None
) -> int:
    """Return how many executions `history` pages through with the same filters."""
    query = _matching(
        sa.select(sa.func.count()).select_from(job_executions), service, status, job_id
    )
    try:
        with store.connect() as connection:
            return int(connection.execute(query).scalar_one())
    except DBAPIError as error:
        raise StoreUnavailable(f"job history could not be read: {error.orig}") from error


def _matching(
    query: sa.Select[Any], service: str, status: JobStatus | None, job_id: str | None
) -> sa.Select[Any]:
    query = query.where(job_executions.c.service == service)
    if status is not None:
        query = query.where(job_executions.c.status == status.value)
    if job_id is not None:
        query = query.where(job_executions.c.job_id == job_id)
    return query


def get(store: sa.Engine, execution_id: int) -> dict[str, Any] | None:
    """Return one execution, or None."""
    with store.connect() as connection:
        row = connection.execute(
            sa.select(job_executions).where(job_executions.c.id == execution_id)
        ).first()
    return None if row is None else dict(row._mapping)
