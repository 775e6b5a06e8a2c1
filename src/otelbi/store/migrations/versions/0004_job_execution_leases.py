"""Job execution leases: a running execution renews `heartbeat_at`.

A run whose heartbeat is older than JOBS_LEASE_SECONDS was abandoned (its process died or
lost the store): any replica of its service marks it `interrupted` (otelbi.jobs.leases).
Rows already there get their start time as heartbeat, so old `running` rows expire at once.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from otelbi.store.tables import Timestamp

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("job_executions") as table:
        table.add_column(sa.Column("heartbeat_at", Timestamp, nullable=True))
    op.execute("UPDATE job_executions SET heartbeat_at = started_at")


def downgrade() -> None:
    with op.batch_alter_table("job_executions") as table:
        table.drop_column("heartbeat_at")
