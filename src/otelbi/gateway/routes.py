"""The gateway's own endpoints: config and health, and the forwarding routes."""

from __future__ import annotations

import asyncio
from typing import Literal

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from otelbi.domains import Domain
from otelbi.engine_health import check_engine
from otelbi.gateway.auth import CurrentUser, GatewayDep
from otelbi.gateway.dependency_health import identity_provider_state, report_directory_state
from otelbi.gateway.forwarding import forward, internal_authorization
from otelbi.gateway.state import GatewayState
from otelbi.store.audit_verify import chain_head_state
from otelbi.web.errors import error_responses
from otelbi.web.probes import FailingChecks
from otelbi.web.query_parameters import QUERY_CHECKED

router = APIRouter(prefix="/api", tags=["gateway"])

FORWARDED_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"]


class ClientConfig(BaseModel):
    """What the browser needs before it can log in."""

    oidc_enabled: bool
    authority: str
    client_id: str
    scope: str
    auth_required: bool


@router.get(
    "/config",
    name="gateway.config",
    dependencies=QUERY_CHECKED,
    responses=error_responses(422),
)
def get_config(state: GatewayDep) -> ClientConfig:
    """Return the identity provider settings for the browser (unauthenticated).

    The web app reads this before anything else to know whether to sign the user in, and
    where: the OIDC authority, the public client id and the scopes to ask for, and whether
    the API requires a login at all (`auth_required`; false with REQUIRE_FRONTEND_AUTH=false).
    Needs no token and touches neither store nor warehouse, so it always answers quickly.
    """
    oidc = state.settings.oidc
    return ClientConfig(
        oidc_enabled=oidc.oidc_enabled,
        authority=oidc.oidc_authority,
        client_id=oidc.frontend_oidc_client_id,
        scope=oidc.frontend_oidc_scope,
        auth_required=state.settings.auth.require_frontend_auth,
    )


class GatewayHealthChecks(BaseModel):
    """Each dependency: "ok", or what went wrong (and how to fix it, where known)."""

    store: str
    audit_chain: str
    aw_warehouse: str
    wwi_warehouse: str
    report_directory: str
    identity_provider: str | None
    """None when no login is required (REQUIRE_FRONTEND_AUTH=false)."""


class GatewayHealth(BaseModel):
    """The product's health: "ok" (200) or "degraded" (503), with every check's result."""

    status: Literal["ok", "degraded"]
    checks: GatewayHealthChecks


@router.get(
    "/health",
    name="gateway.health",
    dependencies=QUERY_CHECKED,
    response_model=GatewayHealth,
    responses={
        503: {"model": GatewayHealth, "description": "Something failed: the checks say what"},
        **error_responses(422),
    },
)
async def get_health(state: GatewayDep) -> GatewayHealth | JSONResponse:
    """Return the product's health: every dependency checked at once, 503 if one fails.

    `ok` (200) when the write store and both warehouses answer, the audit chain's head is
    intact, the report directory takes files and the identity provider serves its keys
    (`null` without a login); otherwise 503 `degraded`, each check saying what went wrong
    and how to fix it where known. Needs no token; the checks run in parallel. For an
    orchestrator's probes use /livez and /readyz instead.
    """
    (
        store,
        audit_chain,
        aw_warehouse,
        wwi_warehouse,
        report_directory,
        identity_provider,
    ) = await asyncio.gather(
        run_in_threadpool(_store_check, state),
        run_in_threadpool(chain_head_state, state.store),
        _service_check(state, Domain.AW),
        _service_check(state, Domain.WWI),
        run_in_threadpool(report_directory_state, state.settings.reports.report_output_dir),
        run_in_threadpool(identity_provider_state, state.user_tokens),
    )
    checks = GatewayHealthChecks(
        store=store,
        audit_chain=audit_chain,
        aw_warehouse=aw_warehouse,
        wwi_warehouse=wwi_warehouse,
        report_directory=report_directory,
        identity_provider=identity_provider,
    )
    if all(check in ("ok", None) for check in checks.model_dump().values()):
        return GatewayHealth(status="ok", checks=checks)
    degraded = GatewayHealth(status="degraded", checks=checks)
    return JSONResponse(degraded.model_dump(), status_code=503)


def failing_checks(*, embedded: bool) -> FailingChecks:
    """Return the gateway's readiness: its store answers; all-in-one (`embedded`), also each
    embedded service's warehouse. Split, each service has its own probes and the gateway stays
    ready while one is down (its routes answer 503 naming it; /api/health shows it)."""

    async def failing(request: Request) -> list[str]:
        state: GatewayState = request.app.state.gateway
        names = [] if await run_in_threadpool(_store_check, state) == "ok" else ["store"]
        if embedded:
            for domain in Domain:
                response = await state.services[domain].client.get("/readyz")
                if response.status_code != 200:
                    service_failing = response.json()["failing"]
                    names += [
                        f"{domain.value}_{name}" for name in service_failing if name != "store"
                    ]
        return names

    return failing


def _store_check(state: GatewayState) -> str:
    return check_engine(state.store)


async def _service_check(state: GatewayState, domain: Domain) -> str:
    client = state.services[domain].client
    headers = {"authorization": internal_authorization(state, domain, "api-gateway")}
    try:
        response = await client.get(f"/api/{domain.value}/health", headers=headers, timeout=10)
        body = response.json()
    except Exception as error:
        return f"{domain.service_name} unreachable: {type(error).__name__}: {error}"
    if response.status_code != 200:
        return f"{domain.service_name} answered {response.status_code}"
    return str(body.get("checks", {}).get("warehouse", "unknown"))


@router.api_route(
    "/aw/{path:path}", methods=FORWARDED_METHODS, name="gateway.forward.aw", include_in_schema=False
)
async def forward_aw(request: Request, user: CurrentUser) -> Response:
    """Forward to aw-service."""
    return await forward(request, request.app.state.gateway, Domain.AW, user)


@router.api_route(
    "/wwi/{path:path}",
    methods=FORWARDED_METHODS,
    name="gateway.forward.wwi",
    include_in_schema=False,
)
async def forward_wwi(request: Request, user: CurrentUser) -> Response:
    """Forward to wwi-service."""
    return await forward(request, request.app.state.gateway, Domain.WWI, user)
