"""Which applications one process runs: the gateway with both services embedded, or one."""

from __future__ import annotations

from fastapi import FastAPI
from opentelemetry.sdk.trace import SpanProcessor

from otelbi.aw.jobs import JOBS as AW_JOBS
from otelbi.aw.service import create_app as create_aw_app
from otelbi.domains import GATEWAY_SERVICE_NAME, Domain
from otelbi.gateway.app import create_gateway_app
from otelbi.jobs.definitions import JobDefinition
from otelbi.settings import RunMode, Settings
from otelbi.telemetry import Telemetry, start_telemetry
from otelbi.wwi.jobs import JOBS as WWI_JOBS
from otelbi.wwi.service import create_app as create_wwi_app

JOBS_BY_DOMAIN: dict[Domain, tuple[JobDefinition, ...]] = {Domain.AW: AW_JOBS, Domain.WWI: WWI_JOBS}
"""The scheduled jobs each domain service runs."""


def build_app(
    mode: RunMode, settings: Settings, span_processors: tuple[SpanProcessor, ...] = ()
) -> FastAPI:
    """Return the ASGI application `otelbi serve` runs in `mode`.

    `span_processors` are added to every service's tracer provider (tests read spans there).
    """

    def telemetry(service_name: str) -> Telemetry:
        return start_telemetry(service_name, settings.telemetry, extra_processors=span_processors)

    if mode is RunMode.AW:
        return create_aw_app(settings, telemetry(Domain.AW.service_name))
    if mode is RunMode.WWI:
        return create_wwi_app(settings, telemetry(Domain.WWI.service_name))
    if mode is RunMode.GATEWAY:
        return create_gateway_app(settings, telemetry(GATEWAY_SERVICE_NAME))
    services = {
        Domain.AW: create_aw_app(settings, telemetry(Domain.AW.service_name)),
        Domain.WWI: create_wwi_app(settings, telemetry(Domain.WWI.service_name)),
    }
    return create_gateway_app(settings, telemetry(GATEWAY_SERVICE_NAME), embedded_services=services)
