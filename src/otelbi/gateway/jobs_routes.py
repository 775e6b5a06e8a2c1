"""Job history (read from the store) and run-now (forwarded to the owning service)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import StreamingResponse

from otelbi.domains import Domain
from otelbi.gateway.auth import CurrentUser, GatewayDep, JobsRunner
from otelbi.gateway.forwarding import forward
from otelbi.jobs import executions
from otelbi.jobs.definitions import JobStatus

router = APIRouter(prefix="/api/jobs")


@router.get("/{domain}", name="gateway.jobs.history")
def job_history(
    domain: Domain,
    state: GatewayDep,
    _user: CurrentUser,
    limit: Annotated[int | None, Query(ge=1, le=1000)] = None,
    status: JobStatus | None = None,
    job_id: Annotated[str | None, Query(max_length=100)] = None,
) -> list[dict[str, Any]]:
    """Return the domain service's job executions, newest first."""
    return executions.history(
        state.store,
        service=domain.service_name,
        limit=limit or state.settings.analytics.storage_default_limit,
        status=status,
        job_id=job_id,
    )


@router.post("/{domain}/{job_id}/run", name="gateway.jobs.run", status_code=202)
async def run_job(
    domain: Domain, job_id: str, request: Request, state: GatewayDep, user: JobsRunner
) -> StreamingResponse:
    """Run a job now (JOBS_RUN_SCOPE, if set); answers the new execution id (404 if unknown)."""
    return await forward(
        request, state, domain, user, path=f"/api/{domain.value}/jobs/{job_id}/run"
    )
