"""Export records: one append-only row per file delivered (who, what, how big, its SHA-256).

The table's triggers reject UPDATE, DELETE and TRUNCATE, like the audit log's.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError

from otelbi.errors import StoreUnavailable
from otelbi.store.audit import without_secrets
from otelbi.store.tables import export_records


@dataclass(frozen=True)
class ExportRecord:
    """One delivered file."""

    actor: str
    domain: str
    view: str
    format: str
    rows: int
    bytes: int
    sha256: str
    duration_ms: float
    parameters: Mapping[str, Any] = field(default_factory=dict)
    trace_id: str | None = None


def _json_value(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def append_export_record(engine: sa.Engine, record: ExportRecord) -> int:
    """Insert `record` and return its id; raise StoreUnavailable if the store fails."""
    parameters = {key: _json_value(value) for key, value in record.parameters.items()}
    values = {
        "created_at": dt.datetime.now(dt.UTC),
        "actor": record.actor[:255],
        "domain": record.domain,
        "view": record.view,
        "format": record.format,
        "parameters": without_secrets(parameters),
        "rows": record.rows,
        "bytes": record.bytes,
        "sha256": record.sha256,
        "duration_ms": round(record.duration_ms, 3),
        "trace_id": record.trace_id,
    }
    try:
        with engine.begin() as connection:
            inserted = connection.execute(
                export_records.insert().returning(export_records.c.id), values
            )
            return int(inserted.scalar_one())
    except DBAPIError as error:
        raise StoreUnavailable(f"the export record could not be written: {error.orig}") from error
