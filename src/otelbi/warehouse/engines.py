"""Engines for the two read-only warehouses.

SQL Server when `<AW|WWI>_MSSQL_SERVER` is set: `mssql+mssqlpython`, always with
ApplicationIntent=ReadOnly (which also routes to a readable secondary of an availability
group) and Encrypt=yes. Otherwise the embedded DuckDB copy under DATA_DIR, opened read-only
with external access off. Either way every statement passes the read-only guard.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb
import sqlalchemy as sa
from duckdb_engine import ConnectionWrapper
from duckdb_engine import Dialect as DuckDBDialect
from sqlalchemy.dialects import registry

from otelbi.domains import Domain
from otelbi.errors import WarehouseUnavailable
from otelbi.settings import WarehouseSettings
from otelbi.warehouse import aw_tables, wwi_tables
from otelbi.warehouse.guard import install_guard

METADATA: dict[Domain, sa.MetaData] = {
    Domain.AW: aw_tables.metadata,
    Domain.WWI: wwi_tables.metadata,
}
ATTACHED = "warehouse"
"""The catalog name the embedded file is attached under."""
SQL_SERVER_VERSION = (16, 0)
"""SQL Server 2022; pinned for compiling reviewable T-SQL without a server."""


class CachingDuckDBDialect(DuckDBDialect):
    """duckdb-engine's dialect for the embedded, read-only copies: SQLAlchemy's
    compiled-statement cache on, and no transactions.

    duckdb-engine leaves the cache off, so every execution compiled its statement anew —
    0.3 to 1.3 ms a statement, up to an eighth of a small view (bench/warehouse_sql.py). Its
    compiler renders bound parameters as parameters like PostgreSQL's it derives from, which
    is what the cache needs; the views' figures at many parameter values are tested against
    the real extracts (tests/integration/test_kpis_real_data.py and the view tests).

    It also begins a DuckDB transaction at each checkout's first statement and rolls it back
    when the connection goes back to the pool: two more DuckDB calls per view, about half a
    millisecond. A file attached READ_ONLY cannot change under its engine (a replaced file is
    a new engine), so every statement sees the same data without one; here each statement
    runs on its own (DuckDB's autocommit).

    DuckDB hands DECIMAL values over as Decimals, as SQL Server's driver does
    (`mssql+mssqlpython` declares it too): duckdb-engine does not say so, so SQLAlchemy
    turned each one into a float and back (`"%.4f" % value`), which cost about a
    microsecond a value and kept only 15 significant digits. They now pass through as read.
    """

    supports_statement_cache = True
    supports_native_decimal = True

    def do_begin(self, dbapi_connection: Any) -> None:
        """Begin nothing: see the class."""

    def do_rollback(self, dbapi_connection: Any) -> None:
        """Roll nothing back: no transaction was begun."""

    def do_commit(self, dbapi_connection: Any) -> None:
        """Commit nothing: no transaction was begun."""


registry.register("duckdb.cached", __name__, "CachingDuckDBDialect")


def duckdb_path(domain: Domain, data_dir: Path) -> Path:
    """Return where the embedded copy of `domain`'s warehouse lives."""
    return data_dir / "warehouse" / f"{domain.value}.duckdb"


def mssql_url(domain: Domain, settings: WarehouseSettings) -> sa.URL | None:
    """Return the SQL Server URL of `domain`'s warehouse, or None when none is configured."""
    prefix = domain.value
    server: str = getattr(settings, f"{prefix}_mssql_server")
    if not server:
        return None
    host, _, port = server.partition(",")
    return sa.URL.create(
        "mssql+mssqlpython",
        username=getattr(settings, f"{prefix}_mssql_username") or None,
        password=getattr(settings, f"{prefix}_mssql_password").get_secret_value() or None,
        host=host,
        port=int(port) if port else None,
        database=getattr(settings, f"{prefix}_mssql_database"),
        query={
            "ApplicationIntent": "ReadOnly",
            "Encrypt": "yes",
            "TrustServerCertificate": "yes" if settings.mssql_trust_server_certificate else "no",
        },
    )


def create_warehouse_engine(domain: Domain, settings: WarehouseSettings) -> sa.Engine:
    """Return the guarded, read-only engine of `domain`'s warehouse."""
    url = mssql_url(domain, settings)
    # A fixed pool: no overflow beyond WAREHOUSE_POOL_SIZE, and a short wait for a connection
    # (dependencies.warehouse_connection turns a timeout into a 503 naming the warehouse).
    pool: dict[str, Any] = {
        "pool_size": settings.warehouse_pool_size,
        "max_overflow": 0,
        "pool_timeout": settings.warehouse_pool_timeout_seconds,
    }
    if url is not None:
        engine = sa.create_engine(url, pool_pre_ping=True, **pool)
    else:
        path = duckdb_path(domain, settings.data_dir)
        if not path.exists():
            raise WarehouseUnavailable(
                f"the embedded {domain.display_name} warehouse {path} does not exist: run "
                f"`otelbi warehouse generate {domain.value}` or `otelbi warehouse import "
                f"{domain.value} --from DIR`"
            )
        engine = _embedded_engine(domain, path, pool)
    install_guard(engine, METADATA[domain])
    return engine


def _embedded_engine(domain: Domain, path: Path, pool: dict[str, Any]) -> sa.Engine:
    """Return an engine over one DuckDB instance of its own that holds `path` read-only.

    DuckDB shares one instance per file path within a process while any connection to it is
    open, so opening the path again after the file was replaced would still read the old
    file. Here each engine attaches the file to a fresh in-memory instance (then shuts file
    access off) and pools cursors of that instance: a new engine reads the file that is at
    the path now, and the old one finishes its calls on the old file.
    """
    instance = duckdb.connect(":memory:")
    try:
        instance.execute(f"ATTACH '{_sql_text(path)}' AS {ATTACHED} (READ_ONLY)")
        instance.execute(f"USE {ATTACHED}")
        instance.execute("SET enable_external_access = false")
    except duckdb.Error as error:
        instance.close()
        raise WarehouseUnavailable(
            f"the embedded {domain.display_name} warehouse {path} cannot be opened: {error}"
        ) from error

    def connection() -> ConnectionWrapper:
        cursor = instance.cursor()
        cursor.execute(f"USE {ATTACHED}")
        return ConnectionWrapper(cursor)

    engine = sa.create_engine(
        "duckdb+cached://", creator=connection, poolclass=sa.QueuePool, **pool
    )
    # Disposed: let go of the file once the calls running on it end (their cursors hold it).
    sa.event.listen(engine, "engine_disposed", lambda _: instance.close())
    return engine


def _sql_text(path: Path) -> str:
    return str(path).replace("'", "''")
