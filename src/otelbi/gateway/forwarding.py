"""Forwards /api/aw/* and /api/wwi/* to their services with an internal token.

The user's own token never leaves the gateway: the service gets a 60-second HS256 token
naming the user, plus the W3C traceparent (added by the HTTPX instrumentation). Responses
are streamed back, so large exports pass through without being held in memory.
"""

from __future__ import annotations

import httpx
from fastapi import Request
from fastapi.responses import StreamingResponse
from starlette.background import BackgroundTask

from otelbi.domains import GATEWAY_SERVICE_NAME, Domain
from otelbi.errors import DependencyUnavailable
from otelbi.gateway.state import GatewayState
from otelbi.security.internal_tokens import mint_internal_token
from otelbi.security.user_tokens import User

FORWARDED_REQUEST_HEADERS = ("accept", "content-type", "idempotency-key", "accept-language")
DROPPED_RESPONSE_HEADERS = {
    "content-length",
    "transfer-encoding",
    "connection",
    "x-trace-id",
    "x-span-id",
    "server",
    "date",
}


def internal_authorization(state: GatewayState, domain: Domain, subject: str) -> str:
    """Return the Authorization header value for one call to `domain`'s service."""
    token = mint_internal_token(
        secret=state.settings.internal_secret,
        issuer=GATEWAY_SERVICE_NAME,
        audience=domain.service_name,
        subject=subject,
    )
    return f"Bearer {token}"


async def forward(
    request: Request, state: GatewayState, domain: Domain, user: User, *, path: str | None = None
) -> StreamingResponse:
    """Return the service's response to the same method, query and body (at `path`, if given)."""
    client = state.services[domain]
    headers = {
        name: request.headers[name] for name in FORWARDED_REQUEST_HEADERS if name in request.headers
    }
    headers["authorization"] = internal_authorization(state, domain, user.subject)
    outbound = client.build_request(
        request.method,
        path or request.url.path,
        params=request.url.query,
        headers=headers,
        content=await request.body(),
    )
    try:
        response = await client.send(outbound, stream=True)
    except httpx.TransportError as error:
        raise DependencyUnavailable(
            f"{domain.service_name} is not reachable at {client.base_url}: {error}"
        ) from error
    return StreamingResponse(
        response.aiter_raw(),
        status_code=response.status_code,
        headers={
            k: v for k, v in response.headers.items() if k.lower() not in DROPPED_RESPONSE_HEADERS
        },
        background=BackgroundTask(response.aclose),
    )
