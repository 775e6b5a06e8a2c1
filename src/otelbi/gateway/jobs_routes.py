"""Job history (read from the store) and run-now (forwarded to the owning service; the
gateway's own jobs, under /api/jobs/gateway, run in the gateway)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import StreamingResponse
from starlette.concurrency import run_in_threadpool

from otelbi.domains import GATEWAY_SERVICE_NAME, Domain
from otelbi.errors import DependencyUnavailable
from otelbi.gateway.auth import CurrentUser, GatewayDep, JobsRunner
from otelbi.gateway.forwarding import forward
from otelbi.jobs import executions
from otelbi.jobs.definitions import JobStatus
from otelbi.jobs.executions import JobExecution, JobRunStarted
from otelbi.web.errors import error_responses

# Every route reads or writes the job history in the store: 503 when it is down.
router = APIRouter(prefix="/api/jobs", tags=["jobs"], responses=error_responses(503))

Limit = Annotated[int | None, Query(ge=1, le=1000)]
JobIdFilter = Annotated[str | None, Query(max_length=100)]


# Declared before /{domain}: "gateway" is not a Domain, and the first matching route wins.
@router.get("/gateway", name="gateway.jobs.gateway_history")
def gateway_job_history(
    state: GatewayDep,
    _user: CurrentUser,
    limit: Limit = None,
    status: JobStatus | None = None,
    job_id: JobIdFilter = None,
) -> list[JobExecution]:
    """Return the gateway's job executions (the weekly report), newest first."""
    rows = executions.history(
        state.store,
        service=GATEWAY_SERVICE_NAME,
        limit=limit or state.settings.analytics.storage_default_limit,
        status=status,
        job_id=job_id,
    )
    return [JobExecution.model_validate(row) for row in rows]


@router.post(
    "/gateway/{job_id}/run",
    name="gateway.jobs.gateway_run",
    status_code=202,
    responses=error_responses(404),
)
async def run_gateway_job(job_id: str, state: GatewayDep, user: JobsRunner) -> JobRunStarted:
    """Run one of the gateway's jobs now, in the gateway (JOBS_RUN_SCOPE, if set)."""
    runner = state.job_runner()
    job = runner.find(job_id)
    scheduled_for = dt.datetime.now(dt.UTC)
    execution_id = await run_in_threadpool(runner.claim, job, scheduled_for)
    if execution_id is None:
        raise DependencyUnavailable(f"job {job_id} was claimed twice at {scheduled_for}")
    runner.start(job, execution_id, scheduled_for, actor=user.subject)
    return JobRunStarted(execution_id=execution_id, job_id=job_id, status="running")


@router.get("/{domain}", name="gateway.jobs.history")
def job_history(
    domain: Domain,
    state: GatewayDep,
    _user: CurrentUser,
    limit: Limit = None,
    status: JobStatus | None = None,
    job_id: JobIdFilter = None,
) -> list[JobExecution]:
    """Return the domain service's job executions, newest first."""
    rows = executions.history(
        state.store,
        service=domain.service_name,
        limit=limit or state.settings.analytics.storage_default_limit,
        status=status,
        job_id=job_id,
    )
    return [JobExecution.model_validate(row) for row in rows]


@router.post(
    "/{domain}/{job_id}/run",
    name="gateway.jobs.run",
    status_code=202,
    # The service's answer is passed on as it comes.
    response_model=JobRunStarted,
    responses=error_responses(404),
)
async def run_job(
    domain: Domain, job_id: str, request: Request, state: GatewayDep, user: JobsRunner
) -> StreamingResponse:
    """Run a job now (JOBS_RUN_SCOPE, if set); answers the new execution id (404 if unknown)."""
    return await forward(
        request, state, domain, user, path=f"/api/{domain.value}/jobs/{job_id}/run"
    )
