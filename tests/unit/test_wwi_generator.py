"""The WideWorldImportersDW generator: deterministic, consistent, shaped like the real warehouse.

Runs against real DuckDB files. The `only=` test loads the public extract of the real
warehouse (../shared/data/wideworldimporters-dw, pipe-delimited) and generates the five tables
it lacks around it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pytest
import sqlalchemy as sa

from otelbi.warehouse import wwi_tables as t
from otelbi.warehouse.duckdb_file import create_tables
from otelbi.warehouse.generator.wwi import TABLES, generate_wwi

REAL_EXTRACT = Path(__file__).resolve().parents[3] / "shared" / "data" / "wideworldimporters-dw"
MISSING_FROM_EXTRACT = {
    "Dimension.City",
    "Fact.Sale",
    "Fact.Order",
    "Fact.Movement",
    "Fact.Transaction",
}
SMALL = 0.02

# (fact, key column, dimension, dimension key column) for every key a fact holds
FACT_KEYS = [
    (t.fact_sale, "City Key", t.dimension_city, "City Key"),
    (t.fact_sale, "Customer Key", t.dimension_customer, "Customer Key"),
    (t.fact_sale, "Bill To Customer Key", t.dimension_customer, "Customer Key"),
    (t.fact_sale, "Stock Item Key", t.dimension_stock_item, "Stock Item Key"),
    (t.fact_sale, "Invoice Date Key", t.dimension_date, "Date"),
    (t.fact_sale, "Delivery Date Key", t.dimension_date, "Date"),
    (t.fact_sale, "Salesperson Key", t.dimension_employee, "Employee Key"),
    (t.fact_order, "City Key", t.dimension_city, "City Key"),
    (t.fact_order, "Customer Key", t.dimension_customer, "Customer Key"),
    (t.fact_order, "Stock Item Key", t.dimension_stock_item, "Stock Item Key"),
    (t.fact_order, "Order Date Key", t.dimension_date, "Date"),
    (t.fact_order, "Picked Date Key", t.dimension_date, "Date"),
    (t.fact_order, "Salesperson Key", t.dimension_employee, "Employee Key"),
    (t.fact_order, "Picker Key", t.dimension_employee, "Employee Key"),
    (t.fact_purchase, "Date Key", t.dimension_date, "Date"),
    (t.fact_purchase, "Supplier Key", t.dimension_supplier, "Supplier Key"),
    (t.fact_purchase, "Stock Item Key", t.dimension_stock_item, "Stock Item Key"),
    (t.fact_movement, "Date Key", t.dimension_date, "Date"),
    (t.fact_movement, "Stock Item Key", t.dimension_stock_item, "Stock Item Key"),
    (t.fact_movement, "Customer Key", t.dimension_customer, "Customer Key"),
    (t.fact_movement, "Supplier Key", t.dimension_supplier, "Supplier Key"),
    (t.fact_movement, "Transaction Type Key", t.dimension_transaction_type, "Transaction Type Key"),
    (t.fact_stock_holding, "Stock Item Key", t.dimension_stock_item, "Stock Item Key"),
    (t.fact_transaction, "Date Key", t.dimension_date, "Date"),
    (t.fact_transaction, "Customer Key", t.dimension_customer, "Customer Key"),
    (t.fact_transaction, "Bill To Customer Key", t.dimension_customer, "Customer Key"),
    (t.fact_transaction, "Supplier Key", t.dimension_supplier, "Supplier Key"),
    (
        t.fact_transaction,
        "Transaction Type Key",
        t.dimension_transaction_type,
        "Transaction Type Key",
    ),
    (t.fact_transaction, "Payment Method Key", t.dimension_payment_method, "Payment Method Key"),
]


def name(table: sa.Table) -> str:
    return f'"{table.schema}"."{table.name}"'


def scalar(con: duckdb.DuckDBPyConnection, sql: str) -> Any:
    [(value,)] = con.execute(sql).fetchall()
    return value


def build(path: Path, *, scale: float, seed: int = 7) -> dict[str, int]:
    con = duckdb.connect(str(path))
    try:
        create_tables(con, t.metadata)
        return generate_wwi(con, scale=scale, seed=seed)
    finally:
        con.close()


def checksums(path: Path) -> dict[str, tuple[int, int]]:
    """Return (rows, order-independent hash of the rows) per table, computed in DuckDB."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        return {
            table.fullname: con.execute(
                f"SELECT count(*), coalesce(bit_xor(hash(r)), 0) FROM {name(table)} AS r"
            ).fetchall()[0]
            for table in t.metadata.tables.values()
        }
    finally:
        con.close()


