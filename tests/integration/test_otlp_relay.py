"""The gateway's same-origin relay for the browser's spans (POST /api/otlp/v1/traces), against
the real OTLP/HTTP receiver and the all-in-one product: JSON and protobuf arrive unchanged at
the product's own collector; the body cap, the per-client budget and the user's token hold; a
missing or failing collector costs a page nothing and the log one line; and relaying leaves
no gateway span and no audit row behind.
"""

from __future__ import annotations

import json
import logging
import secrets
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest
from opentelemetry.proto.common.v1.common_pb2 import AnyValue, KeyValue
from opentelemetry.proto.trace.v1.trace_pb2 import Span

from otelbi.gateway.rate_limits import TokenBuckets
from otelbi.service_layout import build_app
from otelbi.settings import RunMode, Settings
from otelbi.store import audit
from tests.peers.oidc_provider import API_AUDIENCE, OidcProvider
from tests.peers.otlp_receiver import SERVER, OtlpReceiver

RELAY = "/api/otlp/v1/traces"
JSON = {"content-type": "application/json"}
PROTOBUF = {"content-type": "application/x-protobuf"}
FRONTEND = "otelbi-frontend"
RELAY_LOGGER = "otelbi.gateway.otlp_relay"


@pytest.fixture
def product_env(
    monkeypatch: pytest.MonkeyPatch, postgres_url: str, generated_warehouses: Path
) -> None:
    monkeypatch.setenv("POSTGRES_URL", postgres_url)
    monkeypatch.setenv("DATA_DIR", str(generated_warehouses))


def _client() -> TestClient:
    return TestClient(build_app(RunMode.ALL_IN_ONE, Settings(env_file=None)))


@pytest.fixture
def client(product_env: None) -> Iterator[TestClient]:
    with _client() as test_client:
        yield test_client


def _ids() -> tuple[str, str]:
    return secrets.token_hex(16), secrets.token_hex(8)


def _json_export(trace_id: str, span_id: str) -> bytes:
    """Return an OTLP/JSON body with one span, as @opentelemetry/exporter-trace-otlp-http
    writes it (ids in hex, times as strings)."""
    now = time.time_ns()
    body = {
        "resourceSpans": [
            {
                "resource": {
                    "attributes": [
                        {"key": "service.name", "value": {"stringValue": FRONTEND}},
                        {"key": "service.namespace", "value": {"stringValue": "otelbi"}},
                    ],
                    "droppedAttributesCount": 0,
                },
                "scopeSpans": [
                    {
                        "scope": {"name": FRONTEND},
                        "spans": [
                            {
                                "traceId": trace_id,
                                "spanId": span_id,
                                "name": "documentLoad",
                                "kind": 1,
                                "startTimeUnixNano": str(now - 5_000_000),
                                "endTimeUnixNano": str(now),
                                "attributes": [
                                    {"key": "http.url", "value": {"stringValue": "/aw/sales"}}
                                ],
                                "droppedAttributesCount": 0,
                                "events": [],
                                "droppedEventsCount": 0,
                                "status": {"code": 0},
                                "links": [],
                                "droppedLinksCount": 0,
                            }
                        ],
                    }
                ],
            }
        ]
    }
    return json.dumps(body).encode()


def _protobuf_export(trace_id: str, span_id: str) -> bytes:
    request = ExportTraceServiceRequest()
    resource_spans = request.resource_spans.add()
    resource_spans.resource.attributes.append(
        KeyValue(key="service.name", value=AnyValue(string_value=FRONTEND))
    )
    scope_spans = resource_spans.scope_spans.add()
    scope_spans.scope.name = FRONTEND
    now = time.time_ns()
    scope_spans.spans.append(
        Span(
            trace_id=bytes.fromhex(trace_id),
            span_id=bytes.fromhex(span_id),
            name="click",
            kind=Span.SpanKind.SPAN_KIND_INTERNAL,
            start_time_unix_nano=now - 1_000_000,
            end_time_unix_nano=now,
        )
    )
    return request.SerializeToString()


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def _relay_warnings(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == RELAY_LOGGER and r.levelno == logging.WARNING]


