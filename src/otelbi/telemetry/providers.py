"""The telemetry of one service: its resource, tracer provider and meter provider.

Each service gets its own providers so that, even when all three run in one process, every
span and metric point carries the right `service.name`. The standard OTEL_* variables are
honoured: OTEL_SDK_DISABLED, OTEL_TRACES_SAMPLER(_ARG), OTEL_RESOURCE_ATTRIBUTES,
OTEL_EXPORTER_OTLP_(TRACES_|METRICS_)ENDPOINT/HEADERS/TIMEOUT/COMPRESSION,
OTEL_METRIC_EXPORT_INTERVAL, OTEL_BSP_*; OTEL_TRACES_EXPORTER=none and
OTEL_METRICS_EXPORTER=none keep that signal in the process. Spans and metrics leave from
background threads (BatchSpanProcessor, PeriodicExportingMetricReader), so an unreachable
collector never slows or fails a request.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from dataclasses import dataclass, field

from opentelemetry import metrics, trace
from opentelemetry.exporter.otlp.proto.http.metric_exporter import OTLPMetricExporter
from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import MetricReader, PeriodicExportingMetricReader
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import SpanProcessor, TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor

from otelbi import __version__
from otelbi.settings import TelemetrySettings
from otelbi.telemetry.metrics import ServiceMetrics

log = logging.getLogger(__name__)

SHUTDOWN_SECONDS = 1.0
"""How long a process's shutdown waits for its services' last spans and metrics to leave."""

NAMESPACE = "otelbi"
"""`service.namespace` of every service, and the name of the hand-written spans' tracer."""


class FlushDeadline:
    """When the services of one process stop waiting for their telemetry to leave: the first
    to shut down sets it, SHUTDOWN_SECONDS ahead; the others wait for what is left of it."""

    def __init__(self, seconds: float = SHUTDOWN_SECONDS) -> None:
        self.seconds = seconds
        self._at: float | None = None

    def remaining(self) -> float:
        """Return the seconds left (the first call starts the clock)."""
        if self._at is None:
            self._at = time.monotonic() + self.seconds
        return max(0.0, self._at - time.monotonic())


@dataclass
class Telemetry:
    """The tracing and metrics set-up of one service."""

    service_name: str
    tracer_provider: trace.TracerProvider
    meter_provider: metrics.MeterProvider = field(default_factory=metrics.NoOpMeterProvider)
    flush_deadline: FlushDeadline = field(default_factory=FlushDeadline, repr=False)
    """Shared by the services of one process, so that their shutdowns wait once in all."""
    tracer: trace.Tracer = field(init=False, repr=False)
    """The tracer for this service's hand-written spans."""
    metrics: ServiceMetrics = field(init=False, repr=False)
    """This service's `otelbi.*` instruments."""

    def __post_init__(self) -> None:
        # Made once, here: instruments created twice (two threads racing) log a warning each.
        self.tracer = self.tracer_provider.get_tracer(NAMESPACE, __version__)
        self.metrics = ServiceMetrics(self.meter_provider.get_meter(NAMESPACE, __version__))

    def shutdown(self) -> None:
        """Flush and stop both pipelines at once, waiting for them until the flush deadline.

        An unreachable collector keeps the exporters retrying far longer: what is not sent by
        then is dropped with the process (the flushing threads are daemons).
        """
        flushing = [
            threading.Thread(target=provider.shutdown, name=f"{name}-shutdown", daemon=True)
            for name, provider in (
                ("traces", self.tracer_provider),
                ("metrics", self.meter_provider),
            )
            if isinstance(provider, TracerProvider | MeterProvider)
        ]
        for thread in flushing:
            thread.start()
        for thread in flushing:
            thread.join(self.flush_deadline.remaining())
        unsent = [thread.name.removesuffix("-shutdown") for thread in flushing if thread.is_alive()]
        if unsent:
            log.warning(
                "%s: %s not flushed within %g s (is the OTLP collector reachable?); dropped",
                self.service_name,
                " and ".join(unsent),
                self.flush_deadline.seconds,
            )


