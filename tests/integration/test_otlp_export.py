"""What a collector receives over OTLP/HTTP from the all-in-one process: one trace per call
from the gateway down to the database, job runs as root spans, exports, the metrics, and
nothing at all for health checks or with OTEL_SDK_DISABLED. Spans leave through the product's
own BatchSpanProcessor; leaving the TestClient shuts the providers down, which flushes them.
"""

from __future__ import annotations

import json
import logging
import socket
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NoReturn

import psycopg
import pytest
from fastapi.testclient import TestClient

from otelbi import __version__
from otelbi.service_layout import build_app
from otelbi.settings import RunMode, Settings
from otelbi.telemetry import EXPORTER_LOGGERS, configure_logging
from tests.integration.job_runs import run_job_to_end
from tests.peers.otlp_receiver import (
    CLIENT,
    SERVER,
    OtlpReceiver,
    ReceivedPoint,
    ReceivedSpan,
)

HTTP_SERVER_DURATION = {"http.server.duration", "http.server.request.duration"}


@pytest.fixture
def product_env(
    monkeypatch: pytest.MonkeyPatch, postgres_url: str, generated_warehouses: Path
) -> str:
    """Point the product at a fresh store and the generated warehouses; return the store URL."""
    monkeypatch.setenv("POSTGRES_URL", postgres_url)
    monkeypatch.setenv("DATA_DIR", str(generated_warehouses))
    monkeypatch.setenv("DEPLOYMENT_ENVIRONMENT", "test")
    return postgres_url


def _client() -> TestClient:
    return TestClient(build_app(RunMode.ALL_IN_ONE, Settings(env_file=None)))


def _one(spans: list[ReceivedSpan], service: str, kind: int) -> ReceivedSpan:
    matches = [s for s in spans if s.service == service and s.kind == kind]
    assert len(matches) == 1, [(s.name, s.service, s.kind) for s in spans]
    return matches[0]


def _named(spans: list[ReceivedSpan], name: str) -> list[ReceivedSpan]:
    return [s for s in spans if s.name == name]


def _db_system(span: ReceivedSpan) -> str:
    return str(span.attributes.get("db.system", span.attributes.get("db.system.name")))


def _latest(points: list[ReceivedPoint], **attributes: Any) -> list[ReceivedPoint]:
    """Return the last point of each series whose attributes include `attributes`."""
    series: dict[tuple[str, str], ReceivedPoint] = {}
    for point in points:
        if all(point.attributes.get(key) == value for key, value in attributes.items()):
            series[(point.service, json.dumps(point.attributes, sort_keys=True))] = point
    return list(series.values())


@pytest.mark.usefixtures("product_env")
def test_a_kpi_call_reaches_the_collector_as_one_trace_down_to_the_warehouse(
    otlp_receiver: OtlpReceiver,
) -> None:
    with _client() as client:
        response = client.get("/api/aw/sales/kpis", params={"days_back": 30})
    assert response.status_code == 200
    trace_id = response.headers["x-trace-id"]
    spans = [s for s in otlp_receiver.spans() if s.trace_id == trace_id]

    gateway = _one(spans, "api-gateway", SERVER)
    outbound = _one(spans, "api-gateway", CLIENT)
    service = _one(spans, "aw-service", SERVER)
    assert gateway.parent_span_id == ""
    assert response.headers["x-span-id"] == gateway.span_id
    assert outbound.parent_span_id == gateway.span_id
    assert service.parent_span_id == outbound.span_id

    (view,) = _named(spans, "otelbi.aw.sales_kpis")
    assert view.service == "aw-service"
    assert view.parent_span_id == service.span_id
    assert view.attributes["otelbi.view"] == "sales_kpis"
    assert view.attributes["otelbi.domain"] == "aw"
    assert view.attributes["otelbi.days_back"] == 30
    queries = [s for s in spans if s.kind == CLIENT and "duckdb" in _db_system(s)]
    assert len(queries) >= 2, [(s.name, s.attributes) for s in spans]
    # The view's statements under the view; the data-version fingerprint the result cache
    # read first (a new process: the version is not known yet) under a span of its own.
    (version,) = _named(spans, "otelbi.aw.data_version")
    assert version.parent_span_id == service.span_id
    assert version.attributes["otelbi.data_version"]
    assert {q.parent_span_id for q in queries} == {view.span_id, version.span_id}
    assert len([q for q in queries if q.parent_span_id == view.span_id]) >= 2
    assert service.attributes["otelbi.result_cache"] == "miss"
    assert {q.service for q in queries} == {"aw-service"}

    (audit,) = _named(spans, "otelbi.audit.append")
    assert audit.service == "aw-service"
    assert audit.attributes["otelbi.audit.action"] == "aw.sales.kpis"
    assert audit.attributes["otelbi.audit.outcome"] == "ok"
    audit_writes = [s for s in spans if s.parent_span_id == audit.span_id]
    assert audit_writes
    assert all("postgresql" in _db_system(s) for s in audit_writes)

    for span in (gateway, service):
        assert span.resource["service.namespace"] == "otelbi"
        assert span.resource["service.version"] == __version__
        assert span.resource["deployment.environment"] == "test"


