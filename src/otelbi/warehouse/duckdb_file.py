"""Creates the embedded DuckDB copy of a warehouse from its table declarations.

The copy carries no primary or foreign key constraints: it is a read-only replica that is
loaded in bulk, and the data-quality checks must be able to find the duplicate lines and
orphan keys a real warehouse can hold.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import sqlalchemy as sa
from duckdb_engine import Dialect as DuckDBDialect

_DIALECT = DuckDBDialect()


def create_table_sql(table: sa.Table) -> str:
    """Return the DuckDB CREATE TABLE statement for one declared warehouse table."""
    preparer = _DIALECT.identifier_preparer
    type_compiler = _DIALECT.type_compiler_instance
    columns = ",\n  ".join(
        f"{preparer.quote(column.name)} {type_compiler.process(column.type)}"
        + ("" if column.nullable else " NOT NULL")
        for column in table.columns
    )
    return f"CREATE TABLE {preparer.format_table(table)} (\n  {columns}\n)"


def create_tables(con: duckdb.DuckDBPyConnection, metadata: sa.MetaData) -> None:
    """Create every schema and table of `metadata` in an open DuckDB database."""
    preparer = _DIALECT.identifier_preparer
    for schema in sorted({t.schema for t in metadata.tables.values() if t.schema}):
        con.execute(f"CREATE SCHEMA IF NOT EXISTS {preparer.quote_schema(schema)}")
    for table in metadata.tables.values():
        con.execute(create_table_sql(table))


@contextmanager
def replace_atomically(path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """Yield a connection to a fresh database that replaces `path` only if the block succeeds.

    Readers never see a half-built warehouse: the file is built under a temporary name in the
    same directory and renamed over the old one.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    staging = path.with_name(f".{path.name}.building-{os.getpid()}")
    staging.unlink(missing_ok=True)
    con = duckdb.connect(str(staging))
    try:
        yield con
        con.execute("CHECKPOINT")
        con.close()
        os.replace(staging, path)
    except BaseException:
        con.close()
        staging.unlink(missing_ok=True)
        raise
    finally:
        Path(f"{staging}.wal").unlink(missing_ok=True)