@pytest.mark.usefixtures("product_env")
def test_a_json_export_arrives_unchanged_and_leaves_no_gateway_span_or_audit_row(
    otlp_receiver: OtlpReceiver,
) -> None:
    trace_id, span_id = _ids()
    body = _json_export(trace_id, span_id)
    with _client() as client:
        response = client.post(RELAY, content=body, headers=JSON)
        # A control: the gateway's other requests are traced to the same receiver.
        config = client.get("/api/config")
        store = client.app.state.gateway.store  # type: ignore[attr-defined]
        audit_rows = audit.recent(store, limit=1000)

    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/json")
    assert response.json() == {}
    assert "x-trace-id" not in response.headers  # no server span of the relay's own

    (post,) = otlp_receiver.trace_posts_with(trace_id=trace_id)
    assert post.body == body
    assert post.content_type == "application/json"
    (span,) = [s for s in otlp_receiver.spans() if s.trace_id == trace_id]
    assert (span.service, span.span_id, span.name) == (FRONTEND, span_id, "documentLoad")
    assert span.resource["service.namespace"] == "otelbi"

    gateway_spans = [s for s in otlp_receiver.spans() if s.service == "api-gateway"]
    assert any(
        s.kind == SERVER and s.trace_id == config.headers["x-trace-id"] for s in gateway_spans
    )
    mentions_relay = [
        (s.name, s.attributes)
        for s in otlp_receiver.spans()
        if s.service != FRONTEND
        and ("/api/otlp" in f"{s.name} {s.attributes}" or "/v1/traces" in str(s.attributes))
    ]
    assert mentions_relay == []
    assert [row for row in audit_rows if "/api/otlp" in str(row["resource"])] == []


@pytest.mark.usefixtures("product_env")
def test_a_protobuf_export_arrives_unchanged(otlp_receiver: OtlpReceiver) -> None:
    trace_id, span_id = _ids()
    body = _protobuf_export(trace_id, span_id)
    with _client() as client:
        response = client.post(RELAY, content=body, headers=PROTOBUF)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/x-protobuf"
    (post,) = otlp_receiver.trace_posts_with(trace_id=trace_id)
    assert post.body == body
    (span,) = [s for s in otlp_receiver.spans() if s.trace_id == trace_id]
    assert (span.service, span.span_id, span.name) == (FRONTEND, span_id, "click")


@pytest.mark.usefixtures("product_env")
def test_anything_but_otlp_json_or_protobuf_is_a_415(otlp_receiver: OtlpReceiver) -> None:
    body = _json_export(*_ids())
    with _client() as client:
        plain = client.post(RELAY, content=body, headers={"content-type": "text/plain"})
        brotli = client.post(RELAY, content=body, headers={**JSON, "content-encoding": "br"})
    for response in (plain, brotli):
        assert response.status_code == 415
        assert response.json()["error"] == "unsupported_media_type"
    assert otlp_receiver.trace_posts_with(service=FRONTEND) == []


@pytest.mark.usefixtures("product_env")
def test_a_body_over_the_relay_cap_is_a_413_declared_or_streamed(
    monkeypatch: pytest.MonkeyPatch, otlp_receiver: OtlpReceiver
) -> None:
    monkeypatch.setenv("OTLP_RELAY_MAX_BODY_BYTES", "2000")
    trace_id, span_id = _ids()
    fits = _json_export(trace_id, span_id)
    assert len(fits) < 2000
    too_large = b'{"resourceSpans": []}' + b" " * 2000

    def chunked() -> Iterator[bytes]:
        yield too_large[:1000]
        yield too_large[1000:]

    with _client() as client:
        declared = client.post(RELAY, content=too_large, headers=JSON)
        streamed = client.post(RELAY, content=chunked(), headers=JSON)
        accepted = client.post(RELAY, content=fits, headers=JSON)
    for response in (declared, streamed):
        assert response.status_code == 413
        assert response.json() == {
            "error": "too_large",
            "detail": "the request body is larger than 2000 bytes: send a smaller one",
        }
    assert accepted.status_code == 200
    assert [post.body for post in otlp_receiver.trace_posts_with(service=FRONTEND)] == [fits]


