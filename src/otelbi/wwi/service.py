"""The wwi-service application, and the routers it serves."""

from __future__ import annotations

from fastapi import APIRouter, FastAPI

from otelbi.domain_service.app import create_domain_app
from otelbi.domain_service.health import health_router
from otelbi.domain_service.job_routes import job_router
from otelbi.domains import Domain
from otelbi.settings import Settings
from otelbi.telemetry import Telemetry
from otelbi.wwi.data_version import DATA_VERSION
from otelbi.wwi.exports import router as export_router
from otelbi.wwi.jobs import JOBS
from otelbi.wwi.routes import router

ROUTERS: tuple[APIRouter, ...] = (
    health_router(Domain.WWI),
    router,
    # Exports audit themselves when the file is complete (domain_service/exports.py).
    export_router,
    job_router(Domain.WWI),
)
"""Every route of wwi-service, in the order it mounts them; the gateway documents them all."""


def create_app(settings: Settings, telemetry: Telemetry) -> FastAPI:
    """Return the wwi-service application."""
    return create_domain_app(
        Domain.WWI, ROUTERS, JOBS, settings, telemetry, data_version=DATA_VERSION
    )
