"""A real OTLP/HTTP receiver for the tests, in the test process.

An `http.server` on 127.0.0.1 that accepts what the product's exporters send to a collector —
POST /v1/traces and /v1/metrics, protobuf bodies, gzip or deflate when the exporter
compresses — and keeps the decoded `ExportTraceServiceRequest` and
`ExportMetricsServiceRequest` messages (from the `opentelemetry-proto` package), flattened
into `ReceivedSpan` and `ReceivedPoint` for assertions. The `otlp_receiver` fixture points
OTEL_EXPORTER_OTLP_ENDPOINT at it and switches both exporters on.

It reads OTLP/JSON too (`Content-Type: application/json`, what the browser's exporter sends
through the gateway's relay) into the same messages, as a collector does: ids are hex
strings there, not protobuf-JSON base64, and unknown fields are ignored. It answers in the
request's encoding. `trace_posts` keeps each /v1/traces request's headers and body as they
arrived, and `fail_with = 503` (any status) makes it refuse every request until reset to None.
"""

from __future__ import annotations

import base64
import gzip
import json
import threading
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, TypeVar

import pytest
from google.protobuf import json_format
from google.protobuf.message import Message
from opentelemetry.proto.collector.metrics.v1.metrics_service_pb2 import (
    ExportMetricsServiceRequest,
    ExportMetricsServiceResponse,
)
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import (
    ExportTraceServiceRequest,
    ExportTraceServiceResponse,
)
from opentelemetry.proto.common.v1.common_pb2 import AnyValue, KeyValue
from opentelemetry.proto.trace.v1.trace_pb2 import Span, Status

SERVER = Span.SpanKind.SPAN_KIND_SERVER
CLIENT = Span.SpanKind.SPAN_KIND_CLIENT
INTERNAL = Span.SpanKind.SPAN_KIND_INTERNAL
ERROR = Status.StatusCode.STATUS_CODE_ERROR


def _value(value: AnyValue) -> Any:
    kind = value.WhichOneof("value")
    if kind == "array_value":
        return [_value(item) for item in value.array_value.values]
    if kind == "kvlist_value":
        return _attributes(value.kvlist_value.values)
    return None if kind is None else getattr(value, kind)


def _attributes(pairs: Any) -> dict[str, Any]:
    return {pair.key: _value(pair.value) for pair in pairs if isinstance(pair, KeyValue)}


M = TypeVar("M", bound=Message)

_HEX_IDS = frozenset({"traceId", "spanId", "parentSpanId"})
"""OTLP/JSON writes these bytes fields as hex, where protobuf's JSON mapping expects base64."""


def _ids_as_base64(node: Any) -> Any:
    if isinstance(node, list):
        return [_ids_as_base64(item) for item in node]
    if not isinstance(node, dict):
        return node
    return {
        key: base64.b64encode(bytes.fromhex(value)).decode()
        if key in _HEX_IDS and isinstance(value, str)
        else _ids_as_base64(value)
        for key, value in node.items()
    }


def _decoded(message: M, body: bytes, json_body: bool) -> M:
    """Return `message` filled from an OTLP body: protobuf, or OTLP/JSON."""
    if json_body:
        json_format.ParseDict(_ids_as_base64(json.loads(body)), message, ignore_unknown_fields=True)
    else:
        message.ParseFromString(body)
    return message


@dataclass(frozen=True)
class ReceivedPost:
    """One request as it arrived: its headers (names in lower case) and body (decompressed)."""

    content_type: str
    body: bytes
    headers: dict[str, str]


@dataclass(frozen=True)
class ReceivedSpan:
    """One span as the collector got it (ids in lower-case hex, as in W3C headers)."""

    resource: dict[str, Any]
    scope: str
    name: str
    kind: int
    trace_id: str
    span_id: str
    parent_span_id: str
    attributes: dict[str, Any]
    status_code: int
    events: tuple[str, ...]
    start_ns: int
    end_ns: int

    @property
    def service(self) -> str:
        return str(self.resource.get("service.name"))


@dataclass(frozen=True)
class ReceivedPoint:
    """One data point of one metric (histograms: count and sum; sums and gauges: value)."""

    resource: dict[str, Any]
    name: str
    unit: str
    kind: str
    attributes: dict[str, Any]
    value: float
    count: int

    @property
    def service(self) -> str:
        return str(self.resource.get("service.name"))


