"""One KPI call through the gateway is one trace: the gateway's server span, its HTTPX
client span, aw-service's server span below it and aw-service's database spans; the trace
id is the x-trace-id header."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind

from otelbi.service_layout import build_app
from otelbi.settings import RunMode, Settings


def _service(span: ReadableSpan) -> str:
    return str(span.resource.attributes["service.name"])


def _one(spans: list[ReadableSpan], service: str, kind: SpanKind) -> ReadableSpan:
    matches = [s for s in spans if _service(s) == service and s.kind is kind]
    assert len(matches) == 1, [(s.name, _service(s), s.kind) for s in spans]
    return matches[0]


def test_kpi_call_is_one_trace_down_to_the_warehouse(
    monkeypatch: pytest.MonkeyPatch, postgres_url: str, generated_warehouses: Path
) -> None:
    monkeypatch.setenv("POSTGRES_URL", postgres_url)
    monkeypatch.setenv("DATA_DIR", str(generated_warehouses))
    exporter = InMemorySpanExporter()
    app = build_app(
        RunMode.ALL_IN_ONE,
        Settings(env_file=None),
        span_processors=(SimpleSpanProcessor(exporter),),
    )
    with TestClient(app) as client:
        exporter.clear()
        response = client.get("/api/aw/sales/kpis", params={"days_back": 30})
    assert response.status_code == 200
    trace_id = int(response.headers["x-trace-id"], 16)
    spans = [
        s for s in exporter.get_finished_spans() if s.context and s.context.trace_id == trace_id
    ]

    gateway = _one(spans, "api-gateway", SpanKind.SERVER)
    outbound = _one(spans, "api-gateway", SpanKind.CLIENT)
    service = _one(spans, "aw-service", SpanKind.SERVER)
    database = [
        s
        for s in spans
        if _service(s) == "aw-service"
        and s.kind is SpanKind.CLIENT
        and "duckdb"
        in str((s.attributes or {}).get("db.system", (s.attributes or {}).get("db.system.name")))
    ]
    assert gateway.parent is None
    assert outbound.parent is not None
    assert gateway.context is not None
    assert outbound.parent.span_id == gateway.context.span_id
    assert service.parent is not None
    assert outbound.context is not None
    assert service.parent.span_id == outbound.context.span_id
    assert len(database) >= 2, [(s.name, dict(s.attributes or {})) for s in spans]
    assert format(gateway.context.span_id, "016x") == response.headers["x-span-id"]


def test_an_incoming_traceparent_is_continued(
    monkeypatch: pytest.MonkeyPatch, postgres_url: str, generated_warehouses: Path
) -> None:
    monkeypatch.setenv("POSTGRES_URL", postgres_url)
    monkeypatch.setenv("DATA_DIR", str(generated_warehouses))
    with TestClient(build_app(RunMode.ALL_IN_ONE, Settings(env_file=None))) as client:
        incoming = "0af7651916cd43dd8448eb211c80319c"
        response = client.get(
            "/api/wwi/sales/kpis", headers={"traceparent": f"00-{incoming}-b7ad6b7169203331-01"}
        )
    assert response.headers["x-trace-id"] == incoming
