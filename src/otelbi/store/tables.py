"""The write store's tables, as the migrations leave them.

A test compares these declarations with the schema the Alembic migrations build, so the
two cannot drift apart. `audit_log`, `export_records` and `report_records` are append-only:
triggers reject UPDATE, DELETE and TRUNCATE (see migrations/versions/0001_initial.py and
0003_report_records.py). `audit_log` is also hash-chained (prev_hash → row_hash, see
otelbi.store.audit); `audit_chain_head` holds where the writer's chain ends.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from otelbi.utc import as_utc

metadata = sa.MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "pk": "pk_%(table_name)s",
    }
)

Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
"""Surrogate keys: BIGINT identity on PostgreSQL, INTEGER rowid on SQLite."""

Json = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


class UtcTimestamp(sa.TypeDecorator[dt.datetime]):
    """A moment, kept and given back as aware UTC on both stores (DDL: a DateTime with zone).

    SQLite keeps no zone: values are written as UTC and read back naive, which this makes
    UTC again; PostgreSQL answers in the session's time zone, which this converts to UTC.
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(
        self, value: dt.datetime | None, dialect: sa.Dialect
    ) -> dt.datetime | None:
        return None if value is None else as_utc(value)

    def process_result_value(
        self, value: dt.datetime | None, dialect: sa.Dialect
    ) -> dt.datetime | None:
        return None if value is None else as_utc(value)


Timestamp = UtcTimestamp()


def _id() -> sa.Column[int]:
    return sa.Column("id", Id, primary_key=True, autoincrement=True)


audit_log = sa.Table(
    "audit_log",
    metadata,
    _id(),
    sa.Column("occurred_at", Timestamp, nullable=False),
    sa.Column("actor", sa.String(255), nullable=False),
    sa.Column("domain", sa.String(16), nullable=False),
    sa.Column("action", sa.String(100), nullable=False),
    sa.Column("resource", sa.String(500), nullable=False),
    sa.Column("parameters", Json, nullable=False),
    sa.Column("outcome", sa.String(16), nullable=False),
    sa.Column("status_code", sa.Integer, nullable=True),
    sa.Column("duration_ms", sa.Float, nullable=False),
    sa.Column("trace_id", sa.String(32), nullable=True),
    sa.Column("detail", sa.Text, nullable=True),
    sa.Column("client_address", sa.String(100), nullable=True),
    sa.Column("prev_hash", sa.String(64), nullable=False),
    sa.Column("row_hash", sa.String(64), nullable=False),
    sa.Index(None, "domain", "id"),
    sa.Index(None, "actor", "id"),
    sa.Index(None, "occurred_at"),
)

audit_chain_head = sa.Table(
    "audit_chain_head",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("last_id", Id, nullable=False),
    sa.Column("last_hash", sa.String(64), nullable=False),
)
"""One row (id 1): the id and row_hash of the last audit row the writer appended (0 and the
genesis hash while the log is empty), moved in the same transaction as each append. The next
row links to it, whatever else was inserted into audit_log."""

job_executions = sa.Table(
    "job_executions",
    metadata,
    _id(),
    sa.Column("job_id", sa.String(100), nullable=False),
    sa.Column("service", sa.String(50), nullable=False),
    sa.Column("scheduled_for", Timestamp, nullable=False),
    sa.Column("started_at", Timestamp, nullable=False),
    sa.Column("finished_at", Timestamp, nullable=True),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("rows_written", sa.Integer, nullable=False, server_default="0"),
    sa.Column("details", Json, nullable=False),
    sa.Column("error", sa.Text, nullable=True),
    sa.Column("trace_id", sa.String(32), nullable=True),
    # Renewed while the run is alive; a stale one marks an abandoned run (jobs/leases.py).
    sa.Column("heartbeat_at", Timestamp, nullable=True),
    # schedule | run-now | data-change (jobs/data_change.py): why the run happened.
    sa.Column("trigger", sa.String(16), nullable=False, server_default="schedule"),
    # The warehouse data version the run started from (domain services' runs).
    sa.Column("data_version", sa.String(64), nullable=True),
    # A data-change run: the run it recomputes; unique, so one replica claims it.
    sa.Column("supersedes_execution_id", Id, nullable=True),
    sa.UniqueConstraint("job_id", "scheduled_for"),
    sa.UniqueConstraint("supersedes_execution_id"),
    sa.Index(None, "service", "id"),
)