def disabled_telemetry(service_name: str) -> Telemetry:
    """Return telemetry that records nothing (OTEL_SDK_DISABLED=true, or no service yet)."""
    return Telemetry(service_name, trace.NoOpTracerProvider(), metrics.NoOpMeterProvider())


def service_resource(service_name: str, settings: TelemetrySettings) -> Resource:
    """Return the resource of a service's spans and metrics.

    `service.name` and `service.version` are the product's; OTEL_RESOURCE_ATTRIBUTES may set
    `service.namespace` and `deployment.environment` (else "otelbi" and DEPLOYMENT_ENVIRONMENT)
    and add any other attribute.
    """
    defaults = Resource(
        {
            "service.namespace": NAMESPACE,
            "deployment.environment": settings.deployment_environment,
        }
    )
    return defaults.merge(
        Resource.create({"service.name": service_name, "service.version": __version__})
    )


def _signal_endpoint(settings: TelemetrySettings, signal: str) -> str:
    specific = os.environ.get(f"OTEL_EXPORTER_OTLP_{signal.upper()}_ENDPOINT")
    return specific or f"{settings.otel_exporter_otlp_endpoint.rstrip('/')}/v1/{signal}"


def _exporter_enabled(signal: str) -> bool:
    return os.environ.get(f"OTEL_{signal.upper()}_EXPORTER", "otlp").strip().lower() != "none"


def _sdk_disabled() -> bool:
    return os.environ.get("OTEL_SDK_DISABLED", "").strip().lower() == "true"


def traces_destination(settings: TelemetrySettings) -> str | None:
    """Return the URL the product's spans are exported to; None when tracing is off.

    Off means OTEL_SDK_DISABLED=true or OTEL_TRACES_EXPORTER=none; the URL is
    OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, else OTEL_EXPORTER_OTLP_ENDPOINT + /v1/traces.
    """
    if _sdk_disabled() or not _exporter_enabled("traces"):
        return None
    return _signal_endpoint(settings, "traces")


def start_telemetry(
    default_service_name: str,
    settings: TelemetrySettings,
    *,
    honour_service_name: bool = True,
    extra_processors: tuple[SpanProcessor, ...] = (),
    flush_deadline: FlushDeadline | None = None,
) -> Telemetry:
    """Return the telemetry of one service.

    OTEL_SERVICE_NAME replaces `default_service_name` when `honour_service_name` (one service
    in the process); all-in-one it is not, or the three services would share one name.
    `flush_deadline` is shared by the services of one process (their shutdowns wait once).
    """
    service_name = (honour_service_name and settings.otel_service_name) or default_service_name
    if _sdk_disabled():
        return disabled_telemetry(service_name)
    resource = service_resource(service_name, settings)
    # Shut down by the service's lifespan, within a deadline; the SDK's own exit hook waits
    # for an unreachable collector without one.
    tracer_provider = TracerProvider(resource=resource, shutdown_on_exit=False)
    if _exporter_enabled("traces"):
        exporter = OTLPSpanExporter(endpoint=_signal_endpoint(settings, "traces"))
        tracer_provider.add_span_processor(BatchSpanProcessor(exporter))
    for processor in extra_processors:
        tracer_provider.add_span_processor(processor)
    readers: list[MetricReader] = []
    if _exporter_enabled("metrics"):
        metric_exporter = OTLPMetricExporter(endpoint=_signal_endpoint(settings, "metrics"))
        readers.append(PeriodicExportingMetricReader(metric_exporter))
    meter_provider = MeterProvider(
        resource=resource, metric_readers=readers, shutdown_on_exit=False
    )
    return Telemetry(
        service_name, tracer_provider, meter_provider, flush_deadline or FlushDeadline()
    )
