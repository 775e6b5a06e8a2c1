"""Report records: one append-only row per full report written to REPORT_OUTPUT_DIR.

The id is text (`YYYYMMDDTHHMMSSZ-<8 hex>`), chosen before the files are written so that it
is part of their names. Like export_records, the table rejects UPDATE, DELETE and TRUNCATE:
a row is the reference a download checks the file's SHA-256 against.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from otelbi.store.tables import Id, Timestamp

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

TABLE = "report_records"


def upgrade() -> None:
    op.create_table(
        TABLE,
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("created_at", Timestamp, nullable=False),
        sa.Column("created_by", sa.String(length=255), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("days_back", sa.Integer(), nullable=False),
        sa.Column("xlsx_path", sa.String(length=1000), nullable=False),
        sa.Column("pdf_path", sa.String(length=1000), nullable=False),
        sa.Column("xlsx_bytes", sa.BigInteger(), nullable=False),
        sa.Column("pdf_bytes", sa.BigInteger(), nullable=False),
        sa.Column("xlsx_sha256", sa.String(length=64), nullable=False),
        sa.Column("pdf_sha256", sa.String(length=64), nullable=False),
        sa.Column("duration_ms", sa.Float(), nullable=False),
        sa.Column("trace_id", sa.String(length=32), nullable=True),
        sa.Column("execution_id", Id, nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_records")),
    )
    op.create_index(op.f("ix_report_records_created_at"), TABLE, ["created_at"], unique=False)
    if op.get_bind().dialect.name == "postgresql":
        # otelbi_reject_change() comes from revision 0001.
        op.execute(
            f"CREATE TRIGGER {TABLE}_append_only BEFORE UPDATE OR DELETE ON {TABLE} "
            "FOR EACH ROW EXECUTE FUNCTION otelbi_reject_change()"
        )
        op.execute(
            f"CREATE TRIGGER {TABLE}_no_truncate BEFORE TRUNCATE ON {TABLE} "
            "FOR EACH STATEMENT EXECUTE FUNCTION otelbi_reject_change()"
        )
    else:
        for operation in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER {TABLE}_no_{operation.lower()} BEFORE {operation} ON {TABLE} "
                f"BEGIN SELECT RAISE(ABORT, '{TABLE} is append-only: {operation} is not allowed');"
                " END"
            )


def downgrade() -> None:
    op.drop_table(TABLE)