export_records = sa.Table(
    "export_records",
    metadata,
    _id(),
    sa.Column("created_at", Timestamp, nullable=False),
    sa.Column("actor", sa.String(255), nullable=False),
    sa.Column("domain", sa.String(16), nullable=False),
    sa.Column("view", sa.String(100), nullable=False),
    sa.Column("format", sa.String(8), nullable=False),
    sa.Column("parameters", Json, nullable=False),
    sa.Column("rows", sa.Integer, nullable=False),
    sa.Column("bytes", sa.BigInteger, nullable=False),
    sa.Column("sha256", sa.String(64), nullable=False),
    sa.Column("duration_ms", sa.Float, nullable=False),
    sa.Column("trace_id", sa.String(32), nullable=True),
)

report_records = sa.Table(
    "report_records",
    metadata,
    sa.Column("id", sa.String(40), primary_key=True),
    sa.Column("created_at", Timestamp, nullable=False),
    sa.Column("created_by", sa.String(255), nullable=False),
    sa.Column("title", sa.String(200), nullable=False),
    sa.Column("days_back", sa.Integer, nullable=False),
    sa.Column("xlsx_path", sa.String(1000), nullable=False),
    sa.Column("pdf_path", sa.String(1000), nullable=False),
    sa.Column("xlsx_bytes", sa.BigInteger, nullable=False),
    sa.Column("pdf_bytes", sa.BigInteger, nullable=False),
    sa.Column("xlsx_sha256", sa.String(64), nullable=False),
    sa.Column("pdf_sha256", sa.String(64), nullable=False),
    sa.Column("duration_ms", sa.Float, nullable=False),
    sa.Column("trace_id", sa.String(32), nullable=True),
    sa.Column("execution_id", Id, nullable=True),
    sa.Index(None, "created_at"),
)
"""One row per full report on REPORT_OUTPUT_DIR; its id (`YYYYMMDDTHHMMSSZ-<8 hex>`) is also
in the files' names. Append-only, like export_records."""


def _snapshot_columns() -> list[sa.Column[object]]:
    """Columns every stored analytics snapshot row starts with."""
    return [
        sa.Column("execution_id", Id, nullable=True),
        sa.Column("computed_at", Timestamp, nullable=False),
        sa.Column("as_of", sa.Date, nullable=False),
    ]


aw_forecasts = sa.Table(
    "aw_forecasts",
    metadata,
    _id(),
    *_snapshot_columns(),
    sa.Column("method", sa.String(200), nullable=False),
    sa.Column("window_days", sa.Integer, nullable=False),
    sa.Column("forecast_date", sa.Date, nullable=False),
    sa.Column("forecast", sa.Numeric(19, 4), nullable=False),
    sa.Column("lower", sa.Numeric(19, 4), nullable=False),
    sa.Column("upper", sa.Numeric(19, 4), nullable=False),
    sa.Index(None, "computed_at"),
)

aw_rep_scores = sa.Table(
    "aw_rep_scores",
    metadata,
    _id(),
    *_snapshot_columns(),
    sa.Column("employee_key", sa.Integer, nullable=False),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("title", sa.String(100), nullable=True),
    sa.Column("territory", sa.String(100), nullable=True),
    sa.Column("revenue", sa.Numeric(19, 4), nullable=False),
    sa.Column("orders", sa.Integer, nullable=False),
    sa.Column("quota", sa.Numeric(19, 4), nullable=True),
    sa.Column("attainment_pct", sa.Float, nullable=True),
    sa.Column("growth_pct", sa.Float, nullable=True),
    sa.Column("score", sa.Float, nullable=False),
    sa.Column("rank", sa.Integer, nullable=False),
    sa.Index(None, "computed_at"),
)

