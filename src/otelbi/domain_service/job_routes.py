"""POST /api/<domain>/jobs/{job_id}/run: run a job now, on behalf of the calling user.

The run is claimed at once (its id is the answer) and carried out in a worker thread; the
job's own audit row names the user. GET …/jobs lists the service's jobs and schedules.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter
from starlette.concurrency import run_in_threadpool

from otelbi.domain_service.dependencies import CallerDep, StateDep
from otelbi.errors import DependencyUnavailable


def job_router(prefix: str) -> APIRouter:
    """Return the job routes of a domain service under `prefix` (e.g. /api/aw)."""
    router = APIRouter(prefix=prefix)

    @router.get("/jobs", name="jobs.list")
    def list_jobs(state: StateDep, _caller: CallerDep) -> list[dict[str, str]]:
        return [
            {"job_id": job.job_id, "cron": job.cron, "description": job.description}
            for job in state.job_runner().jobs.values()
        ]

    @router.post("/jobs/{job_id}/run", name="jobs.run", status_code=202)
    async def run_job(job_id: str, state: StateDep, caller: CallerDep) -> dict[str, Any]:
        runner = state.job_runner()
        job = runner.find(job_id)
        scheduled_for = dt.datetime.now(dt.UTC)
        execution_id = await run_in_threadpool(runner.claim, job, scheduled_for)
        if execution_id is None:
            raise DependencyUnavailable(f"job {job_id} was claimed twice at {scheduled_for}")
        state.background.submit(runner.run, job, execution_id, scheduled_for, actor=caller.subject)
        return {"execution_id": execution_id, "job_id": job_id, "status": "running"}

    return router
