"""SQL Server connections are always read-only intent, encrypted, and verify the certificate
unless told otherwise."""

from __future__ import annotations

import pytest

from otelbi.domains import Domain
from otelbi.settings import WarehouseSettings
from otelbi.warehouse.engines import create_warehouse_engine, mssql_url
from otelbi.warehouse.guard import ReadOnlyViolation


def test_unset_server_means_the_embedded_warehouse() -> None:
    assert mssql_url(Domain.AW, WarehouseSettings(_env_file=None)) is None


def test_url_carries_read_only_intent_and_encryption(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AW_MSSQL_SERVER", "sql.example.internal,1444")
    monkeypatch.setenv("AW_MSSQL_USERNAME", "bi_reader")
    monkeypatch.setenv("AW_MSSQL_PASSWORD", "p@ss;word")
    url = mssql_url(Domain.AW, WarehouseSettings(_env_file=None))
    assert url is not None
    assert url.drivername == "mssql+mssqlpython"
    assert (url.host, url.port, url.database) == (
        "sql.example.internal",
        1444,
        "AdventureWorksDW2022",
    )
    assert url.password == "p@ss;word"
    assert url.query == {
        "ApplicationIntent": "ReadOnly",
        "Encrypt": "yes",
        "TrustServerCertificate": "no",
    }


def test_trust_server_certificate_only_when_configured(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WWI_MSSQL_SERVER", "sql")
    monkeypatch.setenv("MSSQL_TRUST_SERVER_CERTIFICATE", "true")
    url = mssql_url(Domain.WWI, WarehouseSettings(_env_file=None))
    assert url is not None
    assert url.database == "WideWorldImportersDW"
    assert url.query["TrustServerCertificate"] == "yes"
    assert url.query["ApplicationIntent"] == "ReadOnly"


def test_sql_server_engine_is_guarded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AW_MSSQL_SERVER", "127.0.0.1")
    engine = create_warehouse_engine(Domain.AW, WarehouseSettings(_env_file=None))
    assert engine.dialect.name == "mssql"
    listeners = list(engine.dispatch.before_cursor_execute)
    assert len(listeners) == 1
    select = "SELECT TOP 1 [SalesAmount] FROM [dbo].[FactInternetSales] WHERE [ProductKey] = %(p)s"
    listeners[0](None, None, select, {}, None, False)
    with pytest.raises(ReadOnlyViolation):
        listeners[0](None, None, "DELETE FROM [dbo].[FactInternetSales]", {}, None, False)