@pytest.mark.usefixtures("product_env")
def test_the_collector_receives_request_job_and_warehouse_metrics(
    otlp_receiver: OtlpReceiver,
) -> None:
    with _client() as client:
        assert client.get("/api/aw/sales/kpis", params={"days_back": 30}).status_code == 200
        assert client.get("/api/wwi/sales/kpis").status_code == 200
        execution = run_job_to_end(client, "aw", "aw.daily.scores")
    assert execution["status"] == "succeeded"

    names = otlp_receiver.metric_names()
    served = {p.service for p in otlp_receiver.points() if p.name in HTTP_SERVER_DURATION}
    assert served == {"api-gateway", "aw-service", "wwi-service"}, names
    assert "db.client.connections.usage" in names

    (runs,) = _latest(
        otlp_receiver.points("otelbi.job.runs"), **{"otelbi.job.id": "aw.daily.scores"}
    )
    assert runs.service == "aw-service"
    assert runs.attributes["otelbi.job.status"] == "succeeded"
    assert runs.value == 1
    (duration,) = _latest(otlp_receiver.points("otelbi.job.duration"))
    assert duration.count == 1
    assert duration.unit == "s"

    window_totals = _latest(
        otlp_receiver.points("otelbi.warehouse.query.duration"),
        **{"otelbi.statement": "aw.sales.kpi_window_totals"},
    )
    assert [(p.service, p.attributes["otelbi.view"]) for p in window_totals] == [
        ("aw-service", "aw.sales_kpis")
    ]
    assert window_totals[0].attributes["otelbi.outcome"] == "ok"
    by_view = {
        p.attributes["otelbi.view"]
        for p in _latest(otlp_receiver.points("otelbi.warehouse.query.duration"))
    }
    assert {"aw.sales_kpis", "wwi.sales_kpis", "aw.rep_scores", "aw.product_demand"} <= by_view


@pytest.mark.usefixtures("product_env")
def test_a_job_run_is_a_root_span_whose_trace_id_is_in_its_execution_row(
    otlp_receiver: OtlpReceiver, postgres_url: str
) -> None:
    with _client() as client:
        execution = run_job_to_end(client, "aw", "aw.daily.scores")
    with psycopg.connect(postgres_url) as store:
        (stored_trace_id,) = store.execute(
            "SELECT trace_id FROM job_executions WHERE id = %s", (execution["id"],)
        ).fetchone() or (None,)
    assert stored_trace_id == execution["trace_id"]
    spans = [s for s in otlp_receiver.spans() if s.trace_id == stored_trace_id]

    (root,) = _named(spans, "job aw.daily.scores")
    assert root.parent_span_id == ""
    assert root.service == "aw-service"
    assert root.attributes["otelbi.job.id"] == "aw.daily.scores"
    assert root.attributes["otelbi.job.execution_id"] == execution["id"]
    assert root.attributes["otelbi.job.status"] == "succeeded"
    views = {s.name: s for s in spans if s.name.startswith("otelbi.aw.")}
    # The run records the warehouse data version it started from (jobs/data_change.py).
    assert set(views) == {
        "otelbi.aw.data_version",
        "otelbi.aw.rep_scores",
        "otelbi.aw.product_demand",
    }
    assert {s.parent_span_id for s in views.values()} == {root.span_id}
    assert views["otelbi.aw.rep_scores"].attributes["otelbi.rows"] > 0
    (audit,) = _named(spans, "otelbi.audit.append")
    assert audit.attributes["otelbi.audit.action"] == "job.run"
    assert audit.parent_span_id == root.span_id


@pytest.mark.usefixtures("product_env")
def test_an_incoming_traceparent_is_continued_to_the_collector(
    otlp_receiver: OtlpReceiver,
) -> None:
    incoming_trace, incoming_span = "0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331"
    with _client() as client:
        response = client.get(
            "/api/wwi/sales/kpis",
            headers={"traceparent": f"00-{incoming_trace}-{incoming_span}-01"},
        )
    assert response.status_code == 200
    assert response.headers["x-trace-id"] == incoming_trace
    spans = [s for s in otlp_receiver.spans() if s.trace_id == incoming_trace]
    assert _one(spans, "api-gateway", SERVER).parent_span_id == incoming_span
    assert _one(spans, "wwi-service", SERVER).parent_span_id != ""
    assert _named(spans, "otelbi.wwi.sales_kpis")


