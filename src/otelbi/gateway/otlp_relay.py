"""POST /api/otlp/v1/traces: the browser's spans, relayed unchanged to the product's collector.

The web app exports its spans (OTLP/HTTP, JSON or protobuf) to its own origin, so a page needs
no collector address, no CORS and no Content-Security-Policy entry. The gateway sends the body
as it came to where its own spans go — OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, else
OTEL_EXPORTER_OTLP_ENDPOINT + /v1/traces — with the exporter's OTEL_EXPORTER_OTLP_(TRACES_)HEADERS
and certificates; never with the user's token.

Who may send how much: the user's token when REQUIRE_FRONTEND_AUTH=true (401 without),
OTLP_RELAY_MAX_BODY_BYTES per body (413), OTLP_RELAY_REQUESTS_PER_MINUTE per user, or per
client address with authentication off (429 with Retry-After).

Telemetry never fails a page: with the product's tracing off (OTEL_SDK_DISABLED=true,
OTEL_TRACES_EXPORTER=none) the relay answers 202 `{}` and sends nothing; when the collector is
down, slower than 3 s or failing it answers 202 `{}` too, and logs one warning a minute at
most. A collector's 2xx (its ExportTraceServiceResponse) is passed through.

The relay leaves no span and no request metric (its path is in the instrumentation's
UNTRACED_URLS, its client is not instrumented: each export would otherwise make gateway spans
the next export carries), and no audit row: it is telemetry, not a use of the data (a refused
token still leaves its `auth.denied` row, as on every route).
"""

from __future__ import annotations

import logging
import math
import os
import ssl
import time
from collections.abc import Mapping
from types import TracebackType
from typing import Annotated, Any, Self

import httpx
from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, Response
from opentelemetry.util.re import parse_env_headers
from pydantic import BaseModel, Field

from otelbi.errors import InvalidInput, TooManyRequests, UnsupportedMediaType
from otelbi.gateway.auth import CurrentUser, GatewayDep
from otelbi.gateway.rate_limits import TokenBuckets
from otelbi.settings import TelemetrySettings
from otelbi.telemetry.providers import traces_destination
from otelbi.web.body_limit import BodyTooLarge
from otelbi.web.errors import ErrorBody

log = logging.getLogger(__name__)

router = APIRouter(prefix="/api/otlp", tags=["gateway"])

MEDIA_TYPES = frozenset({"application/json", "application/x-protobuf"})
"""What OTLP/HTTP sends: JSON (the browser exporter's default) or protobuf."""
CONTENT_ENCODINGS = frozenset({"", "identity", "gzip", "deflate"})
FORWARD_TIMEOUT = httpx.Timeout(3.0)
"""A collector slower than this costs the browser's spans, never a page's patience."""
WARNING_INTERVAL_SECONDS = 60.0

_BINARY = {"type": "string", "format": "binary"}


class OtlpPartialSuccess(BaseModel):
    """The spans a collector refused although the request as a whole was accepted."""

    rejected_spans: int | str | None = Field(
        None, alias="rejectedSpans", description="An int64: OTLP/JSON may write it as a string"
    )
    error_message: str | None = Field(None, alias="errorMessage")


class OtlpExportResponse(BaseModel):
    """OTLP's ExportTraceServiceResponse as JSON: `{}`, or the spans the collector refused."""

    partial_success: OtlpPartialSuccess | None = Field(None, alias="partialSuccess")


class OtlpRelay:
    """The relay's collector client, rate limits and failure log (one per gateway)."""

    def __init__(self, settings: TelemetrySettings) -> None:
        self.max_body_bytes = settings.otlp_relay_max_body_bytes
        self.buckets = TokenBuckets(settings.otlp_relay_requests_per_minute)
        self.destination = traces_destination(settings)
        # Deliberately not instrumented: see the module docstring.
        self._client = (
            httpx.AsyncClient(timeout=FORWARD_TIMEOUT, verify=_collector_tls())
            if self.destination
            else None
        )
        self._headers = _collector_headers()
        self._next_warning_at = 0.0
        self._unreported_failures = 0

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._client is not None:
            await self._client.aclose()

    async def forward(self, body: bytes, headers: Mapping[str, str]) -> Response:
        """Return the collector's 2xx answer to `body`, or 202 `{}` if it was not delivered."""
        if self._client is None or self.destination is None:
            return _accepted()
        try:
            answer = await self._client.post(
                self.destination, content=body, headers={**self._headers, **headers}
            )
        except (httpx.HTTPError, httpx.InvalidURL) as error:
            self._warn(f"{type(error).__name__}: {error}")
            return _accepted()
        if answer.is_success:
            media_type = answer.headers.get("content-type", headers["content-type"])
            return Response(answer.content, status_code=answer.status_code, media_type=media_type)
        if answer.status_code == 400:
            raise InvalidInput(
                "the collector could not read the spans (HTTP 400): send an OTLP "
                "ExportTraceServiceRequest as JSON or protobuf"
            )
        self._warn(f"it answered HTTP {answer.status_code}")
        return _accepted()

    def _warn(self, reason: str) -> None:
        """Log the failure, once a minute at most: a collector outage is one line, not a flood."""
        now = time.monotonic()
        if now < self._next_warning_at:
            self._unreported_failures += 1
            return
        log.warning(
            "the browser's spans could not be relayed to %s (%s; %d more failures since the "
            "last warning); they are dropped, pages are not affected",
            self.destination,
            reason,
            self._unreported_failures,
        )
        self._next_warning_at = now + WARNING_INTERVAL_SECONDS
        self._unreported_failures = 0


