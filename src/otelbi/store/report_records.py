"""Report records: one append-only row per full report written to REPORT_OUTPUT_DIR.

A row names both files with their size and SHA-256 as written; a download reads the path
from here (never from the request) and checks the file still has that size and hash.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import asdict, dataclass

import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError

from otelbi.errors import StoreUnavailable
from otelbi.store.tables import report_records


@dataclass(frozen=True)
class ReportFile:
    """One written file: where, how big, its SHA-256."""

    path: str
    bytes: int
    sha256: str


@dataclass(frozen=True)
class ReportRecord:
    """One full report: who asked, for what, and its two files."""

    id: str
    created_at: dt.datetime
    created_by: str
    title: str
    days_back: int
    xlsx: ReportFile
    pdf: ReportFile
    duration_ms: float
    trace_id: str | None = None
    execution_id: int | None = None

    def file(self, kind: str) -> ReportFile:
        """Return the `xlsx` or `pdf` file."""
        return {"xlsx": self.xlsx, "pdf": self.pdf}[kind]


def append_report_record(engine: sa.Engine, record: ReportRecord) -> None:
    """Insert `record`; raise StoreUnavailable if the store fails."""
    values = {
        **{key: value for key, value in asdict(record).items() if key not in ("xlsx", "pdf")},
        "created_by": record.created_by[:255],
        "duration_ms": round(record.duration_ms, 3),
    }
    for kind in ("xlsx", "pdf"):
        file = record.file(kind)
        values |= {f"{kind}_path": file.path, f"{kind}_bytes": file.bytes}
        values[f"{kind}_sha256"] = file.sha256
    try:
        with engine.begin() as connection:
            connection.execute(report_records.insert(), values)
    except DBAPIError as error:
        raise StoreUnavailable(f"the report record could not be written: {error.orig}") from error


def _record(row: sa.RowMapping) -> ReportRecord:
    files = {
        kind: ReportFile(row[f"{kind}_path"], int(row[f"{kind}_bytes"]), row[f"{kind}_sha256"])
        for kind in ("xlsx", "pdf")
    }
    return ReportRecord(
        id=row["id"],
        created_at=row["created_at"],
        created_by=row["created_by"],
        title=row["title"],
        days_back=row["days_back"],
        xlsx=files["xlsx"],
        pdf=files["pdf"],
        duration_ms=row["duration_ms"],
        trace_id=row["trace_id"],
        execution_id=row["execution_id"],
    )


def get_report_record(engine: sa.Engine, report_id: str) -> ReportRecord | None:
    """Return the record of `report_id`, or None."""
    query = sa.select(report_records).where(report_records.c.id == report_id)
    try:
        with engine.connect() as connection:
            row = connection.execute(query).mappings().first()
    except DBAPIError as error:
        raise StoreUnavailable(f"report records could not be read: {error.orig}") from error
    return None if row is None else _record(row)


def recent_report_records(
    engine: sa.Engine, *, limit: int, offset: int = 0, execution_id: int | None = None
) -> tuple[list[ReportRecord], int]:
    """Return one page of records, newest first, and how many there are in all (only the one
    job run's, with `execution_id`)."""
    matching = sa.select(report_records)
    if execution_id is not None:
        matching = matching.where(report_records.c.execution_id == execution_id)
    query = (
        matching.order_by(report_records.c.created_at.desc(), report_records.c.id.desc())
        .limit(limit)
        .offset(offset)
    )
    try:
        with engine.connect() as connection:
            records = [_record(row) for row in connection.execute(query).mappings()]
            total = connection.execute(
                sa.select(sa.func.count()).select_from(matching.subquery())
            ).scalar_one()
    except DBAPIError as error:
        raise StoreUnavailable(f"report records could not be read: {error.orig}") from error
    return records, int(total)


def recorded_report_ids(engine: sa.Engine, report_ids: Collection[str]) -> set[str]:
    """Return those of `report_ids` that have a record."""
    if not report_ids:
        return set()
    query = sa.select(report_records.c.id).where(report_records.c.id.in_(sorted(report_ids)))
    try:
        with engine.connect() as connection:
            return set(connection.execute(query).scalars())
    except DBAPIError as error:
        raise StoreUnavailable(f"report records could not be read: {error.orig}") from error


def all_report_records(engine: sa.Engine) -> list[ReportRecord]:
    """Return every report record (the orphan sweep checks each one's files)."""
    try:
        with engine.connect() as connection:
            return [
                _record(row) for row in connection.execute(sa.select(report_records)).mappings()
            ]
    except DBAPIError as error:
        raise StoreUnavailable(f"report records could not be read: {error.orig}") from error
