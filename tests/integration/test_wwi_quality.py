"""The WideWorldImporters data-quality checks pass on the real extract (missing tables
generated) and catch the corruptions a test makes in a copy of it: an orphan key, a broken
tax identity, a line received beyond its order and a current stock item without a holding;
NULL and Unknown (0) keys where the warehouse allows them are not reported."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import duckdb
import pytest

from otelbi.domains import Domain
from otelbi.quality.checks import Severity
from otelbi.quality.runner import QualityReport
from otelbi.settings import WarehouseSettings
from otelbi.warehouse.catalog import all_statements
from otelbi.warehouse.engines import create_warehouse_engine, duckdb_path
from otelbi.warehouse.importer import import_warehouse
from otelbi.wwi.quality_checks import WWI_QUALITY
from tests.conftest import WWI_EXTRACT

LAST_DATE = dt.date(2016, 5, 31)
"""The last Sale invoice date (generated) and Purchase date (real)."""
FRESHNESS = ("wwi.sale.freshness", "wwi.purchase.freshness")


def _first(table: str, key: str) -> str:
    return f'"{key}" = (SELECT min("{key}") FROM "Fact"."{table}")'


FIRST_SALE = _first("Sale", "Sale Key")
FIRST_ORDER = _first("Order", "Order Key")
FIRST_TRANSACTION = _first("Transaction", "Transaction Key")
FIRST_PURCHASE = _first("Purchase", "Purchase Key")
FIRST_HOLDING = _first("Stock Holding", "Stock Holding Key")

CORRUPTIONS: dict[str, tuple[str, dict[str, int]]] = {
    "sale_orphan_stock_item": (
        f'UPDATE "Fact"."Sale" SET "Stock Item Key" = 999999 WHERE {FIRST_SALE}',
        {"wwi.sale.orphan_stock_item_key": 1},
    ),
    "sale_tax_broken": (
        'UPDATE "Fact"."Sale" SET "Total Including Tax" = "Total Including Tax" + 0.02 '
        f"WHERE {FIRST_SALE}",
        {"wwi.sale.tax_identity": 1},
    ),
    "order_tax_broken": (
        f'UPDATE "Fact"."Order" SET "Tax Amount" = "Tax Amount" + 1 WHERE {FIRST_ORDER}',
        {"wwi.order.tax_identity": 1},
    ),
    "transaction_tax_broken": (
        'UPDATE "Fact"."Transaction" SET "Total Excluding Tax" = "Total Excluding Tax" - 0.05 '
        f"WHERE {FIRST_TRANSACTION}",
        {"wwi.transaction.tax_identity": 1},
    ),
    "sale_one_cent_rounding": (
        'UPDATE "Fact"."Sale" SET "Total Including Tax" = "Total Including Tax" + 0.01 '
        f"WHERE {FIRST_SALE}",
        {},
    ),
    "received_over_ordered": (
        'UPDATE "Fact"."Purchase" SET "Received Outers" = "Ordered Outers" + 1 '
        f"WHERE {FIRST_PURCHASE}",
        {"wwi.purchase.received_over_ordered": 1},
    ),
    "current_holding_deleted": (
        f'DELETE FROM "Fact"."Stock Holding" WHERE {FIRST_HOLDING}',
        {"wwi.stock_item.current_without_stock_holding": 1},
    ),
    # The holding's key still exists (no orphan), but it is not the current version's.
    "holding_under_an_old_version": (
        'UPDATE "Fact"."Stock Holding" AS h SET "Stock Item Key" = ('
        'SELECT min(v."Stock Item Key") FROM "Dimension"."Stock Item" AS v '
        'JOIN "Dimension"."Stock Item" AS c ON c."WWI Stock Item ID" = v."WWI Stock Item ID" '
        f'WHERE c."Stock Item Key" = h."Stock Item Key") WHERE h.{FIRST_HOLDING}',
        {"wwi.stock_item.current_without_stock_holding": 1},
    ),
    "sale_undelivered": (
        f'UPDATE "Fact"."Sale" SET "Delivery Date Key" = NULL WHERE {FIRST_SALE}',
        {},
    ),
    "sale_delivered_outside_the_calendar": (
        f'UPDATE "Fact"."Sale" SET "Delivery Date Key" = DATE \'2030-01-01\' WHERE {FIRST_SALE}',
        {"wwi.sale.orphan_delivery_date_key": 1},
    ),
    "sale_of_the_unknown_stock_item": (
        f'UPDATE "Fact"."Sale" SET "Stock Item Key" = 0 WHERE {FIRST_SALE}',
        {},
    ),
    "order_unpicked": (
        'UPDATE "Fact"."Order" SET "Picker Key" = NULL, "Picked Date Key" = NULL '
        f"WHERE {FIRST_ORDER}",
        {},
    ),
    "order_picked_by_a_stranger": (
        f'UPDATE "Fact"."Order" SET "Picker Key" = 999999 WHERE {FIRST_ORDER}',
        {"wwi.order.orphan_picker_key": 1},
    ),
    "transaction_without_payment_method": (
        f'UPDATE "Fact"."Transaction" SET "Payment Method Key" = NULL WHERE {FIRST_TRANSACTION}',
        {},
    ),
    "transaction_unknown_payment_method": (
        f'UPDATE "Fact"."Transaction" SET "Payment Method Key" = 99 WHERE {FIRST_TRANSACTION}',
        {"wwi.transaction.orphan_payment_method_key": 1},
    ),
}


@pytest.fixture(scope="module")
def real_wwi_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return a DATA_DIR whose WWI warehouse is the real extract, missing tables generated."""
    data_dir = tmp_path_factory.mktemp("real_wwi")
    import_warehouse(
        Domain.WWI, duckdb_path(Domain.WWI, data_dir), WWI_EXTRACT, fill_missing=True, scale=0.05
    )
    return data_dir


