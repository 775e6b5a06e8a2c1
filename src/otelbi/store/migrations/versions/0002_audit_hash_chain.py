"""Hash-chain the audit log; record the client address of a row.

Adds `prev_hash` and `row_hash` (NOT NULL, prev_hash unique) and `client_address`, and chains
the rows already there in id order, hashing them as they read back (otelbi.store.audit). The
append-only triggers block that backfill: on PostgreSQL the row trigger is disabled and
enabled again inside the migration's transaction; on SQLite the triggers are dropped and
created again (the batch table rebuild would drop them anyway).

During the upgrade, replicas still running the previous version cannot write audit rows
(their inserts lack the hashes), so their audited calls fail closed until they are replaced.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

from otelbi.store.audit import GENESIS_HASH, row_hash
from otelbi.store.tables import Id, Json, Timestamp

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

BATCH = 1000

# The columns as this revision leaves them, so later revisions cannot change what it reads.
_audit_log = sa.table(
    "audit_log",
    sa.column("id", Id),
    sa.column("occurred_at", Timestamp),
    sa.column("actor", sa.String),
    sa.column("domain", sa.String),
    sa.column("action", sa.String),
    sa.column("resource", sa.String),
    sa.column("parameters", Json),
    sa.column("outcome", sa.String),
    sa.column("status_code", sa.Integer),
    sa.column("duration_ms", sa.Float),
    sa.column("trace_id", sa.String),
    sa.column("detail", sa.Text),
    sa.column("client_address", sa.String),
    sa.column("prev_hash", sa.String),
    sa.column("row_hash", sa.String),
)


def upgrade() -> None:
    postgresql = op.get_bind().dialect.name == "postgresql"
    if not postgresql:
        for operation in ("update", "delete"):
            op.execute(f"DROP TRIGGER IF EXISTS audit_log_no_{operation}")
    with op.batch_alter_table("audit_log") as batch:
        batch.add_column(sa.Column("client_address", sa.String(length=100), nullable=True))
        batch.add_column(sa.Column("prev_hash", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("row_hash", sa.String(length=64), nullable=True))
    if postgresql:
        op.execute("ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only")
    _chain_existing_rows(op.get_bind())
    if postgresql:
        op.execute("ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only")
    with op.batch_alter_table("audit_log") as batch:
        batch.alter_column("prev_hash", existing_type=sa.String(length=64), nullable=False)
        batch.alter_column("row_hash", existing_type=sa.String(length=64), nullable=False)
        batch.create_unique_constraint(op.f("uq_audit_log_prev_hash"), ["prev_hash"])
    op.create_index(op.f("ix_audit_log_actor_id"), "audit_log", ["actor", "id"], unique=False)
    if not postgresql:
        for operation in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER audit_log_no_{operation.lower()} BEFORE {operation} ON audit_log "
                f"BEGIN SELECT RAISE(ABORT, 'audit_log is append-only: {operation} is not "
                "allowed'); END"
            )


def _chain_existing_rows(connection: sa.Connection) -> None:
    """Give every existing row its prev_hash and row_hash, in id order, a batch at a time."""
    prev_hash, last_id = GENESIS_HASH, 0
    while True:
        rows = connection.execute(
            sa.select(_audit_log)
            .where(_audit_log.c.id > last_id)
            .order_by(_audit_log.c.id)
            .limit(BATCH)
        ).all()
        if not rows:
            return
        updates: list[dict[str, Any]] = []
        for row in rows:
            values = {**row._mapping, "prev_hash": prev_hash}
            prev_hash = row_hash(values)
            updates.append({"key": values["id"], "prev": values["prev_hash"], "hash": prev_hash})
        connection.execute(
            _audit_log.update()
            .where(_audit_log.c.id == sa.bindparam("key"))
            .values(prev_hash=sa.bindparam("prev"), row_hash=sa.bindparam("hash")),
            updates,
        )
        last_id = rows[-1].id


def downgrade() -> None:
    raise RuntimeError("the audit hash chain cannot be downgraded: it protects the audit log")
