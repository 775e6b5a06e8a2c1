"""Renders every error a client can see as `{"error": kind, "detail": text}` (`ErrorBody`),
and declares that body on the statuses a route can answer (`error_responses`).

An error nothing handled is answered by `UnhandledErrors`, not by Starlette's last resort (a
bare `Internal Server Error` from outside every middleware, without `x-trace-id`): installed
first, it sits inside the trace-id headers, logs the error with its traceback, records it on
the request's span and answers a JSON 500 naming the trace id. The error's own text is never
sent. An error raised after the answer has started cannot be answered; it propagates.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

import httpx
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from opentelemetry import trace
from opentelemetry.trace import Status, StatusCode
from pydantic import BaseModel, Field
from sqlalchemy.exc import DataError, DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from otelbi.errors import DependencyUnavailable, OtelBiError

log = logging.getLogger(__name__)


class ErrorBody(BaseModel):
    """Every error answer: what kind of error, and what to do about it."""

    error: str = Field(
        description="The kind: invalid_input, unauthenticated, forbidden, not_found, conflict, "
        "too_large, too_many_requests, unavailable, timeout, method_not_allowed, internal",
        examples=["not_found"],
    )
    detail: str = Field(
        description="What went wrong and what to do, for a person",
        examples=["there is no scenario 42"],
    )


ERROR_DESCRIPTIONS: dict[int, str] = {
    401: "No valid bearer token (`unauthenticated`)",
    403: "The token lacks a scope this route needs (`forbidden`)",
    404: "The thing asked for does not exist (`not_found`)",
    409: "The thing exists but is not in the state the request needs (`conflict`)",
    413: "The request body is larger than MAX_REQUEST_BODY_BYTES (`too_large`)",
    422: "A parameter or the body is not acceptable (`invalid_input`)",
    429: "Over a rate or concurrency limit; Retry-After says when to send again "
    "(`too_many_requests`)",
    503: "A warehouse, the write store or a service is unavailable (`unavailable`)",
    504: "A service did not answer within its route class's timeout (`timeout`)",
}
"""What each error status means, as the OpenAPI document says it."""


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """Return the OpenAPI `responses` of a route's error statuses, each answering ErrorBody."""
    return {
        status: {"model": ErrorBody, "description": ERROR_DESCRIPTIONS[status]}
        for status in statuses
    }


_HTTP_KINDS = {
    401: "unauthenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "too_large",
}


def error_response(
    kind: str, detail: str, status: int, headers: Mapping[str, str] | None = None
) -> JSONResponse:
    """Return the JSON error response every client sees."""
    body = ErrorBody(error=kind, detail=detail)
    return JSONResponse(body.model_dump(), status_code=status, headers=headers)


_DRIVER_ERRORS = (DBAPIError, httpx.HTTPError)
"""Errors of a database driver or a service client: their text may hold a connection string,
an address or the database's message."""


def _public_detail(exc: OtelBiError) -> str:
    """Return the detail a client may see: a 503 caused by a driver's error names only its
    dependency (the log has the rest, under the response's trace id)."""
    if isinstance(exc, DependencyUnavailable) and isinstance(exc.__cause__, _DRIVER_ERRORS):
        return (
            f"{exc.dependency} is unavailable: try again shortly (the server log has the "
            "cause under this response's x-trace-id)"
        )
    return exc.detail


async def _otelbi_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, OtelBiError)
    if isinstance(exc.__cause__, DataError):
        # The store refused a value the request carried (PostgreSQL: bigint out of range, a
        # NUL character in text): the client's error, not an outage.
        log.info("%s %s: the store refused a value: %s", request.method, request.url.path, exc)
        return error_response(
            "invalid_input",
            "a value in the request cannot be stored: a number out of range or a NUL character",
            422,
        )
    if exc.status >= 500:
        log.warning("%s %s failed: %s", request.method, request.url.path, exc.detail)
    return error_response(exc.kind, _public_detail(exc), exc.status, exc.headers)


def _validation_problem(error: Mapping[str, Any]) -> str:
    """Return one validation error as `where: rule`, without the client's input: a field the
    endpoint does not take is named by where it was sent, not by its (client-chosen) name."""
    location = [str(part) for part in error["loc"]]
    if error["type"] == "extra_forbidden":
        return f"{'.'.join(location[:-1])}: holds a field this endpoint does not take"
    where = ".".join(part for part in location if part not in ("query", "body"))
    return f"{where}: {error['msg']}"


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    # Name the field and the rule, never echo the input: it may hold a secret.
    problems = "; ".join(_validation_problem(error) for error in exc.errors())
    return error_response("invalid_input", problems, 422)


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, HTTPException)
    if exc.status_code == 400:
        # FastAPI's answer to a body it cannot parse (not UTF-8, not JSON): as documented, a
        # body that is not acceptable is a 422.
        return error_response("invalid_input", "body: cannot be parsed as JSON", 422)
    kind = _HTTP_KINDS.get(exc.status_code, "http_error")
    return error_response(kind, str(exc.detail), exc.status_code, exc.headers)


CLIENT_CLOSED_REQUEST = 499
"""nginx's status for a request whose client left before it was answered."""


async def _client_disconnect(request: Request, exc: Exception) -> Response:
    # The client closed the connection while its body was being read (a tab closed, a
    # timeout): nobody is left to answer, and it is not the server's error.
    assert isinstance(exc, ClientDisconnect)
    log.debug("%s %s: the client left before sending its body", request.method, request.url.path)
    return Response(status_code=CLIENT_CLOSED_REQUEST)


async def _pool_timeout(request: Request, exc: Exception) -> JSONResponse:
    # A connection pool stayed full for its whole timeout where no better-named error was
    # raised (the warehouse and the audit log name themselves): busy, not broken.
    assert isinstance(exc, PoolTimeout)
    log.warning("%s %s: a connection pool stayed full: %s", request.method, request.url.path, exc)
    return error_response(
        "unavailable",
        "the server's database connections all stayed busy: retry shortly",
        503,
        {"Retry-After": "2"},
    )


class UnhandledErrors:
    """ASGI middleware: an unhandled exception before the response starts becomes a JSON 500."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def watching_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, watching_send)
        except Exception as error:
            if started:
                raise
            span = trace.get_current_span()
            span.record_exception(error)
            span.set_status(Status(StatusCode.ERROR, type(error).__name__))
            context = span.get_span_context()
            trace_id = format(context.trace_id, "032x") if context.is_valid else None
            log.exception(
                "%s %s failed unexpectedly (trace %s)",
                scope.get("method", ""),
                scope.get("path", ""),
                trace_id or "not recorded",
            )
            detail = (
                f"an unexpected error on the server (trace id {trace_id}): try again, and "
                "quote the trace id if it happens again"
                if trace_id
                else "an unexpected error on the server: try again"
            )
            await error_response("internal", detail, 500)(scope, receive, send)


def install_error_handlers(app: FastAPI) -> None:
    """Make `app` answer every error in the one JSON shape (call before adding middleware)."""
    app.add_middleware(UnhandledErrors)
    app.add_exception_handler(ClientDisconnect, _client_disconnect)
    app.add_exception_handler(PoolTimeout, _pool_timeout)
    app.add_exception_handler(OtelBiError, _otelbi_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(HTTPException, _http_error)
