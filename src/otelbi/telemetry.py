"""OpenTelemetry for one service: providers, auto-instrumentation and trace-id headers.

Each service gets its own TracerProvider so that, even when all three run in one process,
every span carries the right `service.name`. The standard OTEL_* variables are honoured:
OTEL_SDK_DISABLED, OTEL_TRACES_SAMPLER(_ARG), OTEL_RESOURCE_ATTRIBUTES,
OTEL_EXPORTER_OTLP_(TRACES_)ENDPOINT/HEADERS/TIMEOUT; OTEL_TRACES_EXPORTER=none keeps spans
in the process (tests). Spans leave through a BatchSpanProcessor, so an unreachable
collector never slows a request.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass
from typing import Any

import httpx
import sqlalchemy as sa
from fastapi import FastAPI
from opentelemetry import context as otel_context
from opentelemetry import trace
from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor
from opentelemetry.instrumentation.httpx import HTTPXClientInstrumentor
from opentelemetry.instrumentation.sqlalchemy.engine import EngineTracer
from opentelemetry.metrics import NoOpMeterProvider
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import SpanProcessor, TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor

from otelbi import __version__
from otelbi.settings import TelemetrySettings

NAMESPACE = "otelbi"
HEALTH_PATHS = "/api/health,/livez"


@dataclass
class Telemetry:
    """The tracing set-up of one service."""

    service_name: str
    tracer_provider: trace.TracerProvider

    @property
    def tracer(self) -> trace.Tracer:
        """Return the tracer for this service's hand-written spans."""
        return self.tracer_provider.get_tracer(NAMESPACE, __version__)

    def shutdown(self) -> None:
        """Flush and stop the span pipeline."""
        if isinstance(self.tracer_provider, TracerProvider):
            self.tracer_provider.shutdown()


def start_telemetry(
    default_service_name: str,
    settings: TelemetrySettings,
    *,
    extra_processors: tuple[SpanProcessor, ...] = (),
) -> Telemetry:
    """Return the telemetry of one service (OTEL_SERVICE_NAME overrides its default name)."""
    service_name = settings.otel_service_name or default_service_name
    if os.environ.get("OTEL_SDK_DISABLED", "").lower() == "true":
        return Telemetry(service_name, trace.NoOpTracerProvider())
    resource = Resource.create(
        {
            "service.name": service_name,
            "service.namespace": NAMESPACE,
            "service.version": __version__,
        }
    )
    provider = TracerProvider(resource=resource)
    if os.environ.get("OTEL_TRACES_EXPORTER", "otlp").lower() != "none":
        endpoint = os.environ.get("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT") or (
            settings.otel_exporter_otlp_endpoint.rstrip("/") + "/v1/traces"
        )
        provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter(endpoint=endpoint)))
    for processor in extra_processors:
        provider.add_span_processor(processor)
    return Telemetry(service_name, provider)


def instrument_app(app: FastAPI, telemetry: Telemetry) -> None:
    """Trace every request of `app` (health checks excluded) and add the trace-id headers."""
    app.add_middleware(TraceIdHeaders)
    FastAPIInstrumentor.instrument_app(
        app,
        tracer_provider=telemetry.tracer_provider,
        meter_provider=NoOpMeterProvider(),
        excluded_urls=HEALTH_PATHS,
    )


def instrument_engine(engine: sa.Engine, telemetry: Telemetry) -> None:
    """Trace every statement `engine` runs.

    EngineTracer is what SQLAlchemyInstrumentor(engine=…, skip_dep_check=True) builds; used
    directly because that instrumentor is a process-wide singleton with one tracer provider.
    """
    meter = NoOpMeterProvider().get_meter(NAMESPACE)
    EngineTracer(  # type: ignore[no-untyped-call]
        telemetry.tracer_provider.get_tracer("opentelemetry.instrumentation.sqlalchemy"),
        engine,
        meter.create_up_down_counter("db.client.connections.usage"),
    )


def instrument_client(client: httpx.AsyncClient, telemetry: Telemetry) -> None:
    """Trace every call `client` makes and propagate the W3C traceparent."""
    HTTPXClientInstrumentor.instrument_client(client, tracer_provider=telemetry.tracer_provider)


Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


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


LOG_FORMAT = (
    "%(asctime)s %(levelname)s %(name)s [trace_id=%(trace_id)s span_id=%(span_id)s] %(message)s"
)


class TraceContextFilter(logging.Filter):
    """Stamps each log record with the trace and span id current when it was logged."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Return True after adding `trace_id` and `span_id` (zeros outside a span)."""
        context = trace.get_current_span().get_span_context()
        record.trace_id = format(context.trace_id, "032x")
        record.span_id = format(context.span_id, "016x")
        return True


class AtMostOncePerInterval(logging.Filter):
    """Lets one record through per interval: an absent collector is worth a line, not a flood."""

    def __init__(self, interval_seconds: float) -> None:
        super().__init__()
        self._interval = interval_seconds
        self._next_allowed = 0.0

    def filter(self, record: logging.LogRecord) -> bool:
        """Return True for the first record of each interval."""
        now = time.monotonic()
        if now < self._next_allowed:
            return False
        self._next_allowed = now + self._interval
        return True


EXPORTER_LOGGERS = ("opentelemetry.exporter.otlp.proto.http.trace_exporter",)
EXPORTER_LOG_INTERVAL_SECONDS = 300.0


def configure_logging(level: str) -> None:
    """Log to stderr with the trace and span id in every line (uvicorn's loggers included)."""
    handler = logging.StreamHandler()
    handler.addFilter(TraceContextFilter())
    handler.setFormatter(logging.Formatter(LOG_FORMAT))
    logging.basicConfig(level=level.upper(), handlers=[handler], force=True)
    for name in EXPORTER_LOGGERS:
        logging.getLogger(name).addFilter(AtMostOncePerInterval(EXPORTER_LOG_INTERVAL_SECONDS))
