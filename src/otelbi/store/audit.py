"""The append-only audit log: one row per analytics call, job, export and report.

Rows are only ever inserted (the table's triggers reject UPDATE, DELETE and TRUNCATE).
Parameters are stored without secrets: any key that looks like a credential is masked.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError

from otelbi.errors import StoreUnavailable
from otelbi.store.tables import audit_log

_SECRET_KEY = re.compile(r"pass|secret|token|authorization|api[_-]?key|credential", re.IGNORECASE)
MASK = "***"


@dataclass(frozen=True)
class AuditEntry:
    """What one audited action did."""

    actor: str
    domain: str
    action: str
    resource: str
    outcome: str
    duration_ms: float
    parameters: Mapping[str, Any] = field(default_factory=dict)
    status_code: int | None = None
    trace_id: str | None = None
    detail: str | None = None


def without_secrets(parameters: Mapping[str, Any]) -> dict[str, Any]:
    """Return `parameters` with the values of credential-like keys masked."""
    return {key: MASK if _SECRET_KEY.search(key) else value for key, value in parameters.items()}


def append(engine: sa.Engine, entry: AuditEntry) -> int:
    """Insert `entry` and return its id; raise StoreUnavailable if the store fails."""
    values = {
        "occurred_at": dt.datetime.now(dt.UTC),
        "actor": entry.actor,
        "domain": entry.domain,
        "action": entry.action,
        "resource": entry.resource[:500],
        "parameters": without_secrets(entry.parameters),
        "outcome": entry.outcome,
        "status_code": entry.status_code,
        "duration_ms": round(entry.duration_ms, 3),
        "trace_id": entry.trace_id,
        "detail": entry.detail,
    }
    try:
        with engine.begin() as connection:
            return int(
                connection.execute(
                    audit_log.insert().returning(audit_log.c.id), values
                ).scalar_one()
            )
    except DBAPIError as error:
        raise StoreUnavailable(f"the audit log could not be written: {error.orig}") from error


def recent(engine: sa.Engine, *, domain: str | None, limit: int) -> list[dict[str, Any]]:
    """Return up to `limit` audit rows, newest first, optionally of one domain."""
    query = sa.select(audit_log).order_by(audit_log.c.id.desc()).limit(limit)
    if domain is not None:
        query = query.where(audit_log.c.domain == domain)
    try:
        with engine.connect() as connection:
            return [dict(row._mapping) for row in connection.execute(query)]
    except DBAPIError as error:
        raise StoreUnavailable(f"the audit log could not be read: {error.orig}") from error
