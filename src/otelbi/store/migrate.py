"""Applies the Alembic migrations at start, once, even when several processes start together.

PostgreSQL: a session advisory lock serialises the replicas; the second one finds the schema
at head and does nothing. SQLite: an exclusive file lock beside the database does the same
for processes on this machine (SQLite is single-machine by nature).
"""

from __future__ import annotations

import fcntl
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

MIGRATION_LOCK_KEY = 0x0_7E1_B1_0001
"""Advisory-lock key of the migration step (any fixed 64-bit number unique to this product)."""


def alembic_config() -> Config:
    """Return the Alembic configuration of the packaged migrations."""
    config = Config()
    config.set_main_option("script_location", "otelbi.store:migrations")
    return config


def head_revision() -> str:
    """Return the newest migration's revision id."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None, "the packaged migrations have a head"
    return head


def current_revision(engine: sa.Engine) -> str | None:
    """Return the revision the store is at, or None before the first migration."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade_to_head(engine: sa.Engine) -> None:
    """Bring the store to the newest schema; safe to call from many processes at once."""
    with _migration_lock(engine) as connection:
        config = alembic_config()
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
        connection.commit()


@contextmanager
def _migration_lock(engine: sa.Engine) -> Iterator[sa.Connection]:
    if engine.dialect.name == "postgresql":
        with engine.connect() as connection:
            connection.execute(sa.select(sa.func.pg_advisory_lock(MIGRATION_LOCK_KEY)))
            connection.commit()
            try:
                yield connection
            finally:
                connection.rollback()
                connection.execute(sa.select(sa.func.pg_advisory_unlock(MIGRATION_LOCK_KEY)))
                connection.commit()
        return
    database = Path(engine.url.database or "store")
    with (
        database.with_name(database.name + ".migrate.lock").open("w") as lock_file,
        engine.connect() as connection,
    ):
        fcntl.flock(lock_file, fcntl.LOCK_EX)
        try:
            yield connection
        finally:
            fcntl.flock(lock_file, fcntl.LOCK_UN)