class OtlpReceiver:
    """What the receiver has been sent so far."""

    def __init__(self, host: str = "127.0.0.1") -> None:
        """Listen on `host` (containers need an address of the host that is not loopback)."""
        self._lock = threading.Lock()
        self.trace_requests: list[ExportTraceServiceRequest] = []
        self.metric_requests: list[ExportMetricsServiceRequest] = []
        self.trace_posts: list[ReceivedPost] = []
        self.fail_with: int | None = None
        self.server = ThreadingHTTPServer((host, 0), self._handler())
        self.server.daemon_threads = True
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def endpoint(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("content-length", 0)))
                if receiver.fail_with is not None:
                    self.send_error(receiver.fail_with)
                    return
                encoding = (self.headers.get("content-encoding") or "").lower()
                if encoding == "gzip":
                    body = gzip.decompress(body)
                elif encoding == "deflate":
                    body = zlib.decompress(body)
                content_type = self.headers.get("content-type") or "application/x-protobuf"
                headers = {name.lower(): value for name, value in self.headers.items()}
                json_body = content_type.split(";")[0].strip().lower() == "application/json"
                response: Message
                if self.path == "/v1/traces":
                    traces = _decoded(ExportTraceServiceRequest(), body, json_body)
                    with receiver._lock:
                        receiver.trace_requests.append(traces)
                        receiver.trace_posts.append(ReceivedPost(content_type, body, headers))
                    response = ExportTraceServiceResponse()
                elif self.path == "/v1/metrics":
                    metrics = _decoded(ExportMetricsServiceRequest(), body, json_body)
                    with receiver._lock:
                        receiver.metric_requests.append(metrics)
                    response = ExportMetricsServiceResponse()
                else:
                    self.send_error(404)
                    return
                if json_body:
                    answer = json_format.MessageToJson(response).encode()
                else:
                    answer = response.SerializeToString()
                self.send_response(200)
                self.send_header(
                    "content-type", "application/json" if json_body else "application/x-protobuf"
                )
                self.send_header("content-length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, format: str, *args: Any) -> None:
                """Keep the test output quiet."""

        return Handler

    def trace_posts_with(
        self, *, trace_id: str | None = None, service: str | None = None
    ) -> list[ReceivedPost]:
        """Return the /v1/traces requests holding a span of `trace_id` (hex) or `service`."""
        with self._lock:
            received = list(zip(self.trace_posts, self.trace_requests, strict=True))
        return [
            post
            for post, request in received
            if any(
                (trace_id is None or span.trace_id.hex() == trace_id)
                and (
                    service is None
                    or _attributes(resource_spans.resource.attributes).get("service.name")
                    == service
                )
                for resource_spans in request.resource_spans
                for scope_spans in resource_spans.scope_spans
                for span in scope_spans.spans
            )
        ]

    def spans(self) -> list[ReceivedSpan]:
        """Return every span received, in arrival order."""
        with self._lock:
            requests = list(self.trace_requests)
        return [
            ReceivedSpan(
                resource=_attributes(resource_spans.resource.attributes),
                scope=scope_spans.scope.name,
                name=span.name,
                kind=span.kind,
                trace_id=span.trace_id.hex(),
                span_id=span.span_id.hex(),
                parent_span_id=span.parent_span_id.hex(),
                attributes=_attributes(span.attributes),
                status_code=span.status.code,
                events=tuple(event.name for event in span.events),
                start_ns=span.start_time_unix_nano,
                end_ns=span.end_time_unix_nano,
            )
            for request in requests
            for resource_spans in request.resource_spans
            for scope_spans in resource_spans.scope_spans
            for span in scope_spans.spans
        ]

    def points(self, name: str | None = None) -> list[ReceivedPoint]:
        """Return every data point received (of metric `name` only, if given)."""
        with self._lock:
            requests = list(self.metric_requests)
        points = []
        for request in requests:
            for resource_metrics in request.resource_metrics:
                resource = _attributes(resource_metrics.resource.attributes)
                for scope_metrics in resource_metrics.scope_metrics:
                    for metric in scope_metrics.metrics:
                        if name is not None and metric.name != name:
                            continue
                        kind = metric.WhichOneof("data")
                        for point in getattr(metric, kind).data_points:
                            if kind == "histogram":
                                value, count = point.sum, point.count
                            else:
                                value = point.as_double or point.as_int
                                count = 1
                            points.append(
                                ReceivedPoint(
                                    resource=resource,
                                    name=metric.name,
                                    unit=metric.unit,
                                    kind=kind,
                                    attributes=_attributes(point.attributes),
                                    value=value,
                                    count=count,
                                )
                            )
        return points

    def metric_names(self) -> set[str]:
        """Return the names of every metric received."""
        return {point.name for point in self.points()}


@pytest.fixture
def otlp_receiver(monkeypatch: pytest.MonkeyPatch) -> Iterator[OtlpReceiver]:
    """Yield a running receiver that the product's trace and metric exporters send to."""
    receiver = OtlpReceiver()
    receiver.start()
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_ENDPOINT", receiver.endpoint)
    monkeypatch.setenv("OTEL_TRACES_EXPORTER", "otlp")
    monkeypatch.setenv("OTEL_METRICS_EXPORTER", "otlp")
    try:
        yield receiver
    finally:
        receiver.stop()
