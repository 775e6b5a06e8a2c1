"""Forwards /api/aw/* and /api/wwi/* to their services with an internal token.

The user's own token never leaves the gateway: the service gets a 60-second HS256 token
naming the user, plus the W3C traceparent (added by the HTTPX instrumentation). An answer
with a Content-Length of at most WHOLE_ANSWER_BYTES (a view's JSON) is read whole and sent on
as one message; others (exports) are streamed back as they come, so large files pass through
without being held in memory.

A service route that needs an extra scope at the gateway (SCOPED_SERVICE_ROUTES) needs it
here too, matched on the path as it will be sent: after httpx has resolved `..` segments,
so `/api/aw/x/../jobs/j/run` cannot slip past the check for `/api/aw/jobs/j/run`.

A service has until its route class's timeout (SERVICE_TIMEOUT_EXPORTS_SECONDS for exports,
SERVICE_TIMEOUT_VIEWS_SECONDS for the rest) to start answering: past it the call is cancelled
and the client gets 504. A path or forwarded header the service could not be sent (a control
character, a non-ASCII header value) is the client's error: 422, never a 500.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
from collections.abc import Awaitable, Callable
from typing import TypeVar

import httpx
from fastapi import Request
from fastapi.responses import Response, StreamingResponse
from starlette.background import BackgroundTask
from starlette.requests import ClientDisconnect

from otelbi.domains import Domain
from otelbi.errors import DependencyUnavailable, InvalidInput, ServiceTimeout
from otelbi.gateway.auth import check_scope, jobs_run_scope
from otelbi.gateway.rate_limits import principal
from otelbi.gateway.state import GatewayState
from otelbi.security.user_tokens import User
from otelbi.settings import Settings

log = logging.getLogger(__name__)

T = TypeVar("T")

FORWARDED_REQUEST_HEADERS = (
    "accept",
    "content-type",
    "idempotency-key",
    "accept-language",
    # `no-cache`: the service checks the warehouse's data version before answering.
    "cache-control",
)
DROPPED_RESPONSE_HEADERS = {
    "content-length",
    "transfer-encoding",
    "connection",
    "x-trace-id",
    "x-span-id",
    "server",
    "date",
}

SCOPED_SERVICE_ROUTES: tuple[tuple[str, re.Pattern[str], Callable[[Settings], str]], ...] = (
    ("POST", re.compile(r"/api/[^/]+/jobs/[^/]+/run/?"), jobs_run_scope),
)
"""(method, service path, the setting naming the scope) of service routes with an extra scope."""
EXPORT_PATH = re.compile(r"/api/[^/]+/export/.+")
"""Service exports: counted against EXPORT_REQUESTS_PER_MINUTE per user (rate_limits.py)."""
WHOLE_ANSWER_BYTES = 1 << 20
"""A service answer with a Content-Length up to this is read whole and sent as one message;
longer or unsized ones (exports) stream through as they come."""
CONTROL_CHARACTER = re.compile(r"[\x00-\x1f\x7f]")
PRINTABLE_ASCII = re.compile(r"[\x20-\x7e]*")


def service_timeout(settings: Settings, path: str) -> tuple[float, str]:
    """Return how long a service may take to answer `path`, and the setting that says so."""
    if EXPORT_PATH.fullmatch(path):
        return settings.topology.service_timeout_exports_seconds, "SERVICE_TIMEOUT_EXPORTS_SECONDS"
    return settings.topology.service_timeout_views_seconds, "SERVICE_TIMEOUT_VIEWS_SECONDS"


def _forwarded_headers(request: Request) -> dict[str, str]:
    """Return the request's headers the service gets; InvalidInput names one not printable
    ASCII (the value is not echoed)."""
    headers = {}
    for name in FORWARDED_REQUEST_HEADERS:
        value = request.headers.get(name)
        if value is None:
            continue
        if not PRINTABLE_ASCII.fullmatch(value):
            raise InvalidInput(f"the {name} header may hold only printable ASCII characters")
        headers[name] = value
    return headers


def internal_authorization(state: GatewayState, domain: Domain, subject: str) -> str:
    """Return the Authorization header value for one call to `domain`'s service."""
    return f"Bearer {state.internal_tokens.token(audience=domain.service_name, subject=subject)}"


