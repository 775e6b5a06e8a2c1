"""SQL Server column types that DuckDB spells differently.

Each type renders its SQL Server name for the mssql dialect and the DuckDB equivalent from
the warehouse-schemas reference (money -> DECIMAL(19,4), tinyint -> UTINYINT, datetime2 ->
TIMESTAMP, varbinary(max) -> BLOB, geography -> WKT text) everywhere else, so one
declaration serves both engines.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import TypeCompiler


class Money(sa.Numeric):  # type: ignore[type-arg]
    """SQL Server `money`: a fixed 19,4 decimal."""

    def __init__(self) -> None:
        super().__init__(precision=19, scale=4, asdecimal=True)


class TinyInt(sa.SmallInteger):
    """SQL Server `tinyint` (0..255)."""


class DateTime2(sa.DateTime):
    """SQL Server `datetime2(7)`."""


class NChar(sa.Unicode):
    """SQL Server `nchar(n)`: blank-padded fixed-length text."""


class VarBinaryMax(sa.LargeBinary):
    """SQL Server `varbinary(max)`."""


class Geography(sa.UnicodeText):
    """SQL Server `geography`; the embedded copy keeps it as WKT text."""


@compiles(Money, "mssql")
def _money_mssql(type_: Money, compiler: TypeCompiler, **kw: Any) -> str:
    return "MONEY"


@compiles(TinyInt, "mssql")
def _tinyint_mssql(type_: TinyInt, compiler: TypeCompiler, **kw: Any) -> str:
    return "TINYINT"


@compiles(TinyInt, "duckdb")
def _tinyint_duckdb(type_: TinyInt, compiler: TypeCompiler, **kw: Any) -> str:
    return "UTINYINT"


@compiles(DateTime2, "mssql")
def _datetime2_mssql(type_: DateTime2, compiler: TypeCompiler, **kw: Any) -> str:
    return "DATETIME2(7)"


@compiles(NChar, "mssql")
def _nchar_mssql(type_: NChar, compiler: TypeCompiler, **kw: Any) -> str:
    return f"NCHAR({type_.length})"


@compiles(VarBinaryMax, "mssql")
def _varbinary_mssql(type_: VarBinaryMax, compiler: TypeCompiler, **kw: Any) -> str:
    return "VARBINARY(max)"


@compiles(VarBinaryMax, "duckdb")
def _varbinary_duckdb(type_: VarBinaryMax, compiler: TypeCompiler, **kw: Any) -> str:
    return "BLOB"


@compiles(Geography, "mssql")
def _geography_mssql(type_: Geography, compiler: TypeCompiler, **kw: Any) -> str:
    return "GEOGRAPHY"
