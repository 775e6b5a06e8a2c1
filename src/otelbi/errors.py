"""The one error hierarchy. Every error a client sees is rendered by one handler as
`{"error": "<kind>", "detail": "<what to do>"}` with the status its class names.

    OtelBiError
    ├── InvalidInput            422 invalid_input
    ├── Unauthenticated         401 unauthenticated   (WWW-Authenticate: Bearer …)
    ├── Forbidden               403 forbidden
    ├── NotFound                404 not_found
    ├── Conflict                409 conflict
    ├── UnsupportedMediaType    415 unsupported_media_type
    ├── TooManyRequests         429 too_many_requests   (Retry-After: …)
    ├── DependencyUnavailable   503 unavailable
    │   ├── WarehouseUnavailable
    │   └── StoreUnavailable
    └── ServiceTimeout          504 timeout   (a service did not answer in time)

A 503 raised from a database driver's or a service client's error (`raise … from error`)
reaches the client naming only its `dependency` (web/errors.py): the error's own text (a
connection string, the database's message) goes to the log, under the response's x-trace-id.
"""

from __future__ import annotations

from typing import ClassVar


class OtelBiError(Exception):
    """An error with a stable kind, an HTTP status and a detail that says what to do."""

    kind: ClassVar[str] = "internal"
    status: ClassVar[int] = 500

    def __init__(self, detail: str, *, headers: dict[str, str] | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.headers = headers or {}


class InvalidInput(OtelBiError):
    """The request's parameters or body are not acceptable."""

    kind = "invalid_input"
    status = 422


class Unauthenticated(OtelBiError):
    """No valid credentials."""

    kind = "unauthenticated"
    status = 401


class Forbidden(OtelBiError):
    """Valid credentials without the rights this request needs."""

    kind = "forbidden"
    status = 403


class NotFound(OtelBiError):
    """The thing asked for does not exist."""

    kind = "not_found"
    status = 404


class Conflict(OtelBiError):
    """The thing asked for exists but is not in the state the request needs."""

    kind = "conflict"
    status = 409


class UnsupportedMediaType(OtelBiError):
    """A body in a format the endpoint does not take."""

    kind = "unsupported_media_type"
    status = 415


class TooManyRequests(OtelBiError):
    """A client over its request budget; Retry-After says when it may send again."""

    kind = "too_many_requests"
    status = 429


class DependencyUnavailable(OtelBiError):
    """A system this request needs is down; trying again later may work."""

    kind = "unavailable"
    status = 503
    dependency: ClassVar[str] = "a system this request needs"


class WarehouseUnavailable(DependencyUnavailable):
    """The warehouse did not answer."""

    dependency = "the warehouse"


class StoreUnavailable(DependencyUnavailable):
    """The write store did not answer."""

    dependency = "the write store"


class ServiceTimeout(OtelBiError):
    """A service took longer than its route class allows (SERVICE_TIMEOUT_*_SECONDS)."""

    kind = "timeout"
    status = 504