def orphans(
    con: duckdb.DuckDBPyConnection, fact: sa.Table, column: str, dim: sa.Table, key: str
) -> int:
    return int(
        scalar(
            con,
            f'SELECT count(*) FROM {name(fact)} AS f WHERE f."{column}" IS NOT NULL AND NOT EXISTS '
            f'(SELECT 1 FROM {name(dim)} AS d WHERE d."{key}" = f."{column}")',
        )
    )


def load_real_extract(con: duckdb.DuckDBPyConnection) -> set[str]:
    """Load every table of the extract BY NAME; return the names of the tables loaded."""
    loaded: set[str] = set()
    for table in t.metadata.tables.values():
        path = REAL_EXTRACT / table.fullname.lower().replace(".", "_").replace(" ", "_")
        path = path.with_name(f"{path.name}.csv")
        if not path.exists():
            continue
        # the export writes "" for the N/A texts of the Unknown members
        columns = ", ".join(
            f'coalesce("{c.name}", \'\') AS "{c.name}"'
            if isinstance(c.type, sa.String) and not c.nullable
            else f'"{c.name}"'
            for c in table.columns
        )
        con.execute(
            f"INSERT INTO {name(table)} BY NAME SELECT {columns} FROM "
            "read_csv(?, delim='|', header=true, all_varchar=true)",
            [str(path)],
        ).fetchall()
        loaded.add(table.fullname)
    return loaded


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("wwi") / "wwi.duckdb"
    build(path, scale=SMALL)
    return path


@pytest.fixture
def con(generated: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    connection = duckdb.connect(str(generated), read_only=True)
    yield connection
    connection.close()


@pytest.fixture(scope="module")
def real(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, int]]:
    """The real extract with the five missing tables generated at scale 0.05."""
    path = tmp_path_factory.mktemp("wwi-real") / "wwi.duckdb"
    connection = duckdb.connect(str(path))
    try:
        create_tables(connection, t.metadata)
        assert load_real_extract(connection) == set(TABLES) - MISSING_FROM_EXTRACT
        counts = generate_wwi(connection, scale=0.05, only=MISSING_FROM_EXTRACT)
    finally:
        connection.close()
    return path, counts


# --- determinism and scale --------------------------------------------------------------------


def test_same_seed_gives_the_same_tables_and_another_seed_other_facts(
    tmp_path: Path, generated: Path
) -> None:
    build(tmp_path / "again.duckdb", scale=SMALL)
    build(tmp_path / "other.duckdb", scale=SMALL, seed=8)

    first, again, other = (
        checksums(generated),
        checksums(tmp_path / "again.duckdb"),
        checksums(tmp_path / "other.duckdb"),
    )

    assert again == first
    for table in TABLES:
        if table.startswith("Fact."):
            assert other[table] != first[table], table


def test_filling_in_two_steps_gives_what_one_step_gives(tmp_path: Path, generated: Path) -> None:
    con = duckdb.connect(str(tmp_path / "steps.duckdb"))
    create_tables(con, t.metadata)
    later = {"Fact.Movement", "Fact.Transaction"}
    generate_wwi(con, scale=SMALL, only=set(TABLES) - later)
    written = generate_wwi(con, scale=SMALL, only=later)
    con.close()

    assert set(written) == later
    assert checksums(tmp_path / "steps.duckdb") == checksums(generated)


def test_row_counts_follow_the_scale(tmp_path: Path, generated: Path) -> None:
    small = {table: rows for table, (rows, _) in checksums(generated).items()}
    double = build(tmp_path / "double.duckdb", scale=2 * SMALL)

    for table in ("Fact.Sale", "Fact.Order", "Fact.Movement", "Fact.Transaction", "Dimension.City"):
        assert 1.8 < double[table] / small[table] < 2.2, table
    for table in ("Dimension.Stock Item", "Dimension.Customer", "Fact.Stock Holding"):
        assert double[table] == small[table], table