aw_product_demand = sa.Table(
    "aw_product_demand",
    metadata,
    _id(),
    *_snapshot_columns(),
    sa.Column("product_alternate_key", sa.String(25), nullable=False),
    sa.Column("product", sa.String(200), nullable=False),
    sa.Column("category", sa.String(100), nullable=True),
    sa.Column("subcategory", sa.String(100), nullable=True),
    sa.Column("units", sa.BigInteger, nullable=False),
    sa.Column("revenue", sa.Numeric(19, 4), nullable=False),
    sa.Column("orders", sa.Integer, nullable=False),
    sa.Column("trend_pct", sa.Float, nullable=True),
    sa.Column("demand_score", sa.Float, nullable=False),
    sa.Column("rank", sa.Integer, nullable=False),
    sa.Index(None, "computed_at"),
)

wwi_reorder_recommendations = sa.Table(
    "wwi_reorder_recommendations",
    metadata,
    _id(),
    *_snapshot_columns(),
    sa.Column("wwi_stock_item_id", sa.Integer, nullable=False),
    sa.Column("stock_item", sa.String(200), nullable=False),
    sa.Column("on_hand", sa.BigInteger, nullable=False),
    sa.Column("reorder_level", sa.Integer, nullable=False),
    sa.Column("target_level", sa.Integer, nullable=False),
    sa.Column("lead_time_days", sa.Integer, nullable=False),
    sa.Column("avg_daily_demand", sa.Float, nullable=False),
    sa.Column("days_of_cover", sa.Float, nullable=True),
    sa.Column("projected_on_hand_at_lead_time", sa.Float, nullable=False),
    sa.Column("recommended_order_qty", sa.BigInteger, nullable=False),
    sa.Column("open_po_qty", sa.BigInteger, nullable=False),
    sa.Column("urgency", sa.String(16), nullable=False),
    sa.Column("reason", sa.String(500), nullable=False),
    sa.Index(None, "computed_at"),
)

wwi_supplier_scores = sa.Table(
    "wwi_supplier_scores",
    metadata,
    _id(),
    *_snapshot_columns(),
    sa.Column("wwi_supplier_id", sa.Integer, nullable=False),
    sa.Column("supplier", sa.String(200), nullable=False),
    sa.Column("category", sa.String(100), nullable=True),
    sa.Column("purchase_orders", sa.Integer, nullable=False),
    sa.Column("lines", sa.Integer, nullable=False),
    sa.Column("fill_rate_pct", sa.Float, nullable=True),
    sa.Column("open_lines", sa.Integer, nullable=False),
    sa.Column("on_time_pct", sa.Float, nullable=True),
    sa.Column("avg_delay_days", sa.Float, nullable=True),
    sa.Column("score", sa.Float, nullable=False),
    sa.Column("rank", sa.Integer, nullable=False),
    sa.Index(None, "computed_at"),
)

wwi_whatif_scenarios = sa.Table(
    "wwi_whatif_scenarios",
    metadata,
    _id(),
    sa.Column("created_at", Timestamp, nullable=False),
    sa.Column("created_by", sa.String(255), nullable=False),
    sa.Column("name", sa.String(100), nullable=False),
    sa.Column("demand_change_pct", sa.Float, nullable=False),
    sa.Column("lead_time_change_days", sa.Integer, nullable=False),
    sa.Column("stock_item_ids", Json, nullable=True),
    sa.Column("idempotency_key", sa.String(200), nullable=True),
    sa.Column("summary", Json, nullable=False),
    sa.Column("result", Json, nullable=False),
    sa.Column("trace_id", sa.String(32), nullable=True),
    sa.UniqueConstraint("created_by", "idempotency_key"),
)

wwi_business_events = sa.Table(
    "wwi_business_events",
    metadata,
    _id(),
    sa.Column("event_type", sa.String(32), nullable=False),
    sa.Column("wwi_stock_item_id", sa.Integer, nullable=False),
    sa.Column("stock_item", sa.String(200), nullable=False),
    sa.Column("observed", sa.Float, nullable=False),
    sa.Column("threshold", sa.Float, nullable=False),
    sa.Column("detected_at", Timestamp, nullable=False),
    sa.Column("resolved_at", Timestamp, nullable=True),
    sa.Column("execution_id", Id, nullable=True),
    sa.Index(
        "uq_wwi_business_events_open",
        "wwi_stock_item_id",
        "event_type",
        unique=True,
        postgresql_where=sa.text("resolved_at IS NULL"),
        sqlite_where=sa.text("resolved_at IS NULL"),
    ),
    sa.Index(None, "detected_at"),
)
