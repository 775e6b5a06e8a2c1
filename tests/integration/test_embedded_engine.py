"""The embedded, read-only DuckDB engines run each statement on its own: a view's call sends
DuckDB no BEGIN or ROLLBACK (about half a millisecond a call), and still gets its rows."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
import sqlalchemy as sa
from duckdb_engine import ConnectionWrapper

from otelbi.aw.sales_kpis import sales_kpis
from otelbi.domains import Domain
from otelbi.settings import WarehouseSettings
from otelbi.warehouse.column_types import Money
from otelbi.warehouse.engines import create_warehouse_engine


def test_a_view_call_sends_duckdb_no_transaction(
    generated_warehouses: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []
    for name in ("begin", "commit", "rollback"):
        monkeypatch.setattr(
            ConnectionWrapper,
            name,
            lambda self, name=name: calls.append(name),
            raising=False,
        )
    settings = WarehouseSettings(_env_file=None, data_dir=generated_warehouses)
    engine = create_warehouse_engine(Domain.AW, settings)
    try:
        for _ in range(2):  # a fresh connection, then one back from the pool
            with engine.connect() as connection:
                kpis = sales_kpis(connection, days_back=365)
                assert kpis is not None
                assert kpis.total.revenue > 0
    finally:
        engine.dispose()
    assert calls == []


def test_decimals_pass_through_exactly(generated_warehouses: Path) -> None:
    """DuckDB's Decimals reach the views as read, as SQL Server's driver hands them over;
    SQLAlchemy used to turn each into a float and back, which kept 15 significant digits."""
    money = sa.cast(sa.literal("123456789012345.6789"), Money())
    settings = WarehouseSettings(_env_file=None, data_dir=generated_warehouses)
    engine = create_warehouse_engine(Domain.AW, settings)
    try:
        with engine.connect() as connection:
            value = connection.execute(sa.select(money.label("amount"))).scalar_one()
    finally:
        engine.dispose()
    assert value == Decimal("123456789012345.6789")
    assert isinstance(value, Decimal)
