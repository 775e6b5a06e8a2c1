"""OpenTelemetry for the services: one tracer and meter provider per service, the
auto-instrumentation, hand-written business spans, the `otelbi.*` metrics and trace-aware logs.

| module | what it holds |
|---|---|
| `providers.py` | `Telemetry` (one service's providers), `start_telemetry`, the resource |
| `instrumentation.py` | FastAPI / SQLAlchemy / HTTPX instrumentation, the ASGI middleware |
| `spans.py` | the current service (a context variable), `business_span`, `traced_view` |
| `metrics.py` | the `otelbi.*` instruments (`Telemetry.metrics`) |
| `logs.py` | trace ids in log lines, JSON logs, the exporter-log rate limit |

The span and metric names are listed in docs/observability.md.
"""

from otelbi.telemetry.instrumentation import (
    PROBE_PATH,
    AsIfOverTheNetwork,
    ServiceContext,
    TraceIdHeaders,
    instrument_app,
    instrument_engine,
    traced_transport,
)
from otelbi.telemetry.logs import (
    EXPORTER_LOG_INTERVAL_SECONDS,
    EXPORTER_LOGGERS,
    LOG_FORMAT,
    AtMostOncePerInterval,
    JsonFormatter,
    TraceContextFilter,
    configure_command_logging,
    configure_logging,
)
from otelbi.telemetry.metrics import ServiceMetrics
from otelbi.telemetry.providers import (
    NAMESPACE,
    FlushDeadline,
    Telemetry,
    disabled_telemetry,
    service_resource,
    start_telemetry,
)
from otelbi.telemetry.spans import (
    business_span,
    current_service_name,
    current_telemetry,
    current_view,
    running_as,
    traced_view,
)

__all__ = [
    "EXPORTER_LOGGERS",
    "EXPORTER_LOG_INTERVAL_SECONDS",
    "LOG_FORMAT",
    "NAMESPACE",
    "PROBE_PATH",
    "AsIfOverTheNetwork",
    "AtMostOncePerInterval",
    "FlushDeadline",
    "JsonFormatter",
    "ServiceContext",
    "ServiceMetrics",
    "Telemetry",
    "TraceContextFilter",
    "TraceIdHeaders",
    "business_span",
    "configure_command_logging",
    "configure_logging",
    "current_service_name",
    "current_telemetry",
    "current_view",
    "disabled_telemetry",
    "instrument_app",
    "instrument_engine",
    "running_as",
    "service_resource",
    "start_telemetry",
    "traced_transport",
    "traced_view",
]
