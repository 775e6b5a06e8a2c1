"""The read-only guard refuses everything but one side-effect-free SELECT."""

from __future__ import annotations

import duckdb
import pytest
import sqlalchemy as sa

from otelbi.warehouse import guard as guard_module
from otelbi.warehouse.guard import ReadOnlyViolation, ensure_read_only, install_guard

TABLES = [("dbo", "FactInternetSales"), ("Fact", "Stock Holding"), ("Fact", "Sale")]

ATTACKS = [
    ("tsql", "SELECT 1; DROP TABLE dbo.FactInternetSales"),
    ("tsql", "SELECT 1 -- harmless\n; DELETE FROM dbo.FactInternetSales"),
    ("tsql", "SELECT * INTO dbo.Copy FROM dbo.FactInternetSales"),
    ("tsql", "EXEC xp_cmdshell 'dir'"),
    ("tsql", "EXECUTE sp_executesql N'DELETE FROM dbo.FactInternetSales'"),
    (
        "tsql",
        "WITH gone AS (DELETE FROM dbo.FactInternetSales OUTPUT deleted.*) SELECT * FROM gone",
    ),
    ("tsql", "WITH x AS (SELECT 1 AS a) UPDATE dbo.FactInternetSales SET SalesAmount = 0"),
    ("tsql", "INSERT INTO dbo.FactInternetSales SELECT * FROM dbo.FactInternetSales"),
    ("tsql", "UPDATE dbo.FactInternetSales SET SalesAmount = 0"),
    (
        "tsql",
        "MERGE dbo.FactInternetSales AS t USING dbo.FactInternetSales AS s ON 1 = 1 "
        "WHEN MATCHED THEN DELETE;",
    ),
    ("tsql", "TRUNCATE TABLE dbo.FactInternetSales"),
    ("tsql", "DROP TABLE dbo.FactInternetSales"),
    ("tsql", "CREATE TABLE dbo.x (a int)"),
    ("tsql", "SET NOCOUNT ON; SELECT 1"),
    ("tsql", "WAITFOR DELAY '00:00:05'"),
    ("tsql", "SELECT * FROM OPENROWSET('SQLNCLI', 'Server=x;', 'SELECT 1')"),
    ("tsql", "SELECT xp_cmdshell('dir')"),
    ("tsql", "SELECT * FROM sys.sql_logins"),
    ("tsql", "SELECT 1 /* ; */; SHUTDOWN"),
    ("tsql", "BEGIN TRANSACTION"),
    ("tsql", "GRANT SELECT ON dbo.FactInternetSales TO public"),
    ("duckdb", "SELECT * FROM read_csv('/etc/passwd')"),
    ("duckdb", "SELECT * FROM '/etc/passwd'"),
    ("duckdb", "COPY (SELECT 1) TO '/tmp/x.csv'"),
    ("duckdb", "ATTACH '/tmp/other.duckdb' AS other"),
    ("duckdb", "INSTALL httpfs"),
    ("duckdb", "PRAGMA database_list"),
    ("duckdb", "SELECT 1; SELECT 2"),
    ("duckdb", "this is not sql"),
    ("duckdb", ""),
    # SQL Server needs no separator: these are two statements there, an alias to sqlglot.
    ("tsql", "SELECT SalesAmount FROM dbo.FactInternetSales\nSHUTDOWN"),
    ("tsql", "SELECT 1 DELETE FROM dbo.FactInternetSales"),
    ("tsql", "SELECT SalesAmount FROM dbo.FactInternetSales EXEC('DROP TABLE x')"),
    # A declared schema and table, but in another database.
    ("tsql", "SELECT * FROM master.dbo.FactInternetSales"),
    ("duckdb", "SELECT * FROM other.dbo.FactInternetSales"),
    # A CTE's name outside its scope: DuckDB reads the file of that name.
    (
        "duckdb",
        'SELECT * FROM "/tmp/x.csv" '
        'WHERE EXISTS (WITH "/tmp/x.csv" AS (SELECT 1 AS a) SELECT a FROM "/tmp/x.csv")',
    ),
    (
        "duckdb",
        'WITH a AS (SELECT * FROM "/tmp/x.csv"), "/tmp/x.csv" AS (SELECT 1) SELECT * FROM a',
    ),
    ("duckdb", 'WITH "/tmp/x.csv" AS (SELECT * FROM "/tmp/x.csv") SELECT * FROM "/tmp/x.csv"'),
]