def test_scale_one_gives_about_the_real_row_counts(tmp_path: Path) -> None:
    path = tmp_path / "full.duckdb"
    counts = build(path, scale=1.0)

    real = {
        "Fact.Sale": 228_265,
        "Fact.Order": 231_412,
        "Fact.Movement": 236_667,
        "Fact.Transaction": 99_585,
        "Fact.Purchase": 8_367,
        "Dimension.City": 116_295,
    }
    for table, rows in real.items():
        assert abs(counts[table] / rows - 1) < 0.06, (table, counts[table])
    assert counts["Fact.Stock Holding"] == 227
    assert counts["Dimension.Customer"] == 403
    assert counts["Dimension.Date"] == 1461
    con = duckdb.connect(str(path), read_only=True)
    orders = con.execute(
        'SELECT s."Supplier", count(DISTINCT p."WWI Purchase Order ID") '
        'FROM "Fact"."Purchase" AS p '
        'JOIN "Dimension"."Supplier" AS s USING ("Supplier Key") GROUP BY 1 ORDER BY 2 DESC LIMIT 2'
    ).fetchall()
    con.close()
    assert [supplier for supplier, _ in orders] == ["Fabrikam, Inc.", "Litware, Inc."]
    assert all(900 < count < 1150 for _, count in orders)


def test_unknown_table_names_are_refused(tmp_path: Path) -> None:
    con = duckdb.connect(str(tmp_path / "x.duckdb"))
    create_tables(con, t.metadata)
    with pytest.raises(ValueError, match=r"Fact\.Sales"):
        generate_wwi(con, only={"Fact.Sales"})
    with pytest.raises(ValueError, match=r"Dimension\.Stock Item is empty"):
        generate_wwi(con, only={"Fact.Sale"})
    con.close()


# --- consistency ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fact", "column", "dim", "key"),
    FACT_KEYS,
    ids=[f"{f.name}.{c}" for f, c, _, _ in FACT_KEYS],
)
def test_every_fact_key_resolves(
    con: duckdb.DuckDBPyConnection, fact: sa.Table, column: str, dim: sa.Table, key: str
) -> None:
    assert orphans(con, fact, column, dim, key) == 0


def test_sale_and_order_totals_hold(con: duckdb.DuckDBPyConnection) -> None:
    for fact in (t.fact_sale, t.fact_order):
        broken = scalar(
            con,
            f'SELECT count(*) FROM {name(fact)} WHERE "Total Excluding Tax" <> "Quantity" * '
            '"Unit Price" OR "Tax Amount" <> round("Total Excluding Tax" * "Tax Rate" * 0.01, 2) '
            'OR "Total Including Tax" <> "Total Excluding Tax" + "Tax Amount" '
            'OR "Quantity" NOT BETWEEN 1 AND 360',
        )
        assert broken == 0, fact.name
    profit_off = scalar(
        con,
        'SELECT count(*) FROM "Fact"."Sale" AS s '
        'JOIN "Dimension"."Stock Item" AS sold ON sold."Stock Item Key" = s."Stock Item Key" '
        'JOIN "Dimension"."Stock Item" AS now '
        'ON now."WWI Stock Item ID" = sold."WWI Stock Item ID" '
        'JOIN "Fact"."Stock Holding" AS h ON h."Stock Item Key" = now."Stock Item Key" '
        'WHERE s."Profit" <> s."Quantity" * (s."Unit Price" - h."Last Cost Price") '
        'OR s."Tax Rate" <> CASE WHEN sold."Is Chiller Stock" THEN 10 ELSE 15 END '
        'OR s."Total Chiller Items" + s."Total Dry Items" <> s."Quantity"',
    )
    assert profit_off == 0
    margin = scalar(con, 'SELECT sum("Profit") / sum("Total Excluding Tax") FROM "Fact"."Sale"')
    assert 0.4 < float(margin) < 0.6


def test_customer_invoices_carry_their_sale_totals(con: duckdb.DuckDBPyConnection) -> None:
    mismatched = scalar(
        con,
        'SELECT count(*) FROM "Fact"."Transaction" AS tr FULL JOIN (SELECT "WWI Invoice ID", '
        'sum("Total Including Tax") AS incl, min("Invoice Date Key") AS day FROM "Fact"."Sale" '
        'GROUP BY 1) AS s USING ("WWI Invoice ID") WHERE tr."WWI Invoice ID" IS NOT NULL '
        'AND (tr."Total Including Tax" IS DISTINCT FROM s.incl OR tr."Date Key" <> s.day)',
    )
    assert mismatched == 0
    [(invoiced, paid, outstanding)] = con.execute(
        'SELECT sum("Total Including Tax") FILTER (WHERE "Transaction Type Key" = 1), '
        '-sum("Total Including Tax") FILTER (WHERE "Transaction Type Key" = 3), '
        'sum("Outstanding Balance") FROM "Fact"."Transaction" WHERE "Supplier Key" = 0'
    ).fetchall()
    assert invoiced == paid + outstanding


