"""Job history (read from the store) and run-now (forwarded to the owning service; the
gateway's own jobs, under /api/jobs/gateway, run in the gateway)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from otelbi.domains import GATEWAY_SERVICE_NAME, Domain
from otelbi.errors import DependencyUnavailable
from otelbi.gateway.auth import CurrentUser, GatewayDep, JobsRunner
from otelbi.gateway.forwarding import forward
from otelbi.gateway.state import GatewayState
from otelbi.jobs import executions
from otelbi.jobs.definitions import JobStatus, JobTrigger
from otelbi.jobs.executions import JobExecution, JobRunStarted
from otelbi.paging import Page, PageLimit, PageOffset
from otelbi.web.errors import error_responses

# Every route reads or writes the job history in the store: 503 when it is down.
router = APIRouter(prefix="/api/jobs", tags=["jobs"], responses=error_responses(503))

JobIdFilter = Annotated[str | None, Query(max_length=100)]


# Declared before /{domain}: "gateway" is not a Domain, and the first matching route wins.
@router.get("/gateway", name="gateway.jobs.gateway_history")
def gateway_job_history(
    state: GatewayDep,
    _user: CurrentUser,
    limit: PageLimit = None,
    offset: PageOffset = 0,
    status: JobStatus | None = None,
    job_id: JobIdFilter = None,
) -> Page[JobExecution]:
    """Return the gateway's job executions (the weekly report), newest first.

    One page (`limit`, `offset`, `total`) of the runs of the gateway's own jobs: each with
    why it ran (`trigger`), when it was due, started and finished, its status, rows written,
    what it did (`details`), its error if any and the trace id to look it up with. `status`
    and `job_id` narrow the list; `total` counts what matches them.
    """
    return _history_page(state, GATEWAY_SERVICE_NAME, limit, offset, status, job_id)


@router.post(
    "/gateway/{job_id}/run",
    name="gateway.jobs.gateway_run",
    status_code=202,
    responses=error_responses(404),
)
async def run_gateway_job(job_id: str, state: GatewayDep, user: JobsRunner) -> JobRunStarted:
    """Run one of the gateway's jobs now, in the gateway (JOBS_RUN_SCOPE, if set).

    Starts the job in the background and answers 202 with the new execution's id at once; the
    run shows up in GET /api/jobs/gateway, status `running` until it ends. With JOBS_RUN_SCOPE
    set, only a token holding that scope may do it (403 otherwise). 404 names the job ids
    there are.
    """
    runner = state.job_runner()
    job = runner.find(job_id)
    scheduled_for = dt.datetime.now(dt.UTC)
    execution_id = await run_in_threadpool(
        runner.claim, job, scheduled_for, trigger=JobTrigger.RUN_NOW
    )
    if execution_id is None:
        raise DependencyUnavailable(f"job {job_id} was claimed twice at {scheduled_for}")
    runner.start(job, execution_id, scheduled_for, actor=user.subject, trigger=JobTrigger.RUN_NOW)
    return JobRunStarted(execution_id=execution_id, job_id=job_id, status="running")


@router.get("/{domain}", name="gateway.jobs.history")
def job_history(
    domain: Domain,
    state: GatewayDep,
    _user: CurrentUser,
    limit: PageLimit = None,
    offset: PageOffset = 0,
    status: JobStatus | None = None,
    job_id: JobIdFilter = None,
) -> Page[JobExecution]:
    """Return the domain service's job executions, newest first.

    `domain` is `aw` or `wwi`. One page (`limit`, `offset`, `total`) of that service's job
    runs (snapshots, data-quality checks, stock events): each with its trigger, status,
    times, rows written, what it did (`details`, the data-quality results included), error
    and trace id. `status` and `job_id` narrow the
    list; `total` counts what matches them. Read from the store; the service is not called.
    """
    return _history_page(state, domain.service_name, limit, offset, status, job_id)


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
) -> Response:
    """Run a job now (JOBS_RUN_SCOPE, if set); answers the new execution id (404 if unknown).

    `domain` is `aw` or `wwi`; the gateway passes the call to that service, which starts the
    job in the background and answers 202 with the new execution's id at once. Follow it in
    GET /api/jobs/{domain}. With JOBS_RUN_SCOPE set, only a token holding that scope may do it
    (403 otherwise); GET /api/aw/jobs and /api/wwi/jobs list the job ids.
    """
    return await forward(
        request, state, domain, user, path=f"/api/{domain.value}/jobs/{job_id}/run"
    )


def _history_page(
    state: GatewayState,
    service: str,
    limit: int | None,
    offset: int,
    status: JobStatus | None,
    job_id: str | None,
) -> Page[JobExecution]:
    """Return one page of `service`'s job executions, newest first."""
    limit = limit or state.settings.analytics.storage_default_limit
    rows = executions.history(
        state.store, service=service, limit=limit, offset=offset, status=status, job_id=job_id
    )
    return Page[JobExecution](
        items=[JobExecution.model_validate(row) for row in rows],
        limit=limit,
        offset=offset,
        total=executions.history_total(state.store, service=service, status=status, job_id=job_id),
    )
