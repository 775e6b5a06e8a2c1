"""Job executions say why they ran and which warehouse data they read.

`trigger`: `schedule` (a cron tick or the catch-up after start), `run-now` (a user or the
command line) or `data-change` (the warehouse's data version moved on: otelbi.jobs.data_change).
Rows already there were all recorded as ticks or run-nows alike; they read `schedule`.
`data_version`: the warehouse data version a domain service's run started from.
`supersedes_execution_id`: the run whose snapshot a data-change run recomputes; unique, so of
several replicas noticing the same change exactly one claims the recomputation.

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from otelbi.store.tables import Id

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("job_executions") as table:
        table.add_column(
            sa.Column("trigger", sa.String(16), nullable=False, server_default="schedule")
        )
        table.add_column(sa.Column("data_version", sa.String(64), nullable=True))
        table.add_column(sa.Column("supersedes_execution_id", Id, nullable=True))
        table.create_unique_constraint(
            "uq_job_executions_supersedes_execution_id", ["supersedes_execution_id"]
        )


def downgrade() -> None:
    with op.batch_alter_table("job_executions") as table:
        table.drop_constraint("uq_job_executions_supersedes_execution_id", type_="unique")
        table.drop_column("supersedes_execution_id")
        table.drop_column("data_version")
        table.drop_column("trigger")
