"""The user behind a gateway request, and the scopes its powerful endpoints need.

`CurrentUser` is a validated OIDC bearer token, or anonymous when REQUIRE_FRONTEND_AUTH=false.
`require_scope(setting)` adds one more scope for a powerful endpoint (running jobs, reading
the audit log, generating reports); an empty setting, or authentication switched off, lets
everyone through. Every 401 and 403 leaves an `auth.denied` audit row naming the failed check,
the client address and the trace id, never the token — except that 401s from one address
within AUTH_DENIED_AUDIT_WINDOW_SECONDS leave one row (gateway/denied_bursts.py).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Annotated, Any

import jwt
from fastapi import Depends, Request, Security
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from opentelemetry import trace
from starlette.concurrency import run_in_threadpool

from otelbi.errors import Forbidden, OtelBiError, Unauthenticated
from otelbi.gateway.state import GatewayState
from otelbi.security.bearer import bearer_token
from otelbi.security.user_tokens import ANONYMOUS, MissingScope, User
from otelbi.settings import Settings
from otelbi.store import audit

log = logging.getLogger(__name__)

UNAUTHENTICATED_ACTOR = "unauthenticated"
"""The audit actor of a request whose token did not verify: its claims cannot be trusted."""


async def gateway_state(request: Request) -> GatewayState:
    """Return the state the gateway's lifespan set up."""
    state: GatewayState = request.app.state.gateway
    return state


GatewayDep = Annotated[GatewayState, Depends(gateway_state)]


USER_TOKEN = HTTPBearer(
    scheme_name="bearerAuth",
    bearerFormat="JWT",
    description="The user's access token from the identity provider (GET /api/config names "
    "it). Not needed when REQUIRE_FRONTEND_AUTH=false.",
    auto_error=False,
)
"""The user's bearer token; `current_user` validates it (the OpenAPI security scheme)."""


async def current_user(
    request: Request,
    token: Annotated[HTTPAuthorizationCredentials | None, Security(USER_TOKEN)],
) -> User:
    """Return the request's user; 401/403 if authentication is on and the token fails.

    The state is read, not depended on: every forwarded call solves this dependency, and
    each one FastAPI solves costs more than the read.
    """
    state: GatewayState = request.app.state.gateway
    if state.user_tokens is None:
        return ANONYMOUS
    authorization = f"{token.scheme} {token.credentials}" if token else None
    remembered = state.user_tokens.remembered(authorization)
    if remembered is not None:
        return remembered
    try:
        # Key fetches are blocking HTTP calls, and a signature check is CPU: off the event loop.
        return await run_in_threadpool(state.user_tokens.validate, authorization)
    except MissingScope as denial:
        await record_denial(request, state, denial, actor=denial.subject)
        raise
    except Unauthenticated as denial:
        unrecorded = state.denied_bursts.admit(request.client.host if request.client else "")
        if unrecorded is None:
            raise  # counted: its address's row for this window is written already
        claimed = _unverified_subject(authorization)
        extra: dict[str, Any] = {"unverified_subject": claimed} if claimed else {}
        if unrecorded:
            extra["unrecorded_since_last_row"] = unrecorded
        await record_denial(request, state, denial, actor=UNAUTHENTICATED_ACTOR, extra=extra)
        raise


CurrentUser = Annotated[User, Depends(current_user)]


def require_scope(
    scope_setting: Callable[[Settings], str],
) -> Callable[..., Awaitable[User]]:
    """Return a dependency giving the current user if they hold the scope the setting names."""

    async def user_with_scope(request: Request, state: GatewayDep, user: CurrentUser) -> User:
        await check_scope(request, state, user, scope_setting(state.settings))
        return user

    return user_with_scope


async def check_scope(request: Request, state: GatewayState, user: User, scope: str) -> None:
    """Raise 403 (and audit it) unless `user` holds `scope`; an empty scope, or auth off, passes."""
    if not scope or state.user_tokens is None or scope in user.scopes:
        return
    denial = Forbidden(f"this endpoint needs the scope {scope!r}, which the token lacks")
    await record_denial(request, state, denial, actor=user.subject)
    raise denial


def jobs_run_scope(settings: Settings) -> str:
    """Return the scope that running a job now needs (JOBS_RUN_SCOPE)."""
    return settings.auth.jobs_run_scope


def audit_read_scope(settings: Settings) -> str:
    """Return the scope that reading the audit log needs (AUDIT_READ_SCOPE)."""
    return settings.auth.audit_read_scope


def reports_generate_scope(settings: Settings) -> str:
    """Return the scope that generating a full report needs (REPORTS_GENERATE_SCOPE)."""
    return settings.auth.reports_generate_scope


JobsRunner = Annotated[User, Depends(require_scope(jobs_run_scope))]
"""A user allowed to run jobs now (JOBS_RUN_SCOPE)."""
AuditReader = Annotated[User, Depends(require_scope(audit_read_scope))]
"""A user allowed to read and verify the audit log (AUDIT_READ_SCOPE)."""
ReportsGenerator = Annotated[User, Depends(require_scope(reports_generate_scope))]
"""A user allowed to generate full reports (REPORTS_GENERATE_SCOPE)."""


async def record_denial(
    request: Request,
    state: GatewayState,
    denial: OtelBiError,
    *,
    actor: str,
    extra: dict[str, Any] | None = None,
) -> None:
    """Append the `auth.denied` audit row of a refused request; a store failure is only logged.

    The client still gets its 401/403: a denial must not turn into a 503 because the audit
    log is down.
    """
    span_context = trace.get_current_span().get_span_context()
    entry = audit.AuditEntry(
        actor=actor,
        domain="gateway",
        action="auth.denied",
        resource=request.url.path,
        parameters={"reason": denial.detail, **(extra or {})},
        outcome="denied",
        status_code=denial.status,
        duration_ms=0.0,
        trace_id=format(span_context.trace_id, "032x") if span_context.is_valid else None,
        client_address=request.client.host if request.client else None,
    )
    try:
        await run_in_threadpool(audit.append, state.store, entry)
    except Exception:
        log.exception("could not write the auth.denied audit row for %s", request.url.path)


def _unverified_subject(authorization: str | None) -> str | None:
    """Return the `sub` a bearer token claims, unverified (for the audit row only)."""
    token = bearer_token(authorization)
    if token is None:
        return None
    try:
        claims = jwt.decode(token, options={"verify_signature": False})
    except jwt.PyJWTError:
        return None
    subject = claims.get("sub") if isinstance(claims, dict) else None
    return str(subject)[:200] if subject is not None else None
