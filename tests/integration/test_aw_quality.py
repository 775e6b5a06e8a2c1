"""The AdventureWorks data-quality checks pass on the real extract and catch the corruptions
a test makes in a copy of it: an orphan key, a duplicated order line, a wrong amount and a
ship date before its order date."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import duckdb
import pytest

from otelbi.aw.quality_checks import AW_QUALITY
from otelbi.domains import Domain
from otelbi.quality.checks import Severity
from otelbi.quality.runner import QualityReport
from otelbi.settings import WarehouseSettings
from otelbi.warehouse.engines import create_warehouse_engine, duckdb_path

LAST_ORDER = {
    "aw.fact_internet_sales.freshness": dt.date(2014, 1, 28),
    "aw.fact_reseller_sales.freshness": dt.date(2013, 11, 29),
}
FACTS = {"FactInternetSales": "fact_internet_sales", "FactResellerSales": "fact_reseller_sales"}
FIRST_LINE = (
    '"SalesOrderNumber" = (SELECT min("SalesOrderNumber") FROM dbo."{fact}") '
    'AND "SalesOrderLineNumber" = 1'
)
CORRUPTIONS = {
    "orphan_product_key": (
        'UPDATE dbo."{fact}" SET "ProductKey" = 999999 WHERE {line}',
        {"orphan_product_key"},
    ),
    "duplicate_line": (
        'INSERT INTO dbo."{fact}" SELECT * FROM dbo."{fact}" WHERE {line}',
        {"duplicate_order_lines"},
    ),
    "wrong_sales_amount": (
        'UPDATE dbo."{fact}" SET "SalesAmount" = "SalesAmount" + 0.02 WHERE {line}',
        {"amount_identity"},
    ),
    "half_cent_drift": (
        'UPDATE dbo."{fact}" SET "SalesAmount" = "SalesAmount" + 0.005 WHERE {line}',
        set(),
    ),
    "ship_before_order": (
        'UPDATE dbo."{fact}" SET "ShipDate" = "OrderDate" - INTERVAL 1 DAY WHERE {line}',
        {"date_order"},
    ),
}


def check_warehouse(data_dir: Path, *, today: dt.date, max_days: int = 2) -> QualityReport:
    engine = create_warehouse_engine(
        Domain.AW, WarehouseSettings(_env_file=None, data_dir=data_dir)
    )
    try:
        with engine.connect() as connection:
            return AW_QUALITY.run(connection, freshness_max_days=max_days, today=today)
    finally:
        engine.dispose()


def test_every_error_check_passes_on_the_real_data_and_freshness_warns(
    real_aw_warehouse: Path,
) -> None:
    today = dt.datetime.now(dt.UTC).date()

    report = check_warehouse(real_aw_warehouse, today=today)

    assert [r.name for r in report.results] == [c.name for c in AW_QUALITY.checks]
    assert len(report.results) == 41
    assert report.failed_errors == ()
    assert all(r.error is None for r in report.results)
    assert {r.name: r.observed for r in report.warnings} == {
        name: (today - last).days for name, last in LAST_ORDER.items()
    }
    by_name = {r.name: r for r in report.results}
    assert by_name["aw.fact_internet_sales.row_count"].observed == 60_398
    assert by_name["aw.fact_sales_quota.row_count"].observed == 163
    assert by_name["aw.fact_reseller_sales.orphan_employee_key"].observed == 0
    assert report.as_details()["errors_failed"] == 0
    assert report.as_details()["warnings"] == 2


def test_freshness_measures_days_to_the_given_date_against_the_given_threshold(
    real_aw_warehouse: Path,
) -> None:
    report = check_warehouse(real_aw_warehouse, today=dt.date(2014, 1, 30), max_days=2)

    freshness = {r.name: r for r in report.results if r.name in LAST_ORDER}
    assert {name: (r.observed, r.passed, r.threshold) for name, r in freshness.items()} == {
        "aw.fact_internet_sales.freshness": (2, True, 2),
        "aw.fact_reseller_sales.freshness": (62, False, 2),
    }
    assert all(check.severity is Severity.WARNING for check in AW_QUALITY.freshness)
    assert report.failed_errors == ()


@pytest.mark.parametrize("fact", FACTS)
@pytest.mark.parametrize("corruption", CORRUPTIONS)
def test_a_corrupted_copy_fails_exactly_the_check_that_covers_it(
    real_aw_warehouse: Path, tmp_path: Path, fact: str, corruption: str
) -> None:
    copy = duckdb_path(Domain.AW, tmp_path)
    copy.parent.mkdir(parents=True)
    shutil.copyfile(duckdb_path(Domain.AW, real_aw_warehouse), copy)
    sql, failing = CORRUPTIONS[corruption]
    with duckdb.connect(str(copy)) as con:
        con.execute(sql.format(fact=fact, line=FIRST_LINE.format(fact=fact)))

    report = check_warehouse(tmp_path, today=dt.date(2014, 1, 29), max_days=3650)

    failed = {r.name: r.observed for r in report.results if not r.passed}
    assert failed == {f"aw.{FACTS[fact]}.{what}": 1 for what in failing}
