"""Builds a domain service (aw-service or wwi-service) around its routers."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager

import sqlalchemy as sa
from fastapi import APIRouter, FastAPI

from otelbi import __version__
from otelbi.domain_service.health import failing_checks
from otelbi.domain_service.state import ServiceState
from otelbi.domains import Domain
from otelbi.errors import WarehouseUnavailable
from otelbi.jobs.definitions import JobDefinition
from otelbi.jobs.runner import JobRunner
from otelbi.jobs.scheduler import JobScheduler
from otelbi.settings import Settings
from otelbi.store.engine import open_store
from otelbi.telemetry import Telemetry, instrument_app, instrument_engine
from otelbi.warehouse.engines import create_warehouse_engine
from otelbi.web.errors import install_error_handlers
from otelbi.web.probes import add_probes

log = logging.getLogger(__name__)


def create_domain_app(
    domain: Domain,
    routers: Sequence[APIRouter],
    jobs: Sequence[JobDefinition],
    settings: Settings,
    telemetry: Telemetry,
) -> FastAPI:
    """Return the FastAPI application of `domain`'s service, serving `routers` and `jobs`.

    `routers` are the service's public API, reached through the gateway at the same paths;
    the gateway's OpenAPI document describes them (gateway/openapi.py).
    """

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        store = open_store(settings, telemetry)
        warehouse: sa.Engine | None = None
        problem: str | None = None
        try:
            warehouse = create_warehouse_engine(domain, settings.warehouse)
            instrument_engine(warehouse, telemetry)
        except WarehouseUnavailable as error:
            problem = error.detail
            log.error("%s starts without its warehouse: %s", domain.service_name, problem)
        state = ServiceState(
            domain=domain,
            settings=settings,
            store=store,
            telemetry=telemetry,
            internal_secret=settings.internal_secret,
            allowed_issuers=settings.auth.allowed_issuers,
            warehouse_engine=warehouse,
            warehouse_problem=problem,
        )
        state.jobs = JobRunner(
            domain.service_name,
            jobs,
            audit_domain=domain.value,
            settings=settings,
            store=store,
            warehouse=state.warehouse,
            telemetry=telemetry,
        )
        app.state.service = state
        if not settings.audit.audit_fail_closed:
            log.warning(
                "AUDIT_FAIL_CLOSED=false: %s delivers results even when their audit row "
                "cannot be written",
                domain.service_name,
            )
        scheduler = JobScheduler(
            state.jobs, startup_delay_seconds=settings.jobs.jobs_startup_delay_seconds
        )
        if settings.jobs.jobs_enabled:
            scheduler.start()
        yield
        if settings.jobs.jobs_enabled:
            scheduler.stop()
        state.background.shutdown(wait=True, cancel_futures=True)
        if warehouse is not None:
            warehouse.dispose()
        store.dispose()
        telemetry.shutdown()

    app = FastAPI(
        title=domain.service_name,
        version=__version__,
        lifespan=lifespan,
        # Nothing but the probes answer without an internal token, not even the API's description.
        openapi_url=None,
        docs_url=None,
        redoc_url=None,
    )
    install_error_handlers(app)
    instrument_app(app, telemetry)

    add_probes(app, failing_checks)

    for router in routers:
        app.include_router(router)
    return app
