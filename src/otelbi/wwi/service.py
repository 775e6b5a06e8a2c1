"""The wwi-service application."""

from __future__ import annotations

from fastapi import FastAPI

from otelbi.domain_service.app import create_domain_app
from otelbi.domains import Domain
from otelbi.settings import Settings
from otelbi.telemetry import Telemetry
from otelbi.wwi.exports import router as export_router
from otelbi.wwi.jobs import JOBS
from otelbi.wwi.routes import router


def create_app(settings: Settings, telemetry: Telemetry) -> FastAPI:
    """Return the wwi-service application."""
    app = create_domain_app(Domain.WWI, router, JOBS, settings, telemetry)
    # Exports audit themselves when the file is complete (domain_service/exports.py).
    app.include_router(export_router)
    return app
