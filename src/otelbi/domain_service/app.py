"""Builds a domain service (aw-service or wwi-service) around its routers."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager

from fastapi import APIRouter, FastAPI

from otelbi import __version__
from otelbi.cache.data_version import DataVersion
from otelbi.cache.results import ResultCache
from otelbi.cache.stores import open_cache_store
from otelbi.domain_service.health import failing_checks
from otelbi.domain_service.state import ServiceState
from otelbi.domains import Domain
from otelbi.jobs.data_change import DataChangeWatch
from otelbi.jobs.definitions import JobDefinition
from otelbi.jobs.runner import JobRunner
from otelbi.jobs.scheduler import JobScheduler
from otelbi.security.internal_tokens import VerifiedTokens
from otelbi.settings import Settings
from otelbi.store.engine import open_store
from otelbi.telemetry import Telemetry, instrument_app, instrument_engine
from otelbi.warehouse.catalog import Statement
from otelbi.warehouse.live import LiveWarehouse
from otelbi.web.errors import install_error_handlers
from otelbi.web.probes import add_probes
from otelbi.web.query_parameters import QUERY_CHECKED

log = logging.getLogger(__name__)


def create_domain_app(
    domain: Domain,
    routers: Sequence[APIRouter],
    jobs: Sequence[JobDefinition],
    settings: Settings,
    telemetry: Telemetry,
    *,
    data_version: Statement,
) -> FastAPI:
    """Return the FastAPI application of `domain`'s service, serving `routers` and `jobs`.

    `routers` are the service's public API, reached through the gateway at the same paths;
    the gateway's OpenAPI document describes them (gateway/openapi.py). `data_version` is the
    warehouse's fingerprint statement, which keys the result cache (cache/).
    """

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        store = open_store(settings, telemetry)
        warehouse = LiveWarehouse(
            domain, settings.warehouse, on_open=lambda engine: instrument_engine(engine, telemetry)
        )
        if warehouse.problem is not None:
            log.error("%s starts without its warehouse: %s", domain.service_name, warehouse.problem)
        cache = settings.cache
        state = ServiceState(
            domain=domain,
            settings=settings,
            store=store,
            telemetry=telemetry,
            tokens=VerifiedTokens(
                secret=settings.internal_secret,
                audience=domain.service_name,
                allowed_issuers=settings.auth.allowed_issuers,
            ),
            warehouse=warehouse,
            data_version=DataVersion(
                data_version,
                warehouse,
                freshness_seconds=cache.result_cache_freshness_seconds,
            ),
            results=ResultCache(open_cache_store(cache)) if cache.result_cache_enabled else None,
        )
        state.jobs = JobRunner(
            domain.service_name,
            jobs,
            audit_domain=domain.value,
            settings=settings,
            store=store,
            warehouse=warehouse.engine,
            telemetry=telemetry,
            # A job run may follow a warehouse load: the next view call re-reads the version.
            on_run_start=state.data_version.expire,
            data_version=lambda: state.data_version.current().version,
        )
        state.jobs.open()
        app.state.service = state
        if not settings.audit.audit_fail_closed:
            log.warning(
                "AUDIT_FAIL_CLOSED=false: %s delivers results even when their audit row "
                "cannot be written",
                domain.service_name,
            )
        scheduler = JobScheduler(
            state.jobs,
            startup_delay_seconds=settings.jobs.jobs_startup_delay_seconds,
            data_change=DataChangeWatch(state.jobs, store),
            data_change_check_seconds=settings.jobs.jobs_data_change_check_seconds,
        )
        if settings.jobs.jobs_enabled:
            scheduler.start()
        yield
        if settings.jobs.jobs_enabled:
            scheduler.stop()
        state.jobs.close()
        warehouse.dispose()
        if state.results is not None:
            state.results.close()
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
        app.include_router(router, dependencies=QUERY_CHECKED)
    return app
