"""POST /api/<domain>/jobs/{job_id}/run: run a job now, on behalf of the calling user.

The run is claimed at once (its id is the answer) and carried out in a worker thread; the
job's own audit row names the user. GET …/jobs lists the service's jobs and schedules.
"""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter
from starlette.concurrency import run_in_threadpool

from otelbi.domain_service.dependencies import CallerDep, StateDep
from otelbi.domains import Domain
from otelbi.errors import DependencyUnavailable
from otelbi.jobs.definitions import JobSchedule, JobTrigger
from otelbi.jobs.executions import JobRunStarted
from otelbi.paging import Page
from otelbi.web.errors import error_responses


def job_router(domain: Domain) -> APIRouter:
    """Return the job routes of `domain`'s service, under /api/<domain>/jobs."""
    router = APIRouter(prefix=f"/api/{domain.value}", tags=["jobs"])

    @router.get("/jobs", name=f"{domain.value}.jobs.list", responses=error_responses(422))
    def list_jobs(state: StateDep, _caller: CallerDep) -> Page[JobSchedule]:
        """Return the service's jobs and their schedules, all on one page.

        Each job's id, its cron schedule (standard cron, UTC) and what it does. The few jobs fit
        on one page, so `total` is the number of jobs and there is no paging. The ids are those
        POST .../jobs/{job_id}/run accepts; GET /api/jobs/{domain} lists their runs.
        """
        schedules = [JobSchedule.of(job) for job in state.job_runner().jobs.values()]
        return Page[JobSchedule](
            items=schedules, limit=len(schedules), offset=0, total=len(schedules)
        )

    @router.post(
        "/jobs/{job_id}/run",
        name=f"{domain.value}.jobs.run",
        status_code=202,
        responses=error_responses(404, 503),
    )
    async def run_job(job_id: str, state: StateDep, caller: CallerDep) -> JobRunStarted:
        """Run a job now (JOBS_RUN_SCOPE, if set); answers the new execution id (404 if unknown).

        Starts the job in the background on this service and answers 202 with the new execution's
        id at once; follow it in GET /api/jobs/{domain}. With JOBS_RUN_SCOPE set, only a token
        holding that scope may do it (403 otherwise). 404 names the job ids there are.
        """
        runner = state.job_runner()
        job = runner.find(job_id)
        scheduled_for = dt.datetime.now(dt.UTC)
        execution_id = await run_in_threadpool(
            runner.claim, job, scheduled_for, trigger=JobTrigger.RUN_NOW
        )
        if execution_id is None:
            raise DependencyUnavailable(f"job {job_id} was claimed twice at {scheduled_for}")
        runner.start(
            job, execution_id, scheduled_for, actor=caller.subject, trigger=JobTrigger.RUN_NOW
        )
        return JobRunStarted(execution_id=execution_id, job_id=job_id, status="running")

    return router
