"""The aw-service application, and the routers it serves."""

from __future__ import annotations

from fastapi import APIRouter, FastAPI

from otelbi.aw.data_version import DATA_VERSION
from otelbi.aw.exports import router as export_router
from otelbi.aw.jobs import JOBS
from otelbi.aw.routes import router
from otelbi.domain_service.app import create_domain_app
from otelbi.domain_service.health import health_router
from otelbi.domain_service.job_routes import job_router
from otelbi.domains import Domain
from otelbi.settings import Settings
from otelbi.telemetry import Telemetry

ROUTERS: tuple[APIRouter, ...] = (
    health_router(Domain.AW),
    router,
    # Exports audit themselves when the file is complete (domain_service/exports.py).
    export_router,
    job_router(Domain.AW),
)
"""Every route of aw-service, in the order it mounts them; the gateway documents them all."""


def create_app(settings: Settings, telemetry: Telemetry) -> FastAPI:
    """Return the aw-service application."""
    return create_domain_app(
        Domain.AW, ROUTERS, JOBS, settings, telemetry, data_version=DATA_VERSION
    )
