"""Alembic environment: runs on the connection `otelbi.store.migrate` hands it (under a lock)."""

from __future__ import annotations

from alembic import context

from otelbi.store.tables import metadata

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