ALLOWED = [
    ("tsql", "SELECT 1"),
    ("tsql", "SELECT TOP 5 SalesAmount FROM dbo.FactInternetSales WHERE OrderDateKey > @p"),
    ("tsql", "SELECT 1 /* ; DROP TABLE x */"),
    (
        "tsql",
        "WITH c AS (SELECT SalesAmount FROM dbo.FactInternetSales) SELECT sum(SalesAmount) FROM c",
    ),
    ("tsql", "SELECT 1 AS a UNION ALL SELECT 2 UNION SELECT 3"),
    (
        "mssql",
        "SELECT [Quantity] FROM [Fact].[Sale] "
        "WHERE [Description] LIKE 'a%%' AND [Quantity] > %(q)s",
    ),
    ("duckdb", 'SELECT "Quantity On Hand" FROM "Fact"."Stock Holding" WHERE "Stock Item Key" = $1'),
    ("duckdb", "SELECT count(*) FROM dbo.FactInternetSales GROUP BY ROLLUP(CurrencyKey)"),
    ("tsql", "SELECT SalesAmount AS [Delete] FROM dbo.FactInternetSales AS [Exec]"),
    ("tsql", "WITH n AS (SELECT 1 AS i UNION ALL SELECT i + 1 FROM n WHERE i < 3) SELECT i FROM n"),
    (
        "duckdb",
        "WITH RECURSIVE n AS (SELECT 1 AS i UNION ALL SELECT i + 1 FROM n WHERE i < 3) "
        "SELECT i FROM n",
    ),
]


@pytest.mark.parametrize(("dialect", "sql"), ATTACKS)
def test_attacks_are_refused(dialect: str, sql: str) -> None:
    with pytest.raises(ReadOnlyViolation):
        ensure_read_only(sql, dialect, tables=TABLES)


@pytest.mark.parametrize(("dialect", "sql"), ALLOWED)
def test_plain_selects_pass(dialect: str, sql: str) -> None:
    ensure_read_only(sql, dialect, tables=TABLES)


def test_unknown_dialect_is_refused() -> None:
    with pytest.raises(ReadOnlyViolation, match="no read-only rules"):
        ensure_read_only("SELECT 1", "oracle")


def test_engine_guard_stops_statements_before_they_reach_the_database(tmp_path: object) -> None:
    path = f"{tmp_path}/w.duckdb"
    with duckdb.connect(path) as con:
        con.execute("CREATE SCHEMA dbo; CREATE TABLE dbo.FactInternetSales (SalesAmount INT)")
        con.execute("INSERT INTO dbo.FactInternetSales VALUES (5)")
    metadata = sa.MetaData()
    sa.Table("FactInternetSales", metadata, sa.Column("SalesAmount", sa.Integer), schema="dbo")
    engine = sa.create_engine(f"duckdb:///{path}")
    install_guard(engine, metadata)
    with engine.connect() as connection:
        assert (
            connection.execute(sa.text("SELECT SalesAmount FROM dbo.FactInternetSales")).scalar()
            == 5
        )
        with pytest.raises(ReadOnlyViolation):
            connection.execute(sa.text("DELETE FROM dbo.FactInternetSales"))
        with pytest.raises(ReadOnlyViolation):
            connection.exec_driver_sql("SELECT 1; DROP TABLE dbo.FactInternetSales")
    engine.dispose()
    with duckdb.connect(path) as con:
        assert con.execute("SELECT count(*) FROM dbo.FactInternetSales").fetchone() == (1,)


def test_engine_guard_parses_a_passing_text_once_and_refuses_a_failing_one_every_time(
    tmp_path: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = f"{tmp_path}/w.duckdb"
    with duckdb.connect(path) as con:
        con.execute("CREATE SCHEMA dbo; CREATE TABLE dbo.FactInternetSales (SalesAmount INT)")
    metadata = sa.MetaData()
    sa.Table("FactInternetSales", metadata, sa.Column("SalesAmount", sa.Integer), schema="dbo")
    engine = sa.create_engine(f"duckdb:///{path}")
    install_guard(engine, metadata)
    parsed: list[str] = []
    real = guard_module.ensure_read_only

    def counting(sql: str, dialect: str, **kwargs: object) -> None:
        parsed.append(sql)
        real(sql, dialect, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(guard_module, "ensure_read_only", counting)
    guard_module._passed_before.cache_clear()
    select = sa.text("SELECT count(*) FROM dbo.FactInternetSales WHERE SalesAmount > :floor")
    with engine.connect() as connection:
        for floor in range(5):
            connection.execute(select, {"floor": floor})
        for _ in range(3):
            with pytest.raises(ReadOnlyViolation):
                connection.execute(sa.text("DELETE FROM dbo.FactInternetSales"))
    engine.dispose()
    assert len([sql for sql in parsed if sql.startswith("SELECT")]) == 1
    assert len([sql for sql in parsed if sql.startswith("DELETE")]) == 3
