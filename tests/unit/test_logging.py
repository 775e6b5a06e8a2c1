"""Log lines carry the trace and span id; an absent collector is reported, not flooded."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
from opentelemetry.sdk.trace import TracerProvider

from otelbi.telemetry import EXPORTER_LOGGERS, configure_logging


@pytest.fixture
def restore_logging() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    exporter = logging.getLogger(EXPORTER_LOGGERS[0])
    filters = list(exporter.filters)
    yield
    root.handlers[:] = handlers
    root.setLevel(level)
    exporter.filters[:] = filters


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
