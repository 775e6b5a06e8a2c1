"""Which applications one process runs: the gateway with both services embedded, or one."""

from __future__ import annotations

from fastapi import FastAPI

from otelbi.aw.service import create_app as create_aw_app
from otelbi.domains import GATEWAY_SERVICE_NAME, Domain
from otelbi.gateway.app import create_gateway_app
from otelbi.settings import RunMode, Settings
from otelbi.telemetry import start_telemetry
from otelbi.wwi.service import create_app as create_wwi_app


def build_app(mode: RunMode, settings: Settings) -> FastAPI:
    """Return the ASGI application `otelbi serve` runs in `mode`."""
    if mode is RunMode.AW:
        return create_aw_app(settings, start_telemetry(Domain.AW.service_name, settings.telemetry))
    if mode is RunMode.WWI:
        return create_wwi_app(settings, start_telemetry(Domain.WWI.service_name, settings.telemetry))
    gateway_telemetry = start_telemetry(GATEWAY_SERVICE_NAME, settings.telemetry)
    if mode is RunMode.GATEWAY:
        return create_gateway_app(settings, gateway_telemetry)
    services = {
        Domain.AW: create_aw_app(settings, start_telemetry(Domain.AW.service_name, settings.telemetry)),
        Domain.WWI: create_wwi_app(
            settings, start_telemetry(Domain.WWI.service_name, settings.telemetry)
        ),
    }
    return create_gateway_app(settings, gateway_telemetry, embedded_services=services)
