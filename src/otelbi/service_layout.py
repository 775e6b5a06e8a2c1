"""Which applications one process runs: the gateway with both services embedded, or one."""

from __future__ import annotations

import logging
import os
import sys

from fastapi import FastAPI
from opentelemetry.sdk.trace import SpanProcessor

from otelbi.aw.jobs import JOBS as AW_JOBS
from otelbi.aw.service import create_app as create_aw_app
from otelbi.domains import GATEWAY_SERVICE_NAME, Domain
from otelbi.gateway.app import create_gateway_app
from otelbi.gateway.report_job import GATEWAY_JOBS
from otelbi.jobs.definitions import JobDefinition
from otelbi.settings import RunMode, Settings, UnsafeSettings
from otelbi.telemetry import FlushDeadline, Telemetry, start_telemetry
from otelbi.web.serving_gc import settle_after_startup
from otelbi.wwi.jobs import JOBS as WWI_JOBS
from otelbi.wwi.service import create_app as create_wwi_app

log = logging.getLogger(__name__)

JOBS_BY_SERVICE: dict[str, tuple[JobDefinition, ...]] = {
    Domain.AW.service_name: AW_JOBS,
    Domain.WWI.service_name: WWI_JOBS,
    GATEWAY_SERVICE_NAME: GATEWAY_JOBS,
}
"""The scheduled jobs each service runs (the gateway's: cross-domain reports)."""


WORKER_MODE_VARIABLE = "OTELBI_SERVE_MODE"
"""How `otelbi serve` tells its worker processes which mode to build (see `worker_app`)."""


def worker_app() -> FastAPI:
    """Return the application of one worker process of `otelbi serve` with WORKERS > 1.

    uvicorn starts each worker anew and calls this factory in it: the settings are read
    from the environment the command line prepared, the logging configured per process.
    Invalid settings end the process with exit code 2 and the one line `otelbi serve` prints.
    """
    from otelbi.telemetry import configure_logging  # noqa: PLC0415 - a worker's first step

    try:
        settings = Settings()
    except UnsafeSettings as error:
        print(f"otelbi: refusing to start: {error}", file=sys.stderr)
        raise SystemExit(2) from None
    mode = RunMode(os.environ[WORKER_MODE_VARIABLE])
    configure_logging(
        settings.telemetry.log_level, settings.telemetry.log_format, service=served_name(mode)
    )
    return serving_app(mode, settings)


def serving_app(mode: RunMode, settings: Settings) -> FastAPI:
    """Return `build_app(mode, settings)` as a server process runs it: with the garbage
    collector settled once its start-up is done (web/serving_gc.py)."""
    app = build_app(mode, settings)
    settle_after_startup(app)
    return app


def served_name(mode: RunMode) -> str:
    """Return the service name a process in `mode` logs as."""
    if mode in (RunMode.ALL_IN_ONE, RunMode.GATEWAY):
        return GATEWAY_SERVICE_NAME
    return f"{mode}-service"


def build_app(
    mode: RunMode, settings: Settings, span_processors: tuple[SpanProcessor, ...] = ()
) -> FastAPI:
    """Return the ASGI application `otelbi serve` runs in `mode`.

    `span_processors` are added to every service's tracer provider (tests read spans there).
    OTEL_SERVICE_NAME renames the one service of a split-mode process; all-in-one it is
    ignored, or the three services would share one name.
    """
    all_in_one = mode is RunMode.ALL_IN_ONE
    if all_in_one and settings.telemetry.otel_service_name:
        log.warning(
            "OTEL_SERVICE_NAME=%s is ignored when the three services run in one process: "
            "their telemetry keeps the names api-gateway, aw-service and wwi-service",
            settings.telemetry.otel_service_name,
        )

    # At shutdown the process's services wait for their telemetry once in all, not in turn.
    flush_deadline = FlushDeadline()

    def telemetry(service_name: str) -> Telemetry:
        return start_telemetry(
            service_name,
            settings.telemetry,
            honour_service_name=not all_in_one,
            extra_processors=span_processors,
            flush_deadline=flush_deadline,
        )

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