async def _unless_the_client_leaves(request: Request, call: Awaitable[T]) -> T:
    """Await `call`; if the client disconnects first, cancel it and raise ClientDisconnect
    (499): the service stops work nobody waits for, and the call no longer counts as in
    flight (web/load_shedding.py)."""
    answer = asyncio.ensure_future(call)
    gone = asyncio.ensure_future(_disconnect(request))
    try:
        await asyncio.wait({answer, gone}, return_when=asyncio.FIRST_COMPLETED)
    except asyncio.CancelledError:
        answer.cancel()  # the gateway's own call was cancelled: the service's goes with it
        raise
    finally:
        gone.cancel()
    if answer.done():
        return answer.result()
    answer.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await answer
    raise ClientDisconnect


async def _disconnect(request: Request) -> None:
    """Return when the client has gone (its body was read: nothing else can arrive)."""
    while (await request.receive())["type"] != "http.disconnect":
        pass


async def forward(
    request: Request, state: GatewayState, domain: Domain, user: User, *, path: str | None = None
) -> Response:
    """Return the service's response to the same method, query and body (at `path`, if given)."""
    service = state.services[domain]
    client = service.client
    headers = _forwarded_headers(request)
    headers["authorization"] = internal_authorization(state, domain, user.subject)
    target = path or request.url.path
    if CONTROL_CHARACTER.search(target):
        raise InvalidInput("the path holds a control character")
    seconds, setting = service_timeout(state.settings, target)
    outbound = client.build_request(
        request.method,
        service.url(target, request.url.query),
        headers=headers,
        content=await request.body(),
        timeout=httpx.Timeout(seconds, connect=client.timeout.connect),
    )
    for method, path_pattern, scope_setting in SCOPED_SERVICE_ROUTES:
        if outbound.method == method and path_pattern.fullmatch(outbound.url.path):
            await check_scope(request, state, user, scope_setting(state.settings))
    if EXPORT_PATH.fullmatch(outbound.url.path):
        key = principal(request, user, authenticated=state.user_tokens is not None)
        state.limits.count_export(key)
    try:
        # Both: httpx's read timeout does not reach an in-process (all-in-one) service.
        async with asyncio.timeout(seconds):
            response, whole = await _unless_the_client_leaves(
                request, _answer(service.transport, outbound)
            )
    except (TimeoutError, httpx.ReadTimeout) as error:
        raise ServiceTimeout(
            f"{domain.service_name} did not answer within {seconds:g} s ({setting}); "
            "try again later"
        ) from error
    except httpx.TransportError as error:
        log.warning("%s at %s: %r", domain.service_name, client.base_url, error)
        raise DependencyUnavailable(f"{domain.service_name} is not reachable") from error
    headers = {
        k: v for k, v in response.headers.items() if k.lower() not in DROPPED_RESPONSE_HEADERS
    }
    if whole:
        return Response(response.content, status_code=response.status_code, headers=headers)
    return StreamingResponse(
        response.aiter_raw(),
        status_code=response.status_code,
        headers=headers,
        background=BackgroundTask(response.aclose),
    )


async def _answer(
    transport: httpx.AsyncBaseTransport, outbound: httpx.Request
) -> tuple[httpx.Response, bool]:
    """Return the service's response to `outbound` and whether it was read whole: a view's
    JSON is, to be sent as one message without the task group a streamed answer runs to
    watch its client."""
    response = await transport.handle_async_request(outbound)
    whole = _sized_and_small(response)
    if whole:
        try:
            await response.aread()
        finally:
            await response.aclose()
    return response, whole


def _sized_and_small(response: httpx.Response) -> bool:
    length = response.headers.get("content-length", "")
    return length.isdigit() and int(length) <= WHOLE_ANSWER_BYTES
