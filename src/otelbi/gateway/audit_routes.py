"""GET /api/audit: the audit log, newest first."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query

from otelbi.gateway.auth import CurrentUser, GatewayDep
from otelbi.store import audit

router = APIRouter(prefix="/api")


@router.get("/audit", name="gateway.audit")
def get_audit(
    state: GatewayDep,
    _user: CurrentUser,
    domain: Literal["aw", "wwi", "gateway"] | None = None,
    limit: Annotated[int | None, Query(ge=1, le=1000)] = None,
) -> list[dict[str, Any]]:
    """Return audit rows newest first (default STORAGE_DEFAULT_LIMIT of them)."""
    return audit.recent(
        state.store, domain=domain, limit=limit or state.settings.analytics.storage_default_limit
    )
