"""The AdventureWorksDW generator: deterministic, consistent, shaped like the real warehouse.

Every test reads real DuckDB files built with `duckdb_file.create_tables`. Shape checks that
need the full volume (near-daily internet orders, margins, quota attainment) use one file at
scale 1; the rest use small scales.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from pathlib import Path
from typing import Any

import duckdb
import pytest
import sqlalchemy as sa

from otelbi.warehouse import aw_tables
from otelbi.warehouse.column_types import Money, TinyInt, VarBinaryMax
from otelbi.warehouse.duckdb_file import create_tables
from otelbi.warehouse.generator.aw import generate_aw

TABLES = list(aw_tables.metadata.tables.values())
FACTS = {"dbo.FactInternetSales", "dbo.FactResellerSales", "dbo.FactSalesQuota"}
DIMENSIONS = {t.fullname for t in TABLES} - FACTS
SMALL = 0.02
REAL_DIMENSION_ROWS = {
    "dbo.DimDate": 3652,
    "dbo.DimProduct": 606,
    "dbo.DimProductSubcategory": 37,
    "dbo.DimProductCategory": 4,
    "dbo.DimEmployee": 296,
    "dbo.DimSalesTerritory": 11,
    "dbo.DimGeography": 655,
    "dbo.DimCurrency": 105,
    "dbo.DimPromotion": 16,
}
SALES_REPS = {272, *range(281, 297)}
QUOTA_DATE_KEYS = {
    20101229, 20110331, 20110701, 20110929, 20111229, 20120330,
    20120630, 20120928, 20121228, 20130330, 20130630, 20130929,
}  # fmt: skip

# (table, key column, referenced table, referenced key) for every key relationship
KEYS = [
    *(
        (fact, column, target, target_key)
        for fact in ("FactInternetSales", "FactResellerSales")
        for column, target, target_key in [
            ("ProductKey", "DimProduct", "ProductKey"),
            ("OrderDateKey", "DimDate", "DateKey"),
            ("DueDateKey", "DimDate", "DateKey"),
            ("ShipDateKey", "DimDate", "DateKey"),
            ("PromotionKey", "DimPromotion", "PromotionKey"),
            ("CurrencyKey", "DimCurrency", "CurrencyKey"),
            ("SalesTerritoryKey", "DimSalesTerritory", "SalesTerritoryKey"),
        ]
    ),
    ("FactInternetSales", "CustomerKey", "DimCustomer", "CustomerKey"),
    ("FactResellerSales", "ResellerKey", "DimReseller", "ResellerKey"),
    ("FactResellerSales", "EmployeeKey", "DimEmployee", "EmployeeKey"),
    ("FactSalesQuota", "EmployeeKey", "DimEmployee", "EmployeeKey"),
    ("FactSalesQuota", "DateKey", "DimDate", "DateKey"),
    ("DimProduct", "ProductSubcategoryKey", "DimProductSubcategory", "ProductSubcategoryKey"),
    ("DimProductSubcategory", "ProductCategoryKey", "DimProductCategory", "ProductCategoryKey"),
    ("DimCustomer", "GeographyKey", "DimGeography", "GeographyKey"),
    ("DimReseller", "GeographyKey", "DimGeography", "GeographyKey"),
    ("DimGeography", "SalesTerritoryKey", "DimSalesTerritory", "SalesTerritoryKey"),
    ("DimEmployee", "ParentEmployeeKey", "DimEmployee", "EmployeeKey"),
    ("DimEmployee", "SalesTerritoryKey", "DimSalesTerritory", "SalesTerritoryKey"),
]


def build(
    path: Path, *, scale: float, seed: int = 7, only: Collection[str] | None = None
) -> dict[str, int]:
    """Generate into the DuckDB file at `path`, creating the tables if the file is new."""
    fresh = not path.exists()
    with duckdb.connect(str(path)) as con:
        if fresh:
            create_tables(con, aw_tables.metadata)
        return generate_aw(con, scale=scale, seed=seed, only=only)


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Iterator[duckdb.DuckDBPyConnection]:
    path = tmp_path_factory.mktemp("aw") / "small.duckdb"
    build(path, scale=0.05)
    with duckdb.connect(str(path), read_only=True) as con:
        yield con


@pytest.fixture(scope="module")
def full(tmp_path_factory: pytest.TempPathFactory) -> Iterator[duckdb.DuckDBPyConnection]:
    path = tmp_path_factory.mktemp("aw") / "full.duckdb"
    build(path, scale=1.0)
    with duckdb.connect(str(path), read_only=True) as con:
        yield con


def one(con: duckdb.DuckDBPyConnection, sql: str) -> Any:
    row = con.execute(sql).fetchone()
    assert row is not None
    return row[0] if len(row) == 1 else row


def checksums(path: Path) -> dict[str, tuple[int, str]]:
    """Return (rows, md5 of the sorted rows) per table."""
    with duckdb.connect(str(path), read_only=True) as con:
        return {
            table.fullname: one(
                con,
                "SELECT count(*), md5(coalesce(string_agg(CAST(t AS VARCHAR), chr(10)"
                f" ORDER BY CAST(t AS VARCHAR)), '')) FROM dbo.\"{table.name}\" AS t",
            )
            for table in TABLES
        }


def orphans(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    counts = {
        f"{table}.{column}": one(
            con,
            f'SELECT count(*) FROM dbo."{table}" AS f WHERE f."{column}" IS NOT NULL AND NOT'
            f' EXISTS (SELECT 1 FROM dbo."{target}" AS d WHERE d."{key}" = f."{column}")',
        )
        for table, column, target, key in KEYS
    }
    return {name: count for name, count in counts.items() if count}


def test_same_seed_and_scale_give_identical_tables(tmp_path: Path) -> None:
    build(tmp_path / "a.duckdb", scale=SMALL, seed=7)
    build(tmp_path / "b.duckdb", scale=SMALL, seed=7)
    build(tmp_path / "c.duckdb", scale=SMALL, seed=8)

    first, again, other = (checksums(tmp_path / f"{n}.duckdb") for n in "abc")

    assert first == again
    changed = {name for name in first if first[name] != other[name]}
    assert {"dbo.FactInternetSales", "dbo.FactResellerSales", "dbo.DimCustomer"} <= changed
    assert "dbo.DimDate" not in changed


def test_filling_dimensions_and_facts_separately_gives_the_same_tables(tmp_path: Path) -> None:
    build(tmp_path / "whole.duckdb", scale=SMALL)
    build(tmp_path / "parts.duckdb", scale=SMALL, only=DIMENSIONS)
    build(tmp_path / "parts.duckdb", scale=SMALL, only=FACTS)

    assert checksums(tmp_path / "whole.duckdb") == checksums(tmp_path / "parts.duckdb")


def test_scale_multiplies_facts_customers_and_resellers_only(tmp_path: Path) -> None:
    small_rows = build(tmp_path / "small.duckdb", scale=SMALL)
    large_rows = build(tmp_path / "large.duckdb", scale=4 * SMALL)

    for fact in ("dbo.FactInternetSales", "dbo.FactResellerSales"):
        assert 3.2 < large_rows[fact] / small_rows[fact] < 4.8, fact
    assert small_rows["dbo.DimCustomer"] == round(18_484 * SMALL)
    assert large_rows["dbo.DimReseller"] == round(701 * 4 * SMALL)
    for table, rows in REAL_DIMENSION_ROWS.items():
        assert small_rows[table] == large_rows[table] == rows, table


def test_full_scale_has_about_the_real_row_counts(full: duckdb.DuckDBPyConnection) -> None:
    assert 54_000 < one(full, "SELECT count(*) FROM dbo.FactInternetSales") < 66_000
    assert 55_000 < one(full, "SELECT count(*) FROM dbo.FactResellerSales") < 67_000
    assert one(full, "SELECT count(*) FROM dbo.DimCustomer") == 18_484
    assert one(full, "SELECT count(*) FROM dbo.DimReseller") == 701


@pytest.mark.parametrize("fact", ["FactInternetSales", "FactResellerSales"])
def test_sales_lines_obey_the_amount_and_date_identities(
    small: duckdb.DuckDBPyConnection, fact: str
) -> None:
    broken = one(
        small,
        f"""SELECT count(*) FILTER (WHERE ExtendedAmount <> UnitPrice * OrderQuantity),
            count(*) FILTER (WHERE abs(SalesAmount - (ExtendedAmount - DiscountAmount)) > 1e-6),
            count(*) FILTER (WHERE abs(DiscountAmount - ExtendedAmount * UnitPriceDiscountPct)
                             > 0.0001),
            count(*) FILTER (WHERE TotalProductCost <> ProductStandardCost * OrderQuantity),
            count(*) FILTER (WHERE abs(TaxAmt - 0.08 * SalesAmount) > 0.0001),
            count(*) FILTER (WHERE abs(Freight - 0.025 * SalesAmount) > 0.0001),
            count(*) FILTER (WHERE ShipDate <> OrderDate + INTERVAL 7 DAY
                             OR DueDate <> OrderDate + INTERVAL 12 DAY),
            count(*) FILTER (WHERE OrderDateKey <> CAST(strftime(OrderDate, '%Y%m%d') AS INT)
                             OR ShipDateKey <> CAST(strftime(ShipDate, '%Y%m%d') AS INT)
                             OR DueDateKey <> CAST(strftime(DueDate, '%Y%m%d') AS INT)),
            count(*)
        FROM dbo."{fact}" """,
    )
    *violations, rows = broken
    assert rows > 500
    assert violations == [0] * len(violations)


def test_no_fact_or_dimension_key_points_at_a_missing_row(
    small: duckdb.DuckDBPyConnection,
) -> None:
    assert orphans(small) == {}


def test_order_lines_are_unique_and_order_numbers_are_shared(
    small: duckdb.DuckDBPyConnection,
) -> None:
    for fact in ("FactInternetSales", "FactResellerSales"):
        duplicates, bad_numbers, gaps = one(
            small,
            f"""SELECT count(*) - count(DISTINCT (SalesOrderNumber, SalesOrderLineNumber)),
                count(*) FILTER (WHERE NOT regexp_full_match(SalesOrderNumber, 'SO[0-9]+')),
                (SELECT count(*) FROM (SELECT SalesOrderNumber FROM dbo."{fact}" GROUP BY 1
                 HAVING max(SalesOrderLineNumber) <> count(*)))
            FROM dbo."{fact}" """,
        )
        assert (duplicates, bad_numbers, gaps) == (0, 0, 0), fact
    shared = one(
        small,
        "SELECT count(*) FROM (SELECT SalesOrderNumber FROM dbo.FactInternetSales"
        " INTERSECT SELECT SalesOrderNumber FROM dbo.FactResellerSales)",
    )
    assert shared == 0


def test_order_numbers_run_in_date_order_across_both_facts(
    full: duckdb.DuckDBPyConnection,
) -> None:
    out_of_order = one(
        full,
        """SELECT count(*) FROM (
               SELECT OrderDateKey, lag(OrderDateKey) OVER (ORDER BY number) AS previous
               FROM (SELECT DISTINCT CAST(substr(SalesOrderNumber, 3) AS INT) AS number,
                            OrderDateKey FROM dbo.FactResellerSales
                     UNION ALL
                     SELECT DISTINCT CAST(substr(SalesOrderNumber, 3) AS INT), OrderDateKey
                     FROM dbo.FactInternetSales))
           WHERE OrderDateKey < previous""",
    )
    assert out_of_order == 0
    assert one(full, "SELECT min(SalesOrderNumber) FROM dbo.FactResellerSales") == "SO43659"
    assert one(full, "SELECT min(SalesOrderNumber) FROM dbo.FactInternetSales") > "SO43659"


def test_internet_sales_sell_single_units_at_list_price(
    small: duckdb.DuckDBPyConnection,
) -> None:
    off_list, discounted, with_po, rows = one(
        small,
        """SELECT count(*) FILTER (WHERE f.UnitPrice <> p.ListPrice OR f.OrderQuantity <> 1
                                  OR f.SalesAmount <> p.ListPrice
                                  OR f.ProductStandardCost <> p.StandardCost),
            count(*) FILTER (WHERE f.DiscountAmount <> 0 OR f.UnitPriceDiscountPct <> 0),
            count(f.CarrierTrackingNumber) + count(f.CustomerPONumber),
            count(*)
        FROM dbo.FactInternetSales f JOIN dbo.DimProduct p USING (ProductKey)""",
    )
    assert (off_list, discounted, with_po) == (0, 0, 0)
    assert rows > 0


def test_internet_sales_follow_the_real_growth_profile(full: duckdb.DuckDBPyConnection) -> None:
    first, last, days = one(
        full,
        "SELECT min(OrderDateKey), max(OrderDateKey), count(DISTINCT OrderDateKey)"
        " FROM dbo.FactInternetSales",
    )
    assert (first, last) == (20101229, 20140128)
    assert days >= 1_100  # of 1,127
    by_year = {
        row[0]: row[1:]
        for row in full.execute(
            """WITH o AS (SELECT SalesOrderNumber, min(OrderDateKey) // 10000 AS y,
                                 count(*) AS lines, sum(SalesAmount) AS amount
                          FROM dbo.FactInternetSales GROUP BY 1)
               SELECT y, avg(amount), avg(lines), max(lines) FROM o GROUP BY y"""
        ).fetchall()
    }
    aov_2011, _, max_lines_2011 = by_year[2011]
    aov_2012, _, _ = by_year[2012]
    aov_2013, lines_2013, _ = by_year[2013]
    assert max_lines_2011 == 1
    assert 2_700 < aov_2011 < 3_700
    assert 1_500 < aov_2012 < 2_100
    assert 600 < aov_2013 < 950
    assert 2.2 < lines_2013 < 2.8
    assert by_year[2014][0] < 100  # January 2014: accessories and clothing only
    spring, autumn = one(
        full,
        """SELECT avg(revenue) FILTER (WHERE OrderDateKey BETWEEN 20130201 AND 20130430),
                  avg(revenue) FILTER (WHERE OrderDateKey BETWEEN 20130701 AND 20131227)
           FROM (SELECT OrderDateKey, sum(SalesAmount) AS revenue
                 FROM dbo.FactInternetSales GROUP BY 1)""",
    )
    assert 28_000 < spring < 40_000
    assert 48_000 < autumn < 62_000
    last_bike = one(
        full,
        """SELECT max(f.OrderDateKey) FROM dbo.FactInternetSales f
           JOIN dbo.DimProduct p USING (ProductKey)
           JOIN dbo.DimProductSubcategory s USING (ProductSubcategoryKey)
           JOIN dbo.DimProductCategory c USING (ProductCategoryKey)
           WHERE c.EnglishProductCategoryName = 'Bikes'""",
    )
    assert last_bike <= 20131229
    margin = one(
        full, "SELECT 1 - sum(TotalProductCost) / sum(SalesAmount) FROM dbo.FactInternetSales"
    )
    assert 0.37 < margin < 0.45


def test_every_customer_first_buys_on_their_first_purchase_date(
    full: duckdb.DuckDBPyConnection,
) -> None:
    customers, matching = one(
        full,
        """SELECT count(*), count(*) FILTER (WHERE c.DateFirstPurchase = o.first_day)
           FROM dbo.DimCustomer c
           LEFT JOIN (SELECT CustomerKey, min(OrderDate)::DATE AS first_day
                      FROM dbo.FactInternetSales GROUP BY 1) o USING (CustomerKey)""",
    )
    assert matching == customers == 18_484


def test_reseller_sales_come_in_monthly_batches(small: duckdb.DuckDBPyConnection) -> None:
    first, last, days, skipped_months = one(
        small,
        """SELECT min(OrderDateKey), max(OrderDateKey), count(DISTINCT OrderDateKey),
                  count(*) FILTER (WHERE OrderDateKey // 100 IN (201102, 201104, 201106))
           FROM dbo.FactResellerSales""",
    )
    assert first == 20101229
    assert last <= 20131129
    assert days <= 40
    assert skipped_months == 0


def test_reseller_lines_sell_at_dealer_prices_with_some_discounts(
    full: duckdb.DuckDBPyConnection,
) -> None:
    stats = one(
        full,
        """SELECT min(lines), max(lines), count(*) FROM
           (SELECT count(*) AS lines FROM dbo.FactResellerSales GROUP BY SalesOrderNumber)""",
    )
    assert stats[0] >= 1
    assert stats[1] <= 72
    assert 3_300 < stats[2] < 4_300
    quantity, price, discount, margin, below_cost = one(
        full,
        """SELECT [min(OrderQuantity), max(OrderQuantity)],
                  avg(f.UnitPrice / p.ListPrice),
                  [min(UnitPriceDiscountPct) FILTER (WHERE UnitPriceDiscountPct > 0),
                   max(UnitPriceDiscountPct), count(*) FILTER (WHERE UnitPriceDiscountPct > 0)],
                  1 - sum(TotalProductCost) / sum(SalesAmount),
                  count(*) FILTER (WHERE SalesAmount < TotalProductCost)
           FROM dbo.FactResellerSales f JOIN dbo.DimProduct p USING (ProductKey)""",
    )
    assert quantity[0] == 1
    assert quantity[1] <= 44
    assert 0.58 < price < 0.61
    assert discount[0] >= 0.02
    assert discount[1] <= 0.4
    assert 1_000 < discount[2] < 6_000
    assert -0.01 < margin < 0.025
    assert below_cost > 5_000


def test_seventeen_reps_sell_and_have_quotas(small: duckdb.DuckDBPyConnection) -> None:
    flagged = {r[0] for r in small.execute(
        "SELECT EmployeeKey FROM dbo.DimEmployee WHERE SalesPersonFlag"
    ).fetchall()}  # fmt: skip
    quota_reps = {r[0] for r in small.execute(
        "SELECT DISTINCT EmployeeKey FROM dbo.FactSalesQuota"
    ).fetchall()}  # fmt: skip
    assert flagged == quota_reps == SALES_REPS
    assert one(small, "SELECT count(*) FROM dbo.DimEmployee") == 296
    assert (
        one(small, "SELECT SalesPersonFlag FROM dbo.DimEmployee WHERE EmployeeKey = 277") is False
    )
    managers = {r[0] for r in small.execute(
        "SELECT EmployeeKey FROM dbo.DimEmployee WHERE Title LIKE '%Sales Manager'"
    ).fetchall()}  # fmt: skip
    assert managers == {272, 290, 294}
    keys, not_thousands, smallest = one(
        small,
        "SELECT list(DISTINCT DateKey), count(*) FILTER (WHERE SalesAmountQuota % 1000 <> 0),"
        " min(SalesAmountQuota) FROM dbo.FactSalesQuota",
    )
    assert set(keys) <= QUOTA_DATE_KEYS
    assert not_thousands == 0
    assert smallest >= 1000
    quarters_2011 = one(
        small,
        "SELECT list(CalendarQuarter ORDER BY DateKey) FROM dbo.FactSalesQuota"
        " WHERE EmployeeKey = 281 AND CalendarYear = 2011",
    )
    assert quarters_2011 == [1, 3, 3, 4]  # the real table's quirk: Q3 twice, no Q2


def test_every_employee_has_a_place_in_the_org_chart(small: duckdb.DuckDBPyConnection) -> None:
    roots, unplaced, people, historic = one(
        small,
        """SELECT count(*) FILTER (WHERE ParentEmployeeKey IS NULL),
                  count(*) FILTER (WHERE DepartmentName IS NULL OR Title IS NULL),
                  count(DISTINCT EmployeeNationalIDAlternateKey),
                  count(*) FILTER (WHERE Status IS NULL AND EndDate IS NOT NULL)
           FROM dbo.DimEmployee""",
    )
    assert (roots, unplaced) == (1, 0)  # only the chief executive reports to no one
    assert people == 296 - historic
    assert historic > 0


def test_quotas_are_mostly_just_out_of_reach(full: duckdb.DuckDBPyConnection) -> None:
    rows, reps, median = one(
        full,
        """WITH periods AS (SELECT DateKey AS starts, lead(DateKey) OVER (ORDER BY DateKey) AS ends
                            FROM (SELECT DISTINCT DateKey FROM dbo.FactSalesQuota)),
                attainment AS (
                    SELECT q.EmployeeKey, coalesce(sum(f.SalesAmount), 0) / q.SalesAmountQuota AS a
                    FROM dbo.FactSalesQuota q JOIN periods ON q.DateKey = periods.starts
                    LEFT JOIN dbo.FactResellerSales f ON f.EmployeeKey = q.EmployeeKey
                         AND f.OrderDateKey >= periods.starts
                         AND (periods.ends IS NULL OR f.OrderDateKey < periods.ends)
                    GROUP BY q.SalesQuotaKey, q.EmployeeKey, q.SalesAmountQuota)
           SELECT count(*), count(DISTINCT EmployeeKey), median(a) FROM attainment""",
    )
    assert 140 < rows < 190
    assert reps == 17
    assert 0.75 < median < 0.95


def test_dim_date_keys_weekdays_and_fiscal_years(small: duckdb.DuckDBPyConnection) -> None:
    rows = {
        row[0]: row[1:]
        for row in small.execute(
            """SELECT DateKey, DayNumberOfWeek, EnglishDayNameOfWeek, FiscalYear, FiscalQuarter,
                      WeekNumberOfYear
               FROM dbo.DimDate
               WHERE DateKey IN (20050101, 20050102, 20100701, 20110101, 20110701, 20141231)"""
        ).fetchall()
    }
    assert rows[20050101] == (7, "Saturday", 2005, 3, 1)
    assert rows[20050102] == (1, "Sunday", 2005, 3, 2)
    assert rows[20100701][2:4] == (2011, 1)  # until 2010 named by the year it ends
    assert rows[20110101][2] == 2010  # from 2011 named by the year it starts
    assert rows[20110701][2] == 2011
    assert rows[20141231][4] == 53
    span = one(
        small,
        "SELECT min(FullDateAlternateKey), max(FullDateAlternateKey), count(*),"
        " count(*) FILTER (WHERE DateKey <> CAST(strftime(FullDateAlternateKey, '%Y%m%d') AS INT))"
        " FROM dbo.DimDate",
    )
    assert [str(day) for day in span[:2]] == ["2005-01-01", "2014-12-31"]
    assert span[2:] == (3652, 0)


def test_products_are_slowly_changing_with_parts_unpriced(
    small: duckdb.DuckDBPyConnection,
) -> None:
    rows, products, no_subcategory, no_price, categories, subcategories = one(
        small,
        """SELECT count(*), count(DISTINCT ProductAlternateKey),
                  count(*) FILTER (WHERE ProductSubcategoryKey IS NULL),
                  count(*) FILTER (WHERE ListPrice IS NULL),
                  (SELECT list(EnglishProductCategoryName ORDER BY ProductCategoryKey)
                   FROM dbo.DimProductCategory),
                  (SELECT count(*) FROM dbo.DimProductSubcategory)
           FROM dbo.DimProduct""",
    )
    assert (rows, products, no_subcategory, no_price) == (606, 504, 209, 211)
    assert categories == ["Bikes", "Components", "Clothing", "Accessories"]
    assert subcategories == 37
    historic, ending_before_start, two_current = one(
        small,
        """SELECT count(*) FILTER (WHERE Status IS NULL),
                  count(*) FILTER (WHERE Status IS NULL AND EndDate < StartDate),
                  (SELECT count(*) FROM (SELECT ProductAlternateKey FROM dbo.DimProduct
                   WHERE Status = 'Current' GROUP BY 1 HAVING count(*) > 1))
           FROM dbo.DimProduct""",
    )
    assert historic == ending_before_start > 0
    assert two_current == 0


def test_territories_currencies_and_promotions(small: duckdb.DuckDBPyConnection) -> None:
    territory = dict(
        small.execute(
            "SELECT SalesTerritoryKey, SalesTerritoryCountry FROM dbo.DimSalesTerritory"
        ).fetchall()
    )
    assert territory[1] == territory[5] == "United States"
    assert (territory[6], territory[10], territory[11]) == ("Canada", "United Kingdom", "NA")
    currencies = dict(
        small.execute(
            "SELECT CurrencyKey, CurrencyAlternateKey FROM dbo.DimCurrency"
            " WHERE CurrencyKey IN (6, 19, 29, 36, 39, 98, 100)"
        ).fetchall()
    )
    assert currencies == {
        6: "AUD",
        19: "CAD",
        29: "DEM",
        36: "EUR",
        39: "FRF",
        98: "GBP",
        100: "USD",
    }
    assert one(
        small, "SELECT EnglishPromotionName FROM dbo.DimPromotion WHERE PromotionKey = 1"
    ) == ("No Discount")


def test_facts_fit_around_dimensions_loaded_from_elsewhere(tmp_path: Path) -> None:
    path = tmp_path / "mixed.duckdb"
    build(path, scale=0.05, seed=3, only=DIMENSIONS)  # stands in for imported files

    written = build(path, scale=SMALL, seed=7, only=FACTS)

    assert set(written) == FACTS
    assert all(rows > 0 for rows in written.values())
    with duckdb.connect(str(path), read_only=True) as con:
        assert orphans(con) == {}
        late_or_early = one(
            con,
            """SELECT count(*) FROM dbo.DimCustomer c
               JOIN (SELECT CustomerKey, min(OrderDate)::DATE AS first_day
                     FROM dbo.FactInternetSales GROUP BY 1) o USING (CustomerKey)
               WHERE o.first_day <> c.DateFirstPurchase""",
        )
        assert late_or_early == 0


def test_declared_columns_and_types_exist_in_the_file(small: duckdb.DuckDBPyConnection) -> None:
    for table in TABLES:
        found = small.execute(
            "SELECT column_name, data_type, is_nullable = 'YES' FROM information_schema.columns"
            " WHERE table_schema = ? AND table_name = ? ORDER BY ordinal_position",
            [table.schema, table.name],
        ).fetchall()
        declared = [(c.name, duckdb_type(c.type), c.nullable) for c in table.columns]
        assert found == declared, table.fullname


def duckdb_type(type_: sa.types.TypeEngine[Any]) -> str:
    """Return the DuckDB type the warehouse-schemas reference maps a declared type to."""
    mapping: list[tuple[type[sa.types.TypeEngine[Any]], str]] = [
        (TinyInt, "UTINYINT"),
        (Money, "DECIMAL(19,4)"),
        (VarBinaryMax, "BLOB"),
        (sa.Boolean, "BOOLEAN"),
        (sa.SmallInteger, "SMALLINT"),
        (sa.Integer, "INTEGER"),
        (sa.Float, "DOUBLE"),
        (sa.DateTime, "TIMESTAMP"),
        (sa.Date, "DATE"),
        (sa.String, "VARCHAR"),
    ]
    return next(name for kind, name in mapping if isinstance(type_, kind))


def test_rejects_unknown_tables_and_non_positive_scales(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"dbo\.FactNope"):
        build(tmp_path / "x.duckdb", scale=SMALL, only={"dbo.FactNope"})
    with pytest.raises(ValueError, match="scale"):
        build(tmp_path / "y.duckdb", scale=0)