def test_facts_hold_first_item_versions_and_stock_holding_current_ones(
    con: duckdb.DuckDBPyConnection,
) -> None:
    first_versions = (
        'SELECT "Stock Item Key" FROM "Dimension"."Stock Item" QUALIFY row_number() OVER '
        '(PARTITION BY "WWI Stock Item ID" ORDER BY "Valid From") = 1'
    )
    for fact in (t.fact_sale, t.fact_order, t.fact_movement, t.fact_purchase):
        later = scalar(
            con,
            f'SELECT count(*) FROM {name(fact)} WHERE "Stock Item Key" NOT IN ({first_versions})',
        )
        assert later == 0, fact.name
    not_current = scalar(
        con,
        'SELECT count(*) FROM "Fact"."Stock Holding" AS h JOIN "Dimension"."Stock Item" AS s '
        'USING ("Stock Item Key") WHERE s."Valid To" <> TIMESTAMP \'9999-12-31 23:59:59.999999\'',
    )
    assert not_current == 0


def test_movement_has_an_issue_per_sale_line_and_a_receipt_per_received_purchase_line(
    con: duckdb.DuckDBPyConnection,
) -> None:
    [(issues, issued, lines, sold)] = con.execute(
        'SELECT (SELECT count(*) FROM "Fact"."Movement" WHERE "WWI Invoice ID" IS NOT NULL), '
        '(SELECT -sum("Quantity") FROM "Fact"."Movement" WHERE "WWI Invoice ID" IS NOT NULL), '
        '(SELECT count(*) FROM "Fact"."Sale"), (SELECT sum("Quantity") FROM "Fact"."Sale")'
    ).fetchall()
    assert (issues, issued) == (lines, sold)
    unmatched = scalar(
        con,
        'SELECT count(*) FROM (SELECT "WWI Purchase Order ID", "Stock Item Key", "Quantity", '
        '"Date Key" FROM "Fact"."Movement" WHERE "WWI Purchase Order ID" IS NOT NULL) AS m '
        'FULL JOIN (SELECT * FROM "Fact"."Purchase" WHERE "Is Order Finalized") AS p '
        'USING ("WWI Purchase Order ID", "Stock Item Key") '
        'WHERE m."Quantity" IS DISTINCT FROM '
        'p."Received Outers" * (p."Ordered Quantity" // p."Ordered Outers") '
        'OR m."Date Key" NOT BETWEEN p."Date Key" + 1 AND DATE \'2016-05-31\'',
    )
    assert unmatched == 0
    stocktakes = scalar(
        con,
        'SELECT count(*) FROM "Fact"."Movement" WHERE "WWI Invoice ID" IS NULL '
        'AND "WWI Purchase Order ID" IS NULL AND "Quantity" <> 0',
    )
    assert stocktakes == round(44 * SMALL)


# --- shape ------------------------------------------------------------------------------------


def test_every_dimension_has_an_unknown_member(con: duckdb.DuckDBPyConnection) -> None:
    for dim in t.metadata.tables.values():
        if dim.schema == "Dimension" and dim is not t.dimension_date:
            key, _, label = (column.name for column in list(dim.columns)[:3])
            assert con.execute(
                f'SELECT "{label}" FROM {name(dim)} WHERE "{key}" = 0'
            ).fetchall() == [("Unknown",)], dim.name


def test_calendar_has_fiscal_years_from_november(con: duckdb.DuckDBPyConnection) -> None:
    [(days, first, last)] = con.execute(
        'SELECT count(*), min("Date"), max("Date") FROM "Dimension"."Date"'
    ).fetchall()
    assert (days, str(first), str(last)) == (1461, "2013-01-01", "2016-12-31")
    rows = con.execute(
        'SELECT "Calendar Month Label", "Fiscal Year", "Fiscal Year Label", "Fiscal Month Number", '
        '"Fiscal Month Label", "Day" FROM "Dimension"."Date" '
        "WHERE \"Date\" IN (DATE '2013-01-05', DATE '2013-11-01') ORDER BY \"Date\""
    ).fetchall()
    assert rows == [
        ("CY2013-Jan", 2013, "FY2013", 3, "FY2013-Jan", "5"),
        ("CY2013-Nov", 2014, "FY2014", 1, "FY2014-Nov", "1"),
    ]


