"""The user behind a gateway request: a validated OIDC bearer token, or anonymous when
REQUIRE_FRONTEND_AUTH=false."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header, Request
from starlette.concurrency import run_in_threadpool

from otelbi.gateway.state import GatewayState
from otelbi.security.user_tokens import ANONYMOUS, User


def gateway_state(request: Request) -> GatewayState:
    """Return the state the gateway's lifespan set up."""
    state: GatewayState = request.app.state.gateway
    return state


GatewayDep = Annotated[GatewayState, Depends(gateway_state)]


async def current_user(
    state: GatewayDep, authorization: Annotated[str | None, Header()] = None
) -> User:
    """Return the request's user; 401/403 if authentication is on and the token fails."""
    if state.user_tokens is None:
        return ANONYMOUS
    # Key fetches are blocking HTTP calls; keep them off the event loop.
    return await run_in_threadpool(state.user_tokens.validate, authorization)


CurrentUser = Annotated[User, Depends(current_user)]