@pytest.mark.usefixtures("product_env")
def test_past_the_per_minute_budget_a_client_gets_429_with_retry_after(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("OTLP_RELAY_REQUESTS_PER_MINUTE", "3")
    body = _json_export(*_ids())
    with _client() as client:
        statuses = [client.post(RELAY, content=body, headers=JSON) for _ in range(4)]
        # Another address has a budget of its own.
        other = TestClient(client.app, client=("192.0.2.7", 40000))
        elsewhere = other.post(RELAY, content=body, headers=JSON)
    # Tracing is off here (the tests' default OTEL_TRACES_EXPORTER=none): 202, nothing sent.
    assert [r.status_code for r in statuses] == [202, 202, 202, 429]
    assert statuses[0].json() == {}
    refused = statuses[3]
    assert refused.json()["error"] == "too_many_requests"
    # Three a minute: the next request is allowed 20 s after the budget ran out.
    assert 15 <= int(refused.headers["retry-after"]) <= 20
    assert elsewhere.status_code == 202


@pytest.mark.parametrize("switch", ["OTEL_SDK_DISABLED=true", "OTEL_TRACES_EXPORTER=none"])
@pytest.mark.usefixtures("product_env")
def test_with_the_products_tracing_off_nothing_is_forwarded(
    monkeypatch: pytest.MonkeyPatch, otlp_receiver: OtlpReceiver, switch: str
) -> None:
    name, value = switch.split("=")
    monkeypatch.setenv(name, value)
    with _client() as client:
        response = client.post(RELAY, content=_json_export(*_ids()), headers=JSON)
    assert response.status_code == 202
    assert response.json() == {}
    assert otlp_receiver.trace_posts == []


@pytest.mark.usefixtures("product_env")
def test_an_unreachable_collector_answers_202_at_once_and_warns_once(
    monkeypatch: pytest.MonkeyPatch, otlp_receiver: OtlpReceiver, caplog: pytest.LogCaptureFixture
) -> None:
    # The traces endpoint wins over the general one, for the relay as for the product.
    closed = f"http://127.0.0.1:{_closed_port()}/v1/traces"
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", closed)
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_TIMEOUT", "1")
    caplog.set_level(logging.WARNING, logger=RELAY_LOGGER)
    body = _json_export(*_ids())
    with _client() as client:
        started = time.monotonic()
        responses = [client.post(RELAY, content=body, headers=JSON) for _ in range(5)]
        elapsed = time.monotonic() - started
    assert [(r.status_code, r.json()) for r in responses] == [(202, {})] * 5
    assert elapsed < 3.0
    (warning,) = _relay_warnings(caplog)
    assert closed in warning.getMessage()
    assert otlp_receiver.trace_posts == []


@pytest.mark.usefixtures("product_env")
def test_a_failing_collector_answers_202_and_warns_once(
    otlp_receiver: OtlpReceiver, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger=RELAY_LOGGER)
    body = _json_export(*_ids())
    with _client() as client:
        otlp_receiver.fail_with = 503
        failed = [client.post(RELAY, content=body, headers=JSON) for _ in range(3)]
        otlp_receiver.fail_with = None
        recovered = client.post(RELAY, content=body, headers=JSON)
    assert [(r.status_code, r.json()) for r in failed] == [(202, {})] * 3
    assert recovered.status_code == 200
    (warning,) = _relay_warnings(caplog)
    assert "HTTP 503" in warning.getMessage()


@pytest.fixture
def gateway_with_auth(
    monkeypatch: pytest.MonkeyPatch,
    oidc_provider: OidcProvider,
    otlp_receiver: OtlpReceiver,
    product_env: None,
) -> Iterator[TestClient]:
    monkeypatch.setenv("REQUIRE_FRONTEND_AUTH", "true")
    monkeypatch.setenv("FRONTEND_JWT_ISSUER_URL", oidc_provider.issuer)
    monkeypatch.setenv("FRONTEND_JWT_AUDIENCE", API_AUDIENCE)
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_HEADERS", "x-collector-key=k%201")
    with _client() as client:
        yield client


def test_with_auth_on_only_a_genuine_token_may_send_and_it_stays_at_the_gateway(
    gateway_with_auth: TestClient, oidc_provider: OidcProvider, otlp_receiver: OtlpReceiver
) -> None:
    trace_id, span_id = _ids()
    body = _json_export(trace_id, span_id)
    anonymous = gateway_with_auth.post(RELAY, content=body, headers=JSON)
    forged = gateway_with_auth.post(
        RELAY, content=body, headers={**JSON, "authorization": "Bearer not-a-jwt"}
    )
    token = oidc_provider.token("bi.read")
    signed_in = gateway_with_auth.post(
        RELAY, content=body, headers={**JSON, "authorization": f"Bearer {token}"}
    )
    for refused in (anonymous, forged):
        assert refused.status_code == 401
        assert refused.json()["error"] == "unauthenticated"
    assert signed_in.status_code == 200, signed_in.text
    (post,) = otlp_receiver.trace_posts_with(trace_id=trace_id)
    assert post.body == body
    # The collector gets the product's exporter headers, never the user's token.
    assert post.headers["x-collector-key"] == "k 1"
    assert "authorization" not in post.headers


def test_rate_limit_buckets_refill_and_forget_idle_clients() -> None:
    now = [0.0]
    buckets = TokenBuckets(2, max_keys=100, clock=lambda: now[0])
    assert [buckets.take("ada") for _ in range(2)] == [0.0, 0.0]
    assert buckets.take("ada") == pytest.approx(30.0)
    now[0] += 30.0
    assert buckets.take("ada") == 0.0
    # A minute idle: full again, so the bucket is dropped.
    now[0] += 61.0
    buckets.take("grace")
    assert len(buckets) == 1
    for client in range(1000):
        buckets.take(f"client-{client}")
    assert len(buckets) == 100
