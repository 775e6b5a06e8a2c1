"""The write-store engine: PostgreSQL from POSTGRES_URL, else a SQLite file under DATA_DIR."""

from __future__ import annotations

import select
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError

from otelbi.settings import Settings
from otelbi.store.migrate import upgrade_to_head
from otelbi.telemetry import Telemetry, instrument_engine

SQLITE_FILE = "otelbi.sqlite"
SQLITE_BUSY_SECONDS = 30
"""How long a SQLite writer waits for the write lock before it fails (StoreUnavailable)."""


def store_url(settings: Settings) -> sa.URL:
    """Return the SQLAlchemy URL of the write store."""
    configured = settings.store.postgres_url.get_secret_value()
    if not configured:
        path = Path(settings.warehouse.data_dir) / SQLITE_FILE
        return sa.URL.create("sqlite+pysqlite", database=str(path))
    url = sa.make_url(configured)
    if url.drivername in ("postgres", "postgresql", "postgresql+psycopg2"):
        url = url.set(drivername="postgresql+psycopg")
    if "sslmode" not in url.query:
        url = url.update_query_dict({"sslmode": settings.store.postgres_sslmode})
    return url


def create_store_engine(settings: Settings) -> sa.Engine:
    """Return an engine for the write store (the SQLite directory is created if needed)."""
    url = store_url(settings)
    pool = {
        "pool_size": settings.store.store_pool_size,
        "max_overflow": 0,
        "pool_timeout": settings.store.store_pool_timeout_seconds,
    }
    if url.get_backend_name() != "sqlite":
        # a connect_timeout in POSTGRES_URL itself wins over the setting
        timeout = {"connect_timeout": settings.store.store_connect_timeout_seconds}
        connect_args = {} if "connect_timeout" in url.query else timeout
        engine = sa.create_engine(url, connect_args=connect_args, **pool)
        sa.event.listen(engine, "checkout", _replace_if_closed_by_the_server)
        return engine
    Path(url.database or SQLITE_FILE).parent.mkdir(parents=True, exist_ok=True)
    engine = sa.create_engine(
        url,
        connect_args={"timeout": SQLITE_BUSY_SECONDS, "check_same_thread": False},
        poolclass=sa.QueuePool,
        **pool,
    )
    sa.event.listen(engine, "connect", _tune_sqlite)
    return engine


def store_failure(error: DBAPIError | sa.exc.TimeoutError) -> str:
    """Return what went wrong with the store, for a person (a driver error or a full pool)."""
    if isinstance(error, DBAPIError):
        return str(error.orig)
    return "every connection of its pool stayed busy (STORE_POOL_SIZE, STORE_POOL_TIMEOUT_SECONDS)"


def _replace_if_closed_by_the_server(
    dbapi_connection: Any, _record: object, _proxy: object
) -> None:
    """Have the pool replace a PostgreSQL connection the server has closed, before it is used.

    What SQLAlchemy's `pool_pre_ping` finds with a `SELECT 1` round trip on every checkout
    (one more per audit append), `closed_by_the_server` finds without one.
    """
    if closed_by_the_server(dbapi_connection):
        raise sa.exc.DisconnectionError("the server closed the connection")


def closed_by_the_server(dbapi_connection: Any) -> bool:
    """Return whether an idle psycopg connection is closed, or being closed by the server.

    A server that ends a connection (restart, fail-over, `pg_terminate_backend`, idle
    timeout) sends its goodbye and closes the socket, which makes an idle connection's socket
    readable: an idle connection is sent nothing otherwise. One the server ends after this
    look fails its next statement, as it would after a ping.
    """
    if dbapi_connection.closed or dbapi_connection.broken:
        return True
    readable, _, _ = select.select([dbapi_connection.pgconn.socket], [], [], 0)
    return bool(readable)


def _tune_sqlite(dbapi_connection: Any, _record: object) -> None:
    # WAL lets readers run beside the one writer; the busy timeout queues writers instead of
    # failing them while another thread holds the write lock.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_SECONDS * 1000}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def open_store(settings: Settings, telemetry: Telemetry) -> sa.Engine:
    """Return the traced write-store engine, with the schema migrated to the newest revision.

    The migration's statements are one trace (`otelbi.store.migrate`) per service start.
    """
    engine = create_store_engine(settings)
    instrument_engine(engine, telemetry)
    with telemetry.tracer.start_as_current_span("otelbi.store.migrate"):
        upgrade_to_head(engine)
    return engine
