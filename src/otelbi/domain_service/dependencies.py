"""Request dependencies of a domain service, as `Annotated` aliases routes can name."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Iterator, Mapping
from dataclasses import dataclass, replace
from typing import Annotated, Any

import sqlalchemy as sa
from fastapi import Depends, Request
from fastapi.exceptions import RequestValidationError
from opentelemetry import trace
from starlette.concurrency import run_in_threadpool

from otelbi.domain_service.state import ServiceState
from otelbi.errors import OtelBiError, Unauthenticated
from otelbi.security.bearer import bearer_token
from otelbi.security.internal_tokens import InternalCaller
from otelbi.store import audit

# Dependencies that do no I/O are `async def`: FastAPI runs a plain `def` dependency in the
# thread pool, and each such hand-off costs more than the dependency's own work.


async def service_state(request: Request) -> ServiceState:
    """Return the state the service's lifespan set up."""
    state: ServiceState = request.app.state.service
    return state


StateDep = Annotated[ServiceState, Depends(service_state)]


async def internal_caller(request: Request, state: StateDep) -> InternalCaller:
    """Return the verified caller of an internal request; 401 without a valid internal token.

    The header is read from the request, not declared as a parameter: the gateway's OpenAPI
    document describes these routes as the public reaches them, behind a user's bearer token.
    """
    return verified_caller(request, state)


def verified_caller(request: Request, state: ServiceState) -> InternalCaller:
    """Return the verified caller of `request` (what `internal_caller` depends on)."""
    token = bearer_token(request.headers.get("authorization"))
    if token is None:
        raise Unauthenticated(
            "this service accepts only internal tokens from the gateway",
            headers={"WWW-Authenticate": 'Bearer error="invalid_token"'},
        )
    return state.tokens.caller(token)


CallerDep = Annotated[InternalCaller, Depends(internal_caller)]


def warehouse_connection(state: StateDep) -> Iterator[sa.Connection]:
    """Yield a read-only warehouse connection for this request (503 when there is none)."""
    with state.warehouse.connect() as connection:
        yield connection


WarehouseDep = Annotated[sa.Connection, Depends(warehouse_connection)]


RESULT_CACHE_PARAMETER = "result_cache"
"""The audit parameter (and request-state attribute) saying how a view call was answered:
hit, miss, shared or off (domain_service/views.py)."""


@dataclass
class CallAudit:
    """The audit row of the call in progress (request.state.call_audit).

    A route that writes a business row appends `finished(...)` in the same transaction
    (store.audit.chain_transaction) and then sets `written`, so no second row is added.
    """

    entry: audit.AuditEntry
    started: float
    written: bool = False

    def add_parameters(self, parameters: Mapping[str, Any]) -> None:
        """Record `parameters` with the call's query parameters."""
        self.entry = replace(self.entry, parameters={**self.entry.parameters, **parameters})

    def finished(self, outcome: str, status: int, detail: str | None = None) -> audit.AuditEntry:
        """Return the call's row as it ends now."""
        return replace(
            self.entry,
            outcome=outcome,
            status_code=status,
            detail=detail,
            duration_ms=(time.perf_counter() - self.started) * 1000,
        )


async def audited_call(request: Request) -> AsyncIterator[None]:
    """Write one audit row for the call, after it ran and before its response leaves.

    If the row cannot be written the call fails with 503 (fail closed): an action whose
    audit row is missing must not have its result delivered. With AUDIT_FAIL_CLOSED=false
    the failure is logged at ERROR and the response goes out. A route that wrote the row
    with its business write (CallAudit.written) gets no second one.

    The state and the caller are read here, not declared as dependencies: every call of a
    service solves this one, and each dependency FastAPI solves costs more than reading them.
    """
    state: ServiceState = request.app.state.service
    caller = verified_caller(request, state)
    span_context = trace.get_current_span().get_span_context()
    route = request.scope.get("route")
    call = CallAudit(
        audit.AuditEntry(
            actor=caller.subject,
            domain=state.domain.value,
            action=getattr(route, "name", None) or request.url.path,
            resource=request.url.path,
            parameters=dict(request.query_params),
            trace_id=format(span_context.trace_id, "032x") if span_context.is_valid else None,
            outcome="pending",
            duration_ms=0.0,
        ),
        started=time.perf_counter(),
    )
    request.state.call_audit = call

    async def record(outcome: str, status: int, detail: str | None = None) -> None:
        lookup = getattr(request.state, RESULT_CACHE_PARAMETER, None)
        if lookup is not None:
            call.add_parameters({RESULT_CACHE_PARAMETER: lookup})
        await run_in_threadpool(
            audit.record,
            state.store,
            call.finished(outcome, status, detail),
            fail_closed=state.settings.audit.audit_fail_closed,
        )

    try:
        yield
    except OtelBiError as error:
        await record("error", error.status, error.detail)
        raise
    except RequestValidationError as error:
        await record("error", 422, "; ".join(str(e["msg"]) for e in error.errors()))
        raise
    except Exception as error:
        await record("error", 500, type(error).__name__)
        raise
    if not call.written:
        await record("ok", 200)


Audited = Depends(audited_call, scope="function")
"""Router-level dependency: every route of the router is audited."""


async def call_audit(request: Request, _audited: Annotated[None, Audited]) -> CallAudit:
    """Return the audit row of the call in progress (the router's Audited dependency)."""
    call: CallAudit = request.state.call_audit
    return call


CallAuditDep = Annotated[CallAudit, Depends(call_audit)]
