"""Orchestrator probes, on every process: `/livez` and `/readyz`.

Liveness depends on nothing but the process answering, so an orchestrator restarts only a
process that is itself stuck, never one whose database is down (a restart would not help and
would drop the requests in flight). Readiness checks what the process needs to serve — the
write store and the warehouses it reads — so a replica that cannot serve leaves the load
balancer until it can. Faults every replica shares that leave most of the product working
(the identity provider, the report directory, the audit chain) are not readiness: taking
every replica out would make them total; the gateway's /api/health reports them. Both answer
without a token and say no more than the names of the failing checks: the authenticated
health routes give the details.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Literal

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel

FailingChecks = Callable[[Request], Awaitable[list[str]]]
"""Return the names of the checks that fail now (empty when ready)."""


class Liveness(BaseModel):
    """The process answers."""

    status: Literal["ok"] = "ok"


class Readiness(BaseModel):
    """Whether the process can serve: 200 "ready", or 503 "not ready" naming what fails."""

    status: Literal["ready", "not ready"]
    failing: list[str]


def add_probes(app: FastAPI, failing_checks: FailingChecks) -> None:
    """Add GET /livez and GET /readyz (outside the API's description) to `app`."""

    @app.get("/livez", include_in_schema=False)
    def livez() -> Liveness:
        return Liveness()

    @app.get("/readyz", include_in_schema=False)
    async def readyz(request: Request) -> JSONResponse:
        failing = await failing_checks(request)
        readiness = Readiness(status="not ready" if failing else "ready", failing=failing)
        return JSONResponse(readiness.model_dump(), status_code=503 if failing else 200)
