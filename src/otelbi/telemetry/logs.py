"""Log lines that name their trace: text by default, one JSON object per line with
LOG_FORMAT=json. An unreachable collector is reported once per interval, not per batch."""

from __future__ import annotations

import datetime as dt
import json
import logging
import time

from opentelemetry import trace

from otelbi.telemetry.spans import current_service_name

TEXT_FORMAT = (
    "%(asctime)s %(levelname)s %(name)s [trace_id=%(trace_id)s span_id=%(span_id)s] %(message)s"
)
LOG_FORMAT = TEXT_FORMAT
"""The text format (kept under its old name)."""


class TraceContextFilter(logging.Filter):
    """Stamps each log record with the trace and span id current when it was logged, and the
    service that logged it."""

    def __init__(self, default_service: str = "otelbi") -> None:
        super().__init__()
        self._default_service = default_service

    def filter(self, record: logging.LogRecord) -> bool:
        """Return True after adding `trace_id`, `span_id` (zeros outside a span), `service`."""
        context = trace.get_current_span().get_span_context()
        record.trace_id = format(context.trace_id, "032x")
        record.span_id = format(context.span_id, "016x")
        record.service = current_service_name() or self._default_service
        return True


_NO_TRACE = format(0, "032x")


class JsonFormatter(logging.Formatter):
    """One JSON object per record: time (UTC, ISO 8601), level, logger, message, trace_id and
    span_id (null outside a span), service, and exception when there is one."""

    def format(self, record: logging.LogRecord) -> str:
        """Return the record as one line of JSON."""
        trace_id = getattr(record, "trace_id", _NO_TRACE)
        in_span = trace_id != _NO_TRACE
        document: dict[str, object] = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "trace_id": trace_id if in_span else None,
            "span_id": getattr(record, "span_id", None) if in_span else None,
            "service": getattr(record, "service", None),
        }
        if record.exc_info:
            document["exception"] = self.formatException(record.exc_info)
        elif record.exc_text:
            document["exception"] = record.exc_text
        if record.stack_info:
            document["stack"] = self.formatStack(record.stack_info)
        return json.dumps(document, ensure_ascii=False, default=str)


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


EXPORTER_LOGGERS = (
    "opentelemetry.exporter.otlp.proto.http.trace_exporter",
    "opentelemetry.exporter.otlp.proto.http.metric_exporter",
    "opentelemetry.sdk.metrics._internal.export",
)
"""Loggers that report each failed export: the OTLP exporters and the periodic metric reader."""
EXPORTER_LOG_INTERVAL_SECONDS = 300.0
CHATTY_LOGGERS = ("alembic", "apscheduler")
"""Libraries that log routine steps at INFO (each migration's context, every scheduler tick):
shown only at LOG_LEVEL=DEBUG."""


COMMAND_FORMAT = "otelbi: %(levelname)s: %(message)s"


class _WithoutTraceback(logging.Formatter):
    """One line per record: a command's reader needs what went wrong, not the stack."""

    def format(self, record: logging.LogRecord) -> str:
        kept = record.exc_info, record.exc_text
        record.exc_info = record.exc_text = None
        try:
            return super().format(record)
        finally:
            record.exc_info, record.exc_text = kept


def configure_command_logging() -> None:
    """Log a command's warnings and errors to stderr, one line each, without tracebacks.

    The exporters' retries are not shown: a command lives seconds, and an absent collector is
    said once, at exit, by the telemetry shutdown ("traces and metrics not flushed …").
    """
    handler = logging.StreamHandler()
    handler.setFormatter(_WithoutTraceback(COMMAND_FORMAT))
    logging.basicConfig(level=logging.WARNING, handlers=[handler], force=True)
    for name in EXPORTER_LOGGERS:
        logging.getLogger(name).setLevel(logging.ERROR)


def configure_logging(level: str, log_format: str = "text", service: str = "otelbi") -> None:
    """Log to stderr with the trace and span id in every line (uvicorn's loggers included).

    `log_format` "json" writes one JSON object per line; `service` names the process's
    service in lines logged outside any request or job.
    """
    handler = logging.StreamHandler()
    handler.addFilter(TraceContextFilter(service))
    if log_format.strip().lower() == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter(TEXT_FORMAT))
    logging.basicConfig(level=level.upper(), handlers=[handler], force=True)
    chatty = logging.WARNING if logging.getLogger().level > logging.DEBUG else logging.NOTSET
    for name in CHATTY_LOGGERS:
        logging.getLogger(name).setLevel(chatty)
    for name in EXPORTER_LOGGERS:
        exporter = logging.getLogger(name)
        exporter.setLevel(logging.NOTSET)  # as the root says (a command had raised it)
        exporter.addFilter(AtMostOncePerInterval(EXPORTER_LOG_INTERVAL_SECONDS))
