"""Auto-instrumentation of a service's app, engines and HTTP clients, and its ASGI middleware.

FastAPI (server spans and `http.server.*` duration histograms; health checks and the browser's
OTLP relay excluded),
SQLAlchemy (one client span per statement, connection-pool gauges) and HTTPX (client spans,
W3C `traceparent` propagation, `http.client.*` histograms) all report to the service's own
providers.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, MutableMapping
from contextlib import nullcontext
from typing import Any

import httpx
import sqlalchemy as sa
from fastapi import FastAPI
from opentelemetry import context as otel_context
from opentelemetry import trace
from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor
from opentelemetry.instrumentation.httpx import AsyncOpenTelemetryTransport
from opentelemetry.instrumentation.sqlalchemy.engine import EngineTracer
from opentelemetry.instrumentation.sqlalchemy.version import (
    __version__ as sqlalchemy_instrumentation,
)
from opentelemetry.instrumentation.utils import suppress_instrumentation
from starlette.background import BackgroundTask

from otelbi.telemetry.providers import Telemetry
from otelbi.telemetry.spans import running_as

PROBE_PATH = r"/(livez|readyz)/?(\?.*)?$"
"""The orchestrator's /livez and /readyz probes: untraced (every few seconds, on every replica).
/api/health is traced like any call: a person or a monitor asks it, and its answer carries the
trace id of the checks it ran."""

OTLP_RELAY_PREFIX = "/api/otlp/"
"""The gateway's relay of the browser's spans: untraced, or each export would make more spans."""

UNTRACED_URLS = f"{PROBE_PATH},^[a-z]+://[^/]*{OTLP_RELAY_PREFIX}"
"""What the FastAPI instrumentation skips (regexes searched in the full URL, comma-separated)."""

_UNTRACED_PATH = re.compile(f"{PROBE_PATH}|^{OTLP_RELAY_PREFIX}")
_SQLALCHEMY_SCOPE = "opentelemetry.instrumentation.sqlalchemy"


def instrument_app(app: FastAPI, telemetry: Telemetry) -> None:
    """Trace and measure every request of `app` (health checks and the OTLP relay excluded),
    set the current service for hand-written spans, and add the trace-id headers."""
    app.add_middleware(TraceIdHeaders)
    app.add_middleware(ServiceContext, telemetry=telemetry)
    FastAPIInstrumentor.instrument_app(
        app,
        tracer_provider=telemetry.tracer_provider,
        meter_provider=telemetry.meter_provider,
        excluded_urls=UNTRACED_URLS,
        # One INTERNAL span per body chunk says nothing an export's own span does not.
        exclude_spans=["receive", "send"],
    )
    # The instrumentor also wraps starlette's BackgroundTask, process-wide and with the tracer
    # of the first app it saw: in one process the gateway's background tasks (closing a
    # forwarded response) would be reported as aw-service. They are no business step; undo it.
    untraced = getattr(BackgroundTask, "_otel_original_call", None)
    if untraced is not None:
        BackgroundTask.__call__ = untraced  # type: ignore[method-assign]


def instrument_engine(engine: sa.Engine, telemetry: Telemetry) -> None:
    """Trace every statement `engine` runs and report its connection pool's usage.

    EngineTracer is what SQLAlchemyInstrumentor(engine=…, skip_dep_check=True) builds; used
    directly because that instrumentor is a process-wide singleton with one tracer provider.
    """
    meter = telemetry.meter_provider.get_meter(_SQLALCHEMY_SCOPE, sqlalchemy_instrumentation)
    EngineTracer(  # type: ignore[no-untyped-call]
        telemetry.tracer_provider.get_tracer(_SQLALCHEMY_SCOPE, sqlalchemy_instrumentation),
        engine,
        meter.create_up_down_counter(
            "db.client.connections.usage",
            unit="connections",
            description="The number of connections that are currently in the state described "
            "by the state attribute.",
        ),
    )


def traced_transport(
    transport: httpx.AsyncBaseTransport, telemetry: Telemetry
) -> httpx.AsyncBaseTransport:
    """Return `transport` tracing and measuring every call and propagating the traceparent."""
    return AsyncOpenTelemetryTransport(
        transport,
        tracer_provider=telemetry.tracer_provider,
        meter_provider=telemetry.meter_provider,
    )


Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


class ServiceContext:
    """ASGI middleware: runs each request as its service (`spans.running_as`); a health check
    or an OTLP relay call runs with instrumentation suppressed, so they leave no HTTPX or
    database spans either."""

    def __init__(self, app: ASGIApp, telemetry: Telemetry) -> None:
        self.app = app
        self.telemetry = telemetry

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        untraced = _UNTRACED_PATH.search(scope["path"])
        quiet = suppress_instrumentation() if untraced else nullcontext()
        with running_as(self.telemetry), quiet:
            await self.app(scope, receive, send)


class AsIfOverTheNetwork:
    """ASGI wrapper for an embedded service: its requests start from an empty trace context.

    In one process the caller's span would otherwise leak into the service through the
    context variables, and the service's request span would be INTERNAL instead of SERVER.
    Starting empty, the trace continues only through the `traceparent` header — as it does
    between containers.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        token = otel_context.attach(otel_context.Context())
        try:
            await self.app(scope, receive, send)
        finally:
            otel_context.detach(token)


class TraceIdHeaders:
    """ASGI middleware: adds `x-trace-id` and `x-span-id` of the server span to responses."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        context = trace.get_current_span().get_span_context()

        async def send_with_ids(message: Message) -> None:
            if message["type"] == "http.response.start" and context.is_valid:
                headers = list(message.get("headers", []))
                headers.append((b"x-trace-id", format(context.trace_id, "032x").encode()))
                headers.append((b"x-span-id", format(context.span_id, "016x").encode()))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_ids)