def test_stock_items_have_two_to_five_versions(con: duckdb.DuckDBPyConnection) -> None:
    [(items, fewest, most, current, chillers, lead_14)] = con.execute(
        "SELECT count(*), min(n), max(n), sum(current), sum(chiller::INT), sum((lead = 14)::INT) "
        'FROM (SELECT "WWI Stock Item ID", count(*) AS n, '
        "count(*) FILTER (WHERE \"Valid To\" = TIMESTAMP '9999-12-31 23:59:59.999999') AS current, "
        'bool_or("Is Chiller Stock") AS chiller, max("Lead Time Days") AS lead '
        'FROM "Dimension"."Stock Item" WHERE "WWI Stock Item ID" <> 0 GROUP BY 1)'
    ).fetchall()
    assert (items, fewest, most, current, chillers, lead_14) == (227, 2, 5, 227, 8, 96)


def test_sales_cover_2013_to_may_2016_with_the_real_quirks(
    con: duckdb.DuckDBPyConnection,
) -> None:
    [(first, last, per_invoice, undelivered, latest_undelivered, unknown_share)] = con.execute(
        'SELECT min("Invoice Date Key"), max("Invoice Date Key"), '
        'count(*) / count(DISTINCT "WWI Invoice ID"), '
        'count(*) FILTER (WHERE "Delivery Date Key" IS NULL), '
        'min("Invoice Date Key") FILTER (WHERE "Delivery Date Key" IS NULL), '
        'avg(("Customer Key" = 0)::INT) FROM "Fact"."Sale"'
    ).fetchall()
    assert "2013-01-01" <= str(first) <= "2013-01-07"
    assert str(last) == "2016-05-31"
    assert 2.9 < per_invoice < 3.5
    assert undelivered > 0
    assert str(latest_undelivered) >= "2016-05-27"
    assert 0.2 < unknown_share < 0.36
    [(backordered, unpicked)] = con.execute(
        'SELECT avg(("WWI Backorder ID" IS NOT NULL)::INT), '
        'count(*) FILTER (WHERE "Picked Date Key" IS NULL) FROM "Fact"."Order"'
    ).fetchall()
    assert 0.06 < backordered < 0.12
    assert unpicked > 0


def test_purchases_are_finalized_but_for_two_open_orders(con: duckdb.DuckDBPyConnection) -> None:
    rows = con.execute(
        'SELECT "Is Order Finalized", count(DISTINCT "WWI Purchase Order ID"), min("Date Key"), '
        'max("Date Key"), sum(("Received Outers" = 0)::INT), '
        'sum("Received Outers") / sum("Ordered Outers"), count(*) '
        'FROM "Fact"."Purchase" GROUP BY 1 ORDER BY 1'
    ).fetchall()
    (open_, orders, opened, _, zero, _, lines), (finalized, *_, received_share, _) = rows
    assert not open_
    assert orders == 2
    assert str(opened) == "2016-05-31"
    assert zero == lines
    assert finalized
    assert 0.95 <= received_share <= 1.0  # the real extract: 99.7 %
    wrong_quantity = scalar(
        con,
        'SELECT count(*) FROM "Fact"."Purchase" AS p JOIN "Dimension"."Stock Item" AS s '
        'USING ("Stock Item Key") WHERE p."Ordered Quantity" <> '
        'p."Ordered Outers" * s."Quantity Per Outer"',
    )
    assert wrong_quantity == 0
    lines = [n for (n,) in con.execute(
        'SELECT count(*) FROM "Fact"."Purchase" GROUP BY "Supplier Key" ORDER BY 1 DESC'
    ).fetchall()]  # fmt: skip
    assert len(lines) == 7
    assert sum(lines[:2]) > 0.7 * sum(lines)