@pytest.mark.usefixtures("product_env")
def test_an_export_is_a_span_and_metric_points_with_its_size(otlp_receiver: OtlpReceiver) -> None:
    with _client() as client:
        response = client.get(
            "/api/aw/export/sales-history", params={"format": "csv", "days_back": 30}
        )
    assert response.status_code == 200
    size = len(response.content)
    spans = [s for s in otlp_receiver.spans() if s.trace_id == response.headers["x-trace-id"]]

    (export,) = _named(spans, "otelbi.export")
    assert export.service == "aw-service"
    assert export.attributes["otelbi.export.view"] == "sales-history"
    assert export.attributes["otelbi.export.format"] == "csv"
    assert export.attributes["otelbi.export.bytes"] == size
    assert export.attributes["otelbi.export.rows"] > 0
    assert export.attributes["otelbi.actor"]
    assert _named(spans, "otelbi.aw.sales_history")

    (size_point,) = _latest(otlp_receiver.points("otelbi.export.bytes"))
    assert size_point.service == "aw-service"
    assert size_point.unit == "By"
    assert (size_point.count, size_point.value) == (1, size)
    assert size_point.attributes == {
        "otelbi.export.domain": "aw",
        "otelbi.export.view": "sales-history",
        "otelbi.export.format": "csv",
    }
    (rows_point,) = _latest(otlp_receiver.points("otelbi.export.rows"))
    assert rows_point.value == export.attributes["otelbi.export.rows"]


@pytest.mark.usefixtures("product_env")
def test_probes_leave_no_span_and_health_is_traced(otlp_receiver: OtlpReceiver) -> None:
    with _client() as client:
        before = time.time_ns()
        statuses = [client.get(path).status_code for path in ("/livez", "/readyz")]
        after = time.time_ns()
        health = client.get("/api/health")
    assert statuses == [200, 200]
    during = [s for s in otlp_receiver.spans() if before <= s.start_ns <= after]
    assert during == []
    assert health.status_code in (200, 503)
    health_spans = [s for s in otlp_receiver.spans() if s.trace_id == health.headers["x-trace-id"]]
    assert any(s.name == "GET /api/health" for s in health_spans)


@pytest.mark.usefixtures("product_env")
def test_with_the_sdk_disabled_nothing_is_sent_and_requests_still_work(
    monkeypatch: pytest.MonkeyPatch, otlp_receiver: OtlpReceiver
) -> None:
    monkeypatch.setenv("OTEL_SDK_DISABLED", "true")
    with _client() as client:
        response = client.get("/api/aw/sales/kpis", params={"days_back": 30})
        execution = run_job_to_end(client, "aw", "aw.daily.scores")
    assert response.status_code == 200
    assert execution["status"] == "succeeded"
    assert "x-trace-id" not in response.headers
    assert otlp_receiver.trace_requests == []
    assert otlp_receiver.metric_requests == []


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


@pytest.mark.usefixtures("product_env")
def test_an_unreachable_collector_does_not_fail_requests(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_ENDPOINT", f"http://127.0.0.1:{_closed_port()}")
    monkeypatch.setenv("OTEL_TRACES_EXPORTER", "otlp")
    monkeypatch.setenv("OTEL_METRICS_EXPORTER", "otlp")
    # Export while the requests run, and give up quickly when the providers shut down.
    monkeypatch.setenv("OTEL_BSP_SCHEDULE_DELAY", "10")
    monkeypatch.setenv("OTEL_METRIC_EXPORT_INTERVAL", "50")
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_TIMEOUT", "1")
    with _client() as client:
        responses = [
            client.get("/api/aw/sales/kpis", params={"days_back": days}) for days in (7, 30, 90)
        ]
    assert [r.status_code for r in responses] == [200, 200, 200]
    assert all(len(r.headers["x-trace-id"]) == 32 for r in responses)


@pytest.fixture
def restore_logging() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    filters = {name: list(logging.getLogger(name).filters) for name in EXPORTER_LOGGERS}
    yield
    root.handlers[:] = handlers
    root.setLevel(level)
    for name, kept in filters.items():
        logging.getLogger(name).filters[:] = kept


def _failing_view(*args: object, **kwargs: object) -> NoReturn:
    raise RuntimeError("the view broke")


@pytest.mark.usefixtures("product_env", "restore_logging")
def test_json_log_lines_carry_the_trace_id_of_their_request(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    configure_logging("INFO", "json", service="api-gateway")
    # A call that logs while it runs: the service's view fails and its traceback is logged.
    monkeypatch.setattr("otelbi.aw.routes.sales_kpis", _failing_view)
    with _client() as client:
        response = client.get("/api/aw/sales/kpis", params={"days_back": 30})
    assert response.status_code == 500
    lines = [json.loads(line) for line in capsys.readouterr().err.splitlines() if line.strip()]
    assert lines
    assert all(
        {"time", "level", "logger", "message", "trace_id", "span_id", "service"} <= set(line)
        for line in lines
    )
    of_request = [line for line in lines if line["trace_id"] == response.headers["x-trace-id"]]
    assert of_request, lines
    assert {line["service"] for line in of_request} <= {"api-gateway", "aw-service"}
    assert any("the view broke" in line.get("exception", "") for line in of_request), of_request
    assert any(line["trace_id"] is None for line in lines)
