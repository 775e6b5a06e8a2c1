"""GET /api/audit: the audit log, newest first, filtered and paged; GET /api/audit/verify:
the hash chain checked end to end."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, Field

from otelbi.errors import InvalidInput
from otelbi.gateway.auth import CurrentUser, GatewayDep, audit_read_scope, require_scope
from otelbi.paging import CursorPage, PageLimit
from otelbi.store import audit
from otelbi.store.audit_verify import ChainReport, verify_chain
from otelbi.utc import UtcDateTime, as_utc
from otelbi.web.errors import error_responses

# Every route here reads the audit log, so all of them need AUDIT_READ_SCOPE (when set).
router = APIRouter(
    prefix="/api",
    tags=["audit"],
    dependencies=[Depends(require_scope(audit_read_scope))],
    responses=error_responses(503),
)

IsoDateTime = Annotated[str | None, Query(json_schema_extra={"format": "date-time"})]


class AuditRow(BaseModel):
    """One audit-log row: who did what, with which parameters, how it ended, and its hashes."""

    id: int
    occurred_at: UtcDateTime
    actor: str = Field(description="The user's subject, or anonymous, or unauthenticated")
    domain: Literal["aw", "wwi", "gateway"]
    action: str = Field(description="A route name (aw.sales.kpis), job.run, export, …")
    resource: str
    parameters: dict[str, Any] = Field(description="The call's parameters, credentials masked")
    outcome: str = Field(description="ok, error, denied, or a job's status")
    status_code: int | None
    duration_ms: float
    trace_id: str | None
    detail: str | None
    client_address: str | None
    prev_hash: str = Field(description="The previous row's row_hash (the chain)")
    row_hash: str = Field(description="SHA-256 of this row's content and prev_hash")


@router.get("/audit", name="gateway.audit")
def get_audit(
    state: GatewayDep,
    _user: CurrentUser,
    domain: Literal["aw", "wwi", "gateway"] | None = None,
    actor: Annotated[str | None, Query(max_length=255)] = None,
    action: Annotated[str | None, Query(max_length=100)] = None,
    outcome: Annotated[str | None, Query(max_length=16)] = None,
    since: IsoDateTime = None,
    until: IsoDateTime = None,
    before_id: Annotated[
        int | None, Query(ge=1, description="Only older rows: the previous page's next_before_id")
    ] = None,
    limit: PageLimit = None,
) -> CursorPage[AuditRow]:
    """Return audit rows newest first (default STORAGE_DEFAULT_LIMIT of them).

    `since` <= occurred_at < `until` (ISO 8601; without a zone = UTC). For the next page,
    pass `next_before_id` as `before_id`. No total: counting a filtered log of millions of
    rows would cost more than the page.
    """
    limit = limit or state.settings.analytics.storage_default_limit
    # One row more than the page tells whether there is a next page without counting.
    rows = audit.recent(
        state.store,
        domain=domain,
        actor=actor,
        action=action,
        outcome=outcome,
        since=_utc_moment("since", since),
        until=_utc_moment("until", until),
        before_id=before_id,
        limit=limit + 1,
    )
    items = [AuditRow.model_validate(row) for row in rows[:limit]]
    return CursorPage[AuditRow](
        items=items, limit=limit, next_before_id=items[-1].id if len(rows) > limit else None
    )


@router.get("/audit/verify", name="gateway.audit.verify", responses=error_responses(422))
def verify_audit(state: GatewayDep, _user: CurrentUser) -> ChainReport:
    """Return which rows are bad, and whether the head matches, after walking the chain.

    Every audit row carries the SHA-256 of its content and of the row before it; this walks
    the whole log from the first row, recomputes each hash and compares the last one with the
    stored chain head, so an edited, deleted or inserted row shows up here. It reads every
    row: seconds on a log of millions, so call it to check the log, not on every page view.
    """
    return verify_chain(state.store)


def _utc_moment(name: str, text: str | None) -> dt.datetime | None:
    if text is None:
        return None
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        raise InvalidInput(
            f"{name}: expected an ISO 8601 date-time such as 2026-01-31T08:00:00Z "
            "(write a + offset as %2B)"
        ) from None
    return as_utc(moment)
