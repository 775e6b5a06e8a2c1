"""Initial schema: audit log, job executions, export records and analytics snapshots.

audit_log and export_records are append-only: a trigger rejects UPDATE and DELETE (and, on
PostgreSQL, TRUNCATE). SQLite has no TRUNCATE; its DELETE trigger also stops `DELETE FROM t`.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql
from sqlalchemy.types import Text

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

APPEND_ONLY_TABLES = ("audit_log", "export_records")


def upgrade() -> None:
    op.create_table(
        "audit_log",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=255), nullable=False),
        sa.Column("domain", sa.String(length=16), nullable=False),
        sa.Column("action", sa.String(length=100), nullable=False),
        sa.Column("resource", sa.String(length=500), nullable=False),
        sa.Column(
            "parameters",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.Column("status_code", sa.Integer(), nullable=True),
        sa.Column("duration_ms", sa.Float(), nullable=False),
        sa.Column("trace_id", sa.String(length=32), nullable=True),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    op.create_index(op.f("ix_audit_log_domain_id"), "audit_log", ["domain", "id"], unique=False)
    op.create_index(op.f("ix_audit_log_occurred_at"), "audit_log", ["occurred_at"], unique=False)
    op.create_table(
        "aw_forecasts",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column(
            "execution_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("method", sa.String(length=200), nullable=False),
        sa.Column("window_days", sa.Integer(), nullable=False),
        sa.Column("forecast_date", sa.Date(), nullable=False),
        sa.Column("forecast", sa.Numeric(precision=19, scale=4), nullable=False),
        sa.Column("lower", sa.Numeric(precision=19, scale=4), nullable=False),
        sa.Column("upper", sa.Numeric(precision=19, scale=4), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_aw_forecasts")),
    )
    op.create_index(
        op.f("ix_aw_forecasts_computed_at"), "aw_forecasts", ["computed_at"], unique=False
    )
    op.create_table(
        "aw_product_demand",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column(
            "execution_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("product_alternate_key", sa.String(length=25), nullable=False),
        sa.Column("product", sa.String(length=200), nullable=False),
        sa.Column("category", sa.String(length=100), nullable=True),
        sa.Column("subcategory", sa.String(length=100), nullable=True),
        sa.Column("units", sa.BigInteger(), nullable=False),
        sa.Column("revenue", sa.Numeric(precision=19, scale=4), nullable=False),
        sa.Column("orders", sa.Integer(), nullable=False),
        sa.Column("trend_pct", sa.Float(), nullable=True),
        sa.Column("demand_score", sa.Float(), nullable=False),
        sa.Column("rank", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_aw_product_demand")),
    )
    op.create_index(
        op.f("ix_aw_product_demand_computed_at"), "aw_product_demand", ["computed_at"], unique=False
    )
    op.create_table(
        "aw_rep_scores",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column(
            "execution_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("employee_key", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("title", sa.String(length=100), nullable=True),
        sa.Column("territory", sa.String(length=100), nullable=True),
        sa.Column("revenue", sa.Numeric(precision=19, scale=4), nullable=False),
        sa.Column("orders", sa.Integer(), nullable=False),
        sa.Column("quota", sa.Numeric(precision=19, scale=4), nullable=True),
        sa.Column("attainment_pct", sa.Float(), nullable=True),
        sa.Column("growth_pct", sa.Float(), nullable=True),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("rank", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_aw_rep_scores")),
    )
    op.create_index(
        op.f("ix_aw_rep_scores_computed_at"), "aw_rep_scores", ["computed_at"], unique=False
    )
    op.create_table(
        "export_records",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=255), nullable=False),
        sa.Column("domain", sa.String(length=16), nullable=False),
        sa.Column("view", sa.String(length=100), nullable=False),
        sa.Column("format", sa.String(length=8), nullable=False),
        sa.Column(
            "parameters",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.Column("bytes", sa.BigInteger(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("duration_ms", sa.Float(), nullable=False),
        sa.Column("trace_id", sa.String(length=32), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_export_records")),
    )
    op.create_table(
        "job_executions",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("job_id", sa.String(length=100), nullable=False),
        sa.Column("service", sa.String(length=50), nullable=False),
        sa.Column("scheduled_for", sa.DateTime(timezone=True), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("rows_written", sa.Integer(), server_default="0", nullable=False),
        sa.Column(
            "details",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("trace_id", sa.String(length=32), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_job_executions")),
        sa.UniqueConstraint(
            "job_id", "scheduled_for", name=op.f("uq_job_executions_job_id_scheduled_for")
        ),
    )
    op.create_index(
        op.f("ix_job_executions_service_id"), "job_executions", ["service", "id"], unique=False
    )
    op.create_table(
        "wwi_business_events",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("event_type", sa.String(length=32), nullable=False),
        sa.Column("wwi_stock_item_id", sa.Integer(), nullable=False),
        sa.Column("stock_item", sa.String(length=200), nullable=False),
        sa.Column("observed", sa.Float(), nullable=False),
        sa.Column("threshold", sa.Float(), nullable=False),
        sa.Column("detected_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "execution_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_wwi_business_events")),
    )
    op.create_index(
        op.f("ix_wwi_business_events_detected_at"),
        "wwi_business_events",
        ["detected_at"],
        unique=False,
    )
    op.create_index(
        "uq_wwi_business_events_open",
        "wwi_business_events",
        ["wwi_stock_item_id", "event_type"],
        unique=True,
        postgresql_where=sa.text("resolved_at IS NULL"),
        sqlite_where=sa.text("resolved_at IS NULL"),
    )
    op.create_table(
        "wwi_reorder_recommendations",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column(
            "execution_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("wwi_stock_item_id", sa.Integer(), nullable=False),
        sa.Column("stock_item", sa.String(length=200), nullable=False),
        sa.Column("on_hand", sa.BigInteger(), nullable=False),
        sa.Column("reorder_level", sa.Integer(), nullable=False),
        sa.Column("target_level", sa.Integer(), nullable=False),
        sa.Column("lead_time_days", sa.Integer(), nullable=False),
        sa.Column("avg_daily_demand", sa.Float(), nullable=False),
        sa.Column("days_of_cover", sa.Float(), nullable=True),
        sa.Column("projected_on_hand_at_lead_time", sa.Float(), nullable=False),
        sa.Column("recommended_order_qty", sa.BigInteger(), nullable=False),
        sa.Column("open_po_qty", sa.BigInteger(), nullable=False),
        sa.Column("urgency", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_wwi_reorder_recommendations")),
    )
    op.create_index(
        op.f("ix_wwi_reorder_recommendations_computed_at"),
        "wwi_reorder_recommendations",
        ["computed_at"],
        unique=False,
    )
    op.create_table(
        "wwi_supplier_scores",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column(
            "execution_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("wwi_supplier_id", sa.Integer(), nullable=False),
        sa.Column("supplier", sa.String(length=200), nullable=False),
        sa.Column("category", sa.String(length=100), nullable=True),
        sa.Column("purchase_orders", sa.Integer(), nullable=False),
        sa.Column("lines", sa.Integer(), nullable=False),
        sa.Column("fill_rate_pct", sa.Float(), nullable=True),
        sa.Column("open_lines", sa.Integer(), nullable=False),
        sa.Column("on_time_pct", sa.Float(), nullable=True),
        sa.Column("avg_delay_days", sa.Float(), nullable=True),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("rank", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_wwi_supplier_scores")),
    )
    op.create_index(
        op.f("ix_wwi_supplier_scores_computed_at"),
        "wwi_supplier_scores",
        ["computed_at"],
        unique=False,
    )
    op.create_table(
        "wwi_whatif_scenarios",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=255), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("demand_change_pct", sa.Float(), nullable=False),
        sa.Column("lead_time_change_days", sa.Integer(), nullable=False),
        sa.Column(
            "stock_item_ids",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), "postgresql"),
            nullable=True,
        ),
        sa.Column("idempotency_key", sa.String(length=200), nullable=True),
        sa.Column(
            "summary",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column(
            "result",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("trace_id", sa.String(length=32), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_wwi_whatif_scenarios")),
        sa.UniqueConstraint(
            "created_by",
            "idempotency_key",
            name=op.f("uq_wwi_whatif_scenarios_created_by_idempotency_key"),
        ),
    )
    for table in APPEND_ONLY_TABLES:
        _make_append_only(table)


def _make_append_only(table: str) -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            """
            CREATE OR REPLACE FUNCTION otelbi_reject_change() RETURNS trigger
            LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION '% is append-only: % is not allowed', TG_TABLE_NAME, TG_OP
                    USING ERRCODE = 'insufficient_privilege';
            END
            $$
            """
        )
        op.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION otelbi_reject_change()"
        )
        op.execute(
            f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION otelbi_reject_change()"
        )
    else:
        for operation in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER {table}_no_{operation.lower()} BEFORE {operation} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{table} is append-only: {operation} is not allowed');"
                " END"
            )


def downgrade() -> None:
    raise RuntimeError("the initial schema cannot be downgraded: it holds the audit log")