def check_warehouse(data_dir: Path, *, today: dt.date, max_days: int = 2) -> QualityReport:
    engine = create_warehouse_engine(
        Domain.WWI, WarehouseSettings(_env_file=None, data_dir=data_dir)
    )
    try:
        with engine.connect() as connection:
            return WWI_QUALITY.run(connection, freshness_max_days=max_days, today=today)
    finally:
        engine.dispose()


def test_every_check_runs_its_own_wwi_quality_statement() -> None:
    statements = [check.statement.name for check in WWI_QUALITY.checks]
    assert all(name.startswith("wwi.quality.") for name in statements)
    assert len(set(statements)) == len(statements) == 50
    assert set(statements) <= {statement.name for statement in all_statements()}
    assert {c.name for c in WWI_QUALITY.checks if c.severity is Severity.WARNING} == set(FRESHNESS)


def test_every_error_check_passes_on_the_real_data_and_freshness_warns(
    real_wwi_warehouse: Path,
) -> None:
    today = dt.datetime.now(dt.UTC).date()

    report = check_warehouse(real_wwi_warehouse, today=today)

    assert [r.name for r in report.results] == [c.name for c in WWI_QUALITY.checks]
    assert report.failed_errors == ()
    assert all(r.error is None for r in report.results)
    days_since = (today - LAST_DATE).days
    assert {r.name: r.observed for r in report.warnings} == dict.fromkeys(FRESHNESS, days_since)
    by_name = {r.name: r for r in report.results}
    assert by_name["wwi.purchase.row_count"].observed == 8_367
    assert by_name["wwi.stock_holding.row_count"].observed == 227
    assert by_name["wwi.stock_item.row_count"].observed == 672
    assert by_name["wwi.stock_item.current_without_stock_holding"].observed == 0
    assert by_name["wwi.purchase.received_over_ordered"].observed == 0
    assert report.as_details()["errors_failed"] == 0
    assert report.as_details()["warnings"] == 2


def test_freshness_measures_days_to_the_given_date_against_the_given_threshold(
    real_wwi_warehouse: Path,
) -> None:
    def freshness(report: QualityReport) -> dict[str, tuple[object, ...]]:
        return {
            r.name: (r.observed, r.passed, r.threshold)
            for r in report.results
            if r.name in FRESHNESS
        }

    within = check_warehouse(real_wwi_warehouse, today=dt.date(2016, 6, 2), max_days=2)
    past = check_warehouse(real_wwi_warehouse, today=dt.date(2016, 6, 2), max_days=1)

    assert freshness(within) == dict.fromkeys(FRESHNESS, (2, True, 2))
    assert freshness(past) == dict.fromkeys(FRESHNESS, (2, False, 1))
    assert all(check.severity is Severity.WARNING for check in WWI_QUALITY.freshness)
    assert past.failed_errors == ()
    assert [r.name for r in past.warnings] == list(FRESHNESS)


@pytest.mark.parametrize("corruption", CORRUPTIONS)
def test_a_corrupted_copy_fails_exactly_the_check_that_covers_it(
    real_wwi_warehouse: Path, tmp_path: Path, corruption: str
) -> None:
    copy = duckdb_path(Domain.WWI, tmp_path)
    copy.parent.mkdir(parents=True)
    shutil.copyfile(duckdb_path(Domain.WWI, real_wwi_warehouse), copy)
    sql, failing = CORRUPTIONS[corruption]
    with duckdb.connect(str(copy)) as con:
        con.execute(sql)

    report = check_warehouse(tmp_path, today=dt.date(2016, 6, 1), max_days=3650)

    assert {r.name: r.observed for r in report.results if not r.passed} == failing
    assert {r.name for r in report.failed_errors} == set(failing)
