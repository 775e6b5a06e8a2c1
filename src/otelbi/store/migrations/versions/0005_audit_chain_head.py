"""The audit chain's head: a one-row table the writer moves with each append.

Until now the chain's end was "the row with the largest id", and `prev_hash` was unique: one
row inserted with a high id and a made-up prev_hash (the application role may insert) became
the end every later append failed to link to. Now the writer links to `audit_chain_head`,
which it moves in the append's own transaction, and prev_hash is no longer unique (forks are
prevented by the append lock; a forged row claiming the head's hash must not block appends).

The head starts at the last row reached by following the links from the genesis hash in id
order (a row that does not link is skipped, as `verify_chain` does), so a forged row already
present does not become the head.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from otelbi.store.tables import Id

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

GENESIS_HASH = "0" * 64
BATCH = 5000

_audit_log = sa.table(
    "audit_log", sa.column("id", Id), sa.column("prev_hash", sa.String), sa.column("row_hash")
)


def upgrade() -> None:
    postgresql = op.get_bind().dialect.name == "postgresql"
    head = op.create_table(
        "audit_chain_head",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("last_id", Id, nullable=False),
        sa.Column("last_hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_chain_head")),
    )
    last_id, last_hash = _linked_end(op.get_bind())
    op.bulk_insert(head, [{"id": 1, "last_id": last_id, "last_hash": last_hash}])
    if postgresql:
        op.drop_constraint(op.f("uq_audit_log_prev_hash"), "audit_log", type_="unique")
        return
    # SQLite rebuilds the table to drop a constraint, which drops its triggers too.
    triggers = (
        op.get_bind()
        .execute(
            sa.text("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = :t"),
            {"t": "audit_log"},
        )
        .all()
    )
    for name, _sql in triggers:
        op.execute(f"DROP TRIGGER {name}")
    with op.batch_alter_table("audit_log") as batch:
        batch.drop_constraint(op.f("uq_audit_log_prev_hash"), type_="unique")
    for _name, sql in triggers:
        op.execute(sql)


def _linked_end(connection: sa.Connection) -> tuple[int, str]:
    """Return the id and hash of the last row reached by following the links in id order."""
    last_id, expected, after = 0, {GENESIS_HASH}, 0
    last_hash = GENESIS_HASH
    while True:
        rows = connection.execute(
            sa.select(_audit_log.c.id, _audit_log.c.prev_hash, _audit_log.c.row_hash)
            .where(_audit_log.c.id > after)
            .order_by(_audit_log.c.id)
            .limit(BATCH)
        ).all()
        if not rows:
            return last_id, last_hash
        for row_id, prev_hash, row_hash in rows:
            if prev_hash in expected:
                last_id, last_hash = row_id, row_hash
                expected = {row_hash}
            else:
                expected = {last_hash, row_hash}
        after = rows[-1][0]


def downgrade() -> None:
    raise RuntimeError("the audit chain's head cannot be downgraded: it protects the audit log")