def _accepted() -> JSONResponse:
    return JSONResponse({}, status_code=202)


def _collector_headers() -> dict[str, str]:
    """Return the headers the product's span exporter sends (e.g. a collector's credentials)."""
    configured = os.environ.get("OTEL_EXPORTER_OTLP_TRACES_HEADERS") or os.environ.get(
        "OTEL_EXPORTER_OTLP_HEADERS", ""
    )
    return dict(parse_env_headers(configured, liberal=True))


def _collector_tls() -> ssl.SSLContext | bool:
    """Return the TLS set-up of the product's span exporter (CA and client certificate)."""

    def variable(name: str) -> str | None:
        return os.environ.get(f"OTEL_EXPORTER_OTLP_TRACES_{name}") or os.environ.get(
            f"OTEL_EXPORTER_OTLP_{name}"
        )

    certificate, client_certificate = variable("CERTIFICATE"), variable("CLIENT_CERTIFICATE")
    if not certificate and not client_certificate:
        return True
    context = ssl.create_default_context(cafile=certificate)
    if client_certificate:
        context.load_cert_chain(client_certificate, keyfile=variable("CLIENT_KEY"))
    return context


def otlp_relay(request: Request) -> OtlpRelay:
    """Return the relay the gateway's lifespan set up."""
    relay: OtlpRelay = request.app.state.otlp_relay
    return relay


RelayDep = Annotated[OtlpRelay, Depends(otlp_relay)]


def _error(description: str, **extra: Any) -> dict[str, Any]:
    return {"model": ErrorBody, "description": description, **extra}


_REQUEST_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "description": "An OTLP ExportTraceServiceRequest, as the OpenTelemetry exporter sends it",
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "properties": {"resourceSpans": {"type": "array", "items": {"type": "object"}}},
                }
            },
            "application/x-protobuf": {"schema": _BINARY},
        },
    }
}
"""The relay reads its body itself, so the document is told what it takes."""

_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The collector took the spans: its ExportTraceServiceResponse, JSON or "
        "protobuf like the request",
        "content": {"application/x-protobuf": {"schema": _BINARY}},
    },
    202: {
        "model": OtlpExportResponse,
        "description": "Taken but not delivered: the product's tracing is off, or the collector "
        "is unreachable or failing (logged once a minute)",
    },
    413: _error("The body is larger than OTLP_RELAY_MAX_BODY_BYTES (`too_large`)"),
    415: _error(
        "The body is neither application/json nor application/x-protobuf (`unsupported_media_type`)"
    ),
    429: _error(
        "Over OTLP_RELAY_REQUESTS_PER_MINUTE for this user or address (`too_many_requests`)",
        headers={
            "Retry-After": {
                "description": "Seconds until this client may send again",
                "schema": {"type": "integer"},
            }
        },
    ),
    503: _error(
        "The identity provider's keys, needed to check the token, could not be fetched "
        "(`unavailable`)"
    ),
}


@router.post(
    "/v1/traces",
    name="gateway.otlp.traces",
    response_model=OtlpExportResponse,
    responses=_RESPONSES,
    openapi_extra=_REQUEST_BODY,
)
async def relay_traces(
    request: Request, state: GatewayDep, relay: RelayDep, user: CurrentUser
) -> Response:
    """Relay the browser's spans (OTLP/HTTP, JSON or protobuf) to the product's collector.

    Answers the collector's own 2xx, or 202 `{}` when the spans could not be delivered or
    the product's tracing is off: a missing collector never fails a page.
    """
    headers = _forwarded_headers(request)
    client = request.client.host if request.client else "unknown"
    key = f"address:{client}" if state.user_tokens is None else f"user:{user.subject}"
    wait = relay.buckets.take(key)
    if wait > 0:
        raise TooManyRequests(
            "too many trace exports from this client: wait, then send again",
            headers={"retry-after": str(max(1, math.ceil(wait)))},
        )
    body = await _read_body(request, relay.max_body_bytes)
    return await relay.forward(body, headers)


def _forwarded_headers(request: Request) -> dict[str, str]:
    """Return the body's Content-Type (and -Encoding) to send on; 415 for anything else."""
    content_type = request.headers.get("content-type", "")
    encoding = request.headers.get("content-encoding", "").strip().lower()
    media_type = content_type.split(";")[0].strip().lower()
    if media_type not in MEDIA_TYPES or encoding not in CONTENT_ENCODINGS:
        raise UnsupportedMediaType(
            f"send spans as {' or '.join(sorted(MEDIA_TYPES))} (OTLP/HTTP), uncompressed, "
            "gzip or deflate"
        )
    headers = {"content-type": content_type}
    if encoding not in ("", "identity"):
        headers["content-encoding"] = encoding
    return headers


async def _read_body(request: Request, max_bytes: int) -> bytes:
    """Return the request body; 413 if it declares or turns out to be over `max_bytes`."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise BodyTooLarge(max_bytes)
    chunks = []
    received = 0
    async for chunk in request.stream():
        received += len(chunk)
        if received > max_bytes:
            raise BodyTooLarge(max_bytes)
        chunks.append(chunk)
    return b"".join(chunks)
