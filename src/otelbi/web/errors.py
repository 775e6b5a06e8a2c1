"""Renders every error a client can see as `{"error": kind, "detail": text}`."""

from __future__ import annotations

import logging
from collections.abc import Mapping

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from otelbi.errors import OtelBiError

log = logging.getLogger(__name__)

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
    return JSONResponse({"error": kind, "detail": detail}, status_code=status, headers=headers)


async def _otelbi_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, OtelBiError)
    if exc.status >= 500:
        log.warning("%s %s failed: %s", request.method, request.url.path, exc.detail)
    return error_response(exc.kind, exc.detail, exc.status, exc.headers)


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    # Name the field and the rule, never echo the input: it may hold a secret.
    problems = "; ".join(
        f"{'.'.join(str(part) for part in error['loc'] if part not in ('query', 'body'))}: "
        f"{error['msg']}"
        for error in exc.errors()
    )
    return error_response("invalid_input", problems, 422)


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, HTTPException)
    kind = _HTTP_KINDS.get(exc.status_code, "http_error")
    return error_response(kind, str(exc.detail), exc.status_code, exc.headers)


def install_error_handlers(app: FastAPI) -> None:
    """Make `app` answer every known error in the one JSON shape."""
    app.add_exception_handler(OtelBiError, _otelbi_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(HTTPException, _http_error)
