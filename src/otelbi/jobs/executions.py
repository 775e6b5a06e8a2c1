"""The job_executions table: claims, outcomes and history.

A run starts by inserting `(job_id, scheduled_for)`; the unique constraint lets exactly one
replica win each tick, so several replicas can run the same schedule against one store.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, Literal

import sqlalchemy as sa
from pydantic import BaseModel, Field
from sqlalchemy.exc import DBAPIError, IntegrityError

from otelbi.errors import StoreUnavailable
from otelbi.jobs.definitions import JobStatus
from otelbi.store.tables import job_executions


class JobExecution(BaseModel):
    """One run of a job: when it was due, when it ran, how it ended and what it did."""

    id: int
    job_id: str
    service: str = Field(
        description="The service that ran it: aw-service, wwi-service, api-gateway"
    )
    scheduled_for: dt.datetime
    started_at: dt.datetime
    finished_at: dt.datetime | None
    status: JobStatus
    rows_written: int
    details: dict[str, Any] = Field(description="What the job reports it did (job-specific)")
    error: str | None
    trace_id: str | None


class JobRunStarted(BaseModel):
    """A run-now that was claimed and is running in the background (202)."""

    execution_id: int = Field(description="Its row in the job history")
    job_id: str
    status: Literal["running"]


def claim(store: sa.Engine, *, job_id: str, service: str, scheduled_for: dt.datetime) -> int | None:
    """Return the id of a new running execution, or None if another run claimed this tick."""
    values = {
        "job_id": job_id,
        "service": service,
        "scheduled_for": scheduled_for,
        "started_at": dt.datetime.now(dt.UTC),
        "status": JobStatus.RUNNING.value,
        "details": {},
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


def mark_started(store: sa.Engine, execution_id: int, trace_id: str | None) -> None:
    """Record the trace id of the run that picked the execution up."""
    with store.begin() as connection:
        connection.execute(
            job_executions.update()
            .where(job_executions.c.id == execution_id)
            .values(trace_id=trace_id, started_at=dt.datetime.now(dt.UTC))
        )


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


def history(
    store: sa.Engine,
    *,
    service: str,
    limit: int,
    status: JobStatus | None = None,
    job_id: str | None = None,
) -> list[dict[str, Any]]:
    """Return a service's executions, newest first."""
    query = (
        sa.select(job_executions)
        .where(job_executions.c.service == service)
        .order_by(job_executions.c.id.desc())
        .limit(limit)
    )
    if status is not None:
        query = query.where(job_executions.c.status == status.value)
    if job_id is not None:
        query = query.where(job_executions.c.job_id == job_id)
    try:
        with store.connect() as connection:
            return [dict(row._mapping) for row in connection.execute(query)]
    except DBAPIError as error:
        raise StoreUnavailable(f"job history could not be read: {error.orig}") from error


def get(store: sa.Engine, execution_id: int) -> dict[str, Any] | None:
    """Return one execution, or None."""
    with store.connect() as connection:
        row = connection.execute(
            sa.select(job_executions).where(job_executions.c.id == execution_id)
        ).first()
    return None if row is None else dict(row._mapping)
