"""Store what-if scenarios' Idempotency-Keys as their SHA-256 (otelbi.wwi.scenarios).

A key is client input and may be anything the client chose: the table keeps only its hex
SHA-256, which is what lookups compare. Keys already stored are replaced by their hash, so
a request repeated across the upgrade still finds its first result.

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import hashlib

import sqlalchemy as sa
from alembic import op

from otelbi.store.tables import Id

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

_scenarios = sa.table(
    "wwi_whatif_scenarios", sa.column("id", Id), sa.column("idempotency_key", sa.String)
)


def upgrade() -> None:
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(_scenarios.c.id, _scenarios.c.idempotency_key).where(
            _scenarios.c.idempotency_key.is_not(None)
        )
    ).all()
    updates = [
        {"key": row_id, "digest": hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()}
        for row_id, key in rows
    ]
    if updates:
        connection.execute(
            _scenarios.update()
            .where(_scenarios.c.id == sa.bindparam("key"))
            .values(idempotency_key=sa.bindparam("digest")),
            updates,
        )


def downgrade() -> None:
    raise RuntimeError("hashed Idempotency-Keys cannot be turned back into the keys")
