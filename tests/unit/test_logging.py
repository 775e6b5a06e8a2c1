"""Log lines carry the trace and span id; an absent collector is reported, not flooded."""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Iterator

import pytest
from opentelemetry.sdk.trace import TracerProvider

from otelbi.telemetry import EXPORTER_LOGGERS, configure_logging
from otelbi.telemetry.logs import CHATTY_LOGGERS


@pytest.fixture
def restore_logging() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    filters = {name: list(logging.getLogger(name).filters) for name in EXPORTER_LOGGERS}
    levels = {name: logging.getLogger(name).level for name in CHATTY_LOGGERS}
    yield
    root.handlers[:] = handlers
    root.setLevel(level)
    for name, kept_level in levels.items():
        logging.getLogger(name).setLevel(kept_level)
    for name, kept in filters.items():
        logging.getLogger(name).filters[:] = kept


@pytest.mark.usefixtures("restore_logging")
def test_log_lines_carry_the_current_trace_and_span(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging("INFO")
    tracer = TracerProvider().get_tracer("test")
    with tracer.start_as_current_span("work") as span:
        logging.getLogger("otelbi.test").info("inside")
    logging.getLogger("otelbi.test").info("outside")
    inside, outside = capsys.readouterr().err.strip().splitlines()
    context = span.get_span_context()
    assert f"trace_id={context.trace_id:032x} span_id={context.span_id:016x}] inside" in inside
    assert f"trace_id={0:032x} span_id={0:016x}] outside" in outside


@pytest.mark.usefixtures("restore_logging")
def test_exporter_failures_are_logged_once_per_interval(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging("INFO")
    exporter = logging.getLogger(EXPORTER_LOGGERS[0])
    for attempt in range(20):
        exporter.warning("collector unreachable (attempt %d)", attempt)
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1
    assert "attempt 0" in lines[0]


@pytest.mark.usefixtures("restore_logging")
def test_json_lines_carry_trace_service_and_exception(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging("INFO", "json", service="api-gateway")
    tracer = TracerProvider().get_tracer("test")
    with tracer.start_as_current_span("work") as span:
        try:
            raise ValueError("the warehouse answered nonsense")
        except ValueError:
            logging.getLogger("otelbi.test").exception("inside")
    logging.getLogger("otelbi.test").warning("outside")
    inside, outside = (json.loads(line) for line in capsys.readouterr().err.splitlines())
    context = span.get_span_context()
    assert inside["message"] == "inside"
    assert inside["level"] == "ERROR"
    assert inside["logger"] == "otelbi.test"
    assert inside["trace_id"] == f"{context.trace_id:032x}"
    assert inside["span_id"] == f"{context.span_id:016x}"
    assert inside["service"] == "api-gateway"
    assert "ValueError: the warehouse answered nonsense" in inside["exception"]
    assert dt.datetime.fromisoformat(inside["time"]).tzinfo is not None
    assert (outside["trace_id"], outside["span_id"], outside["level"]) == (None, None, "WARNING")
    assert "exception" not in outside


@pytest.mark.usefixtures("restore_logging")
def test_migrations_and_scheduler_steps_show_only_at_debug() -> None:
    configure_logging("INFO")
    assert not logging.getLogger("alembic.runtime.migration").isEnabledFor(logging.INFO)
    assert not logging.getLogger("apscheduler.executors.default").isEnabledFor(logging.INFO)
    assert logging.getLogger("otelbi.jobs").isEnabledFor(logging.INFO)
    configure_logging("DEBUG")
    assert logging.getLogger("apscheduler.scheduler").isEnabledFor(logging.DEBUG)
