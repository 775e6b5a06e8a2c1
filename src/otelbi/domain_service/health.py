"""GET /api/<domain>/health: whether the service's warehouse and the write store answer.

The same checks make the service's /readyz probe (web/probes.py), which names what fails but
not why.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

import sqlalchemy as sa
from fastapi import APIRouter, Request
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from otelbi.domain_service.dependencies import CallerDep, StateDep
from otelbi.domain_service.state import ServiceState
from otelbi.domains import Domain
from otelbi.engine_health import check_engine
from otelbi.errors import OtelBiError
from otelbi.web.errors import error_responses


class ServiceHealthChecks(BaseModel):
    """Each dependency: "ok", or what went wrong."""

    warehouse: str
    store: str


class ServiceHealth(BaseModel):
    """A domain service's health: "degraded" (still 200) when a check is not "ok"."""

    status: Literal["ok", "degraded"]
    checks: ServiceHealthChecks


def health_router(domain: Domain) -> APIRouter:
    """Return the health route of `domain`'s service."""
    router = APIRouter(prefix=f"/api/{domain.value}", tags=[domain.value])

    @router.get("/health", name=f"{domain.value}.health", responses=error_responses(422))
    def health(state: StateDep, _caller: CallerDep) -> ServiceHealth:
        """Return whether the warehouse and the write store answer (200 even when degraded).

        `status` is `ok` or `degraded`, and each check says `ok` or what went wrong: one `SELECT 1`
        on the service's warehouse and on the write store. It answers 200 either way, so it shows
        what is wrong rather than failing; GET /api/health gives the product's overall state.
        """
        checks = _checks(state)
        healthy = checks.warehouse == "ok" and checks.store == "ok"
        return ServiceHealth(status="ok" if healthy else "degraded", checks=checks)

    return router


async def failing_checks(request: Request) -> list[str]:
    """Return the names of the service's failing checks (its readiness)."""
    state: ServiceState = request.app.state.service
    checks = await run_in_threadpool(_checks, state)
    return [name for name, result in checks.model_dump().items() if result != "ok"]


def _checks(state: ServiceState) -> ServiceHealthChecks:
    return ServiceHealthChecks(
        warehouse=_check(state.warehouse.engine), store=_check(lambda: state.store)
    )


def _check(engine: Callable[[], sa.Engine]) -> str:
    """Return "ok" if the engine answers SELECT 1, else what went wrong."""
    try:
        return check_engine(engine())
    except OtelBiError as error:
        return error.detail
