"""The data-quality framework on small AdventureWorks-shaped DuckDB files the tests write:
each check shape passes on clean rows and fails on bad ones, and a failing query becomes a
failed result instead of stopping the run.

Checks are declared in the process-wide catalog, so each test declares its own under a
namespace of its own (the AW checks already hold the `aw` one).
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import duckdb
import pytest
import sqlalchemy as sa

from otelbi.domains import Domain
from otelbi.quality.checks import (
    Comparison,
    QualityCheck,
    Severity,
    declare_check,
    freshness,
    no_duplicates,
    no_null_or_orphan_key,
    row_count_above_zero,
    rows_violating,
    today_parameter,
)
from otelbi.quality.runner import QualityReport, run_checks
from otelbi.settings import WarehouseSettings
from otelbi.warehouse.aw_tables import (
    dim_currency,
    dim_product,
    dim_product_subcategory,
    dim_promotion,
    metadata,
)
from otelbi.warehouse.duckdb_file import create_tables
from otelbi.warehouse.engines import create_warehouse_engine, duckdb_path

Warehouse = Callable[..., sa.Engine]

SUBCATEGORY = (
    'INSERT INTO dbo."DimProductSubcategory" ("ProductSubcategoryKey", '
    '"EnglishProductSubcategoryName", "SpanishProductSubcategoryName", '
    "\"FrenchProductSubcategoryName\") VALUES (1, 'Road Bikes', 'Bicicleta', 'Vélo')"
)
CURRENCY = (
    'INSERT INTO dbo."DimCurrency" ("CurrencyKey", "CurrencyAlternateKey", "CurrencyName") '
    "VALUES (100, 'USD', 'US Dollar')"
)


def product(
    key: int,
    *,
    subcategory: int | None = 1,
    alternate_key: str | None = None,
    list_price: float | None = 10.0,
    finished: bool = True,
) -> str:
    values = ", ".join(
        "NULL" if value is None else repr(value)
        for value in (key, subcategory, alternate_key or f"P-{key}", list_price)
    )
    return (
        'INSERT INTO dbo."DimProduct" ("ProductKey", "ProductSubcategoryKey", '
        '"ProductAlternateKey", "ListPrice", "EnglishProductName", "SpanishProductName", '
        f'"FrenchProductName", "FinishedGoodsFlag", "Color") VALUES ({values}, '
        f"'Bike {key}', 'Bici', 'Vélo', {str(finished).upper()}, 'Red')"
    )


def promotion(key: int, start: str) -> str:
    return (
        f'INSERT INTO dbo."DimPromotion" ("PromotionKey", "StartDate") VALUES ({key}, '
        f"TIMESTAMP '{start}')"
    )


@pytest.fixture
def namespace() -> str:
    return f"t{uuid.uuid4().hex[:12]}"


@pytest.fixture
def warehouse(tmp_path: Path) -> Iterator[Warehouse]:
    """Yield a builder: SQL statements in, a guarded read-only engine over the result out."""
    engines: list[sa.Engine] = []

    def build(*statements: str) -> sa.Engine:
        data_dir = tmp_path / f"data{len(engines)}"
        path = duckdb_path(Domain.AW, data_dir)
        path.parent.mkdir(parents=True)
        with duckdb.connect(str(path)) as con:
            create_tables(con, metadata)
            for statement in statements:
                con.execute(statement)
        engine = create_warehouse_engine(
            Domain.AW, WarehouseSettings(_env_file=None, data_dir=data_dir)
        )
        engines.append(engine)
        return engine

    yield build
    for engine in engines:
        engine.dispose()


def run(engine: sa.Engine, *checks: QualityCheck, today: dt.date | None = None) -> QualityReport:
    with engine.connect() as connection:
        return run_checks(connection, checks, today=today)


def test_check_and_statement_names_follow_the_table_and_namespace(namespace: str) -> None:
    check = no_null_or_orphan_key(
        dim_product,
        "ProductSubcategoryKey",
        dim_product_subcategory,
        "ProductSubcategoryKey",
        namespace=namespace,
    )
    assert check.name == f"{namespace}.dim_product.orphan_product_subcategory_key"
    assert check.statement.name == f"{namespace}.quality.dim_product.orphan_product_subcategory_key"
    assert check.statement.domain is Domain.AW
    assert (check.severity, check.comparison, check.threshold) == (
        Severity.ERROR,
        Comparison.AT_MOST,
        0,
    )


def test_row_count_above_zero(warehouse: Warehouse, namespace: str) -> None:
    check = row_count_above_zero(dim_currency, namespace=namespace)
    empty, filled = run(warehouse(), check), run(warehouse(CURRENCY), check)
    assert (empty.results[0].passed, empty.results[0].observed) == (False, 0)
    assert (filled.results[0].passed, filled.results[0].observed) == (True, 1)
    assert filled.results[0].comparison is Comparison.AT_LEAST
    assert filled.results[0].threshold == 1


def test_no_null_or_orphan_key_counts_null_and_unknown_keys(
    warehouse: Warehouse, namespace: str
) -> None:
    check = no_null_or_orphan_key(
        dim_product,
        "ProductSubcategoryKey",
        dim_product_subcategory,
        "ProductSubcategoryKey",
        namespace=namespace,
    )
    clean = warehouse(SUBCATEGORY, product(1), product(2))
    broken = warehouse(
        SUBCATEGORY, product(1), product(2, subcategory=99), product(3, subcategory=None)
    )
    clean_result = run(clean, check).results[0]
    assert (clean_result.passed, clean_result.observed) == (True, 0)
    result = run(broken, check).results[0]
    assert (result.passed, result.observed, result.error) == (False, 2, None)


def test_no_null_or_orphan_key_can_look_at_some_rows_only(
    warehouse: Warehouse, namespace: str
) -> None:
    check = no_null_or_orphan_key(
        dim_product,
        "ProductSubcategoryKey",
        dim_product_subcategory,
        "ProductSubcategoryKey",
        where=dim_product.c.FinishedGoodsFlag.is_(True),
        name="finished_goods_without_subcategory",
        namespace=namespace,
    )
    engine = warehouse(
        SUBCATEGORY,
        product(1),
        product(2, subcategory=None, finished=False),
        product(3, subcategory=None),
    )
    result = run(engine, check).results[0]
    assert result.name == f"{namespace}.dim_product.finished_goods_without_subcategory"
    assert (result.passed, result.observed) == (False, 1)


def test_no_duplicates_counts_the_rows_beyond_the_first_of_each_key(
    warehouse: Warehouse, namespace: str
) -> None:
    check = no_duplicates(dim_product, ["ProductAlternateKey"], namespace=namespace)
    assert check.name == f"{namespace}.dim_product.duplicate_product_alternate_key"
    clean = warehouse(product(1), product(2))
    broken = warehouse(
        product(1, alternate_key="A"),
        product(2, alternate_key="A"),
        product(3, alternate_key="A"),
        product(4, alternate_key="B"),
        product(5, alternate_key="B"),
        product(6, alternate_key="C"),
    )
    clean_result = run(clean, check).results[0]
    assert (clean_result.passed, clean_result.observed) == (True, 0)
    result = run(broken, check).results[0]
    assert (result.passed, result.observed) == (False, 3)


def test_rows_violating_counts_rows_where_the_condition_holds(
    warehouse: Warehouse, namespace: str
) -> None:
    check = rows_violating(
        "negative_list_price",
        dim_product,
        dim_product.c.ListPrice < 0,
        description="list prices are not negative",
        namespace=namespace,
    )
    clean = warehouse(product(1), product(2, list_price=None))
    broken = warehouse(product(1), product(2, list_price=-1.0), product(3, list_price=None))
    assert run(clean, check).results[0].passed
    result = run(broken, check).results[0]
    assert (result.passed, result.observed, result.description) == (
        False,
        1,
        "list prices are not negative",
    )


def test_a_condition_may_compare_with_the_run_date(warehouse: Warehouse, namespace: str) -> None:
    check = rows_violating(
        "starts_in_the_future",
        dim_promotion,
        dim_promotion.c.StartDate > sa.bindparam("today", type_=sa.Date()),
        description="no promotion starts after today",
        severity=Severity.WARNING,
        parameters=today_parameter,
        namespace=namespace,
    )
    engine = warehouse(promotion(1, "2024-01-01 00:00:00"), promotion(2, "2024-06-01 00:00:00"))
    assert run(engine, check, today=dt.date(2024, 7, 1)).results[0].passed
    result = run(engine, check, today=dt.date(2024, 3, 1)).results[0]
    assert (result.passed, result.observed, result.severity) == (False, 1, Severity.WARNING)


def test_freshness_observes_days_to_the_run_date_and_warns_past_the_threshold(
    warehouse: Warehouse, namespace: str
) -> None:
    check = freshness(dim_promotion, "StartDate", 2, namespace=namespace)
    assert check.severity is Severity.WARNING
    engine = warehouse(promotion(1, "2024-02-20 08:00:00"), promotion(2, "2024-03-01 23:30:00"))

    fresh = run(engine, check, today=dt.date(2024, 3, 3))
    assert (fresh.results[0].passed, fresh.results[0].observed) == (True, 2)
    stale = run(engine, check, today=dt.date(2024, 3, 4))
    assert (stale.results[0].passed, stale.results[0].observed) == (False, 3)
    assert [r.name for r in stale.warnings] == [check.name]
    assert stale.failed_errors == ()


def test_freshness_of_an_empty_table_fails_with_a_reason(
    warehouse: Warehouse, namespace: str
) -> None:
    result = run(warehouse(), freshness(dim_promotion, "StartDate", 2, namespace=namespace))
    assert (result.results[0].passed, result.results[0].observed) == (False, None)
    assert "NULL" in (result.results[0].error or "")


@pytest.mark.parametrize(
    ("comparison", "observed", "threshold", "holds"),
    [
        (Comparison.AT_MOST, 3, 3, True),
        (Comparison.AT_MOST, 4, 3, False),
        (Comparison.AT_LEAST, 1, 1, True),
        (Comparison.AT_LEAST, 0, 1, False),
        (Comparison.EQUAL, 2, 2, True),
        (Comparison.EQUAL, 2.5, 2, False),
    ],
)
def test_comparison_semantics(
    comparison: Comparison, observed: float, threshold: int, holds: bool
) -> None:
    assert comparison.holds(observed, threshold) is holds


def test_a_declared_check_with_its_own_query_and_comparison(
    warehouse: Warehouse, namespace: str
) -> None:
    check = declare_check(
        Domain.AW,
        f"{namespace}.dim_product.two_finished_goods",
        sa.select(sa.func.count(dim_product.c.ProductKey).label("observed")).where(
            dim_product.c.FinishedGoodsFlag.is_(True)
        ),
        description="exactly two finished goods",
        comparison=Comparison.EQUAL,
        threshold=2,
    )
    assert run(warehouse(product(1), product(2)), check).results[0].passed
    assert not run(warehouse(product(1)), check).results[0].passed


def test_a_query_must_select_observed_and_a_table_must_be_declared(namespace: str) -> None:
    with pytest.raises(ValueError, match="observed"):
        declare_check(
            Domain.AW,
            f"{namespace}.dim_product.wrong",
            sa.select(sa.func.count(dim_product.c.ProductKey).label("rows")),
            description="selects the wrong label",
        )
    stray = sa.Table("Stray", sa.MetaData(), sa.Column("Key", sa.Integer(), primary_key=True))
    with pytest.raises(ValueError, match="not a declared warehouse table"):
        row_count_above_zero(stray, namespace=namespace)


def test_a_failing_query_becomes_a_failed_result_and_the_run_goes_on(
    warehouse: Warehouse, namespace: str
) -> None:
    engine = warehouse(CURRENCY, product(1), 'DROP TABLE dbo."DimCurrency"')
    currencies = row_count_above_zero(dim_currency, namespace=namespace)
    products = row_count_above_zero(dim_product, namespace=namespace)

    report = run(engine, currencies, products)

    failed, passed = report.results
    assert (failed.passed, failed.observed) == (False, None)
    assert "DimCurrency" in (failed.error or "")
    assert (passed.passed, passed.observed, passed.error) == (True, 1, None)
    assert report.failed_errors == (failed,)


def test_as_details_is_json_ready(warehouse: Warehouse, namespace: str) -> None:
    checks = (
        row_count_above_zero(dim_currency, namespace=namespace),
        row_count_above_zero(dim_product, namespace=namespace),
        freshness(dim_promotion, "StartDate", 2, namespace=namespace),
    )
    engine = warehouse(product(1), promotion(1, "2024-01-01 00:00:00"))

    details = run(engine, *checks, today=dt.date(2024, 1, 10)).as_details()

    assert json.loads(json.dumps(details)) == details
    assert (details["errors_failed"], details["warnings"]) == (1, 1)
    assert details["checks"][0] == {
        "name": f"{namespace}.dim_currency.row_count",
        "severity": "error",
        "passed": False,
        "observed": 0,
        "threshold": 1,
        "comparison": ">=",
        "description": "DimCurrency holds at least one row",
        "error": None,
    }
    assert details["checks"][2]["observed"] == 9
    assert details["checks"][2]["severity"] == "warning"