def test_stock_holding_is_far_above_target_but_for_a_third_of_the_items(
    con: duckdb.DuckDBPyConnection,
) -> None:
    [(rows, below, lowest_reorder, highest_reorder, cover, cost_ratio)] = con.execute(
        'SELECT count(*), count(*) FILTER (WHERE "Quantity On Hand" < "Reorder Level"), '
        'min("Reorder Level"), max("Reorder Level"), '
        'median("Quantity On Hand" / "Target Stock Level"), '
        'median(h."Last Cost Price" / s."Unit Price") '
        'FROM "Fact"."Stock Holding" AS h JOIN "Dimension"."Stock Item" AS s '
        'USING ("Stock Item Key")'
    ).fetchall()
    assert rows == 227
    assert 0.03 * rows <= below <= 0.15 * rows
    assert lowest_reorder >= 1
    assert highest_reorder <= 240
    assert 800 < cover < 4000
    assert 0.25 <= cost_ratio <= 0.55


# --- around the real extract ------------------------------------------------------------------


def test_only_fills_the_missing_tables_around_the_real_extract(
    real: tuple[Path, dict[str, int]],
) -> None:
    path, counts = real
    assert set(counts) == MISSING_FROM_EXTRACT
    assert 0.04 < counts["Fact.Sale"] / 228_265 < 0.06
    con = duckdb.connect(str(path), read_only=True)
    try:
        assert scalar(con, 'SELECT count(*) FROM "Fact"."Purchase"') == 8_367
        for fact, column, dim, key in FACT_KEYS:
            assert orphans(con, fact, column, dim, key) == 0, (fact.name, column)
        real_orders = {
            row[0]
            for row in con.execute(
                'SELECT DISTINCT "WWI Purchase Order ID" FROM "Fact"."Purchase" '
                'WHERE "Is Order Finalized"'
            ).fetchall()
        }
        receipts = {
            row[0]
            for row in con.execute(
                'SELECT DISTINCT "WWI Purchase Order ID" FROM "Fact"."Movement" '
                'WHERE "WWI Purchase Order ID" IS NOT NULL'
            ).fetchall()
        }
        assert receipts == real_orders
        not_first = scalar(
            con,
            'SELECT count(*) FROM "Fact"."Sale" AS s JOIN "Dimension"."Stock Item" AS i '
            'USING ("Stock Item Key") WHERE i."Valid From" > (SELECT min("Valid From") '
            'FROM "Dimension"."Stock Item" AS v '
            'WHERE v."WWI Stock Item ID" = i."WWI Stock Item ID")',
        )
        assert not_first == 0
        not_salespeople = scalar(
            con,
            'SELECT count(*) FROM "Fact"."Sale" AS s JOIN "Dimension"."Employee" AS e '
            'ON e."Employee Key" = s."Salesperson Key" WHERE NOT e."Is Salesperson"',
        )
        assert not_salespeople == 0
    finally:
        con.close()


def test_issues_stay_plausible_against_the_real_stock_holding(
    real: tuple[Path, dict[str, int]],
) -> None:
    """What an item issued over its last lead time is covered by its stock plus open orders."""
    con = duckdb.connect(str(real[0]), read_only=True)
    try:
        uncovered = con.execute(
            'WITH holding AS (SELECT s."WWI Stock Item ID" AS id, h."Quantity On Hand" AS on_hand, '
            's."Lead Time Days" AS lead FROM "Fact"."Stock Holding" AS h '
            'JOIN "Dimension"."Stock Item" AS s USING ("Stock Item Key")), '
            'ordered AS (SELECT s."WWI Stock Item ID" AS id, sum("Ordered Quantity") AS open '
            'FROM "Fact"."Purchase" AS p JOIN "Dimension"."Stock Item" AS s '
            'USING ("Stock Item Key") WHERE NOT "Is Order Finalized" GROUP BY 1), '
            'issued AS (SELECT s."WWI Stock Item ID" AS id, m."Date Key" AS day, '
            '-m."Quantity" AS quantity FROM "Fact"."Movement" AS m '
            'JOIN "Dimension"."Stock Item" AS s USING ("Stock Item Key") '
            'WHERE m."WWI Invoice ID" IS NOT NULL) '
            "SELECT h.id FROM holding AS h LEFT JOIN ordered USING (id) LEFT JOIN issued AS i "
            "ON i.id = h.id AND i.day > DATE '2016-05-31' - h.lead::INT "
            "GROUP BY h.id, h.on_hand, ordered.open "
            "HAVING coalesce(sum(i.quantity), 0) > h.on_hand + coalesce(ordered.open, 0)"
        ).fetchall()
    finally:
        con.close()
    assert uncovered == []
