"""`generate_wwi`: fills the tables asked for, in dependency order, and reads the others."""

from __future__ import annotations

import zlib
from collections.abc import Callable, Collection, Mapping
from functools import cached_property

import duckdb
import numpy as np
import sqlalchemy as sa

from otelbi.warehouse import wwi_tables as t
from otelbi.warehouse.generator.insert import insert
from otelbi.warehouse.generator.wwi.activity import trading_days
from otelbi.warehouse.generator.wwi.cities import Cities, generate_cities, read_cities
from otelbi.warehouse.generator.wwi.columns import F64, Column, Columns, Moments
from otelbi.warehouse.generator.wwi.customers import Customers, generate_customers, read_customers
from otelbi.warehouse.generator.wwi.employees import Employees, generate_employees, read_employees
from otelbi.warehouse.generator.wwi.movements import movement_columns
from otelbi.warehouse.generator.wwi.purchases import (
    Purchases,
    generate_purchases,
    read_purchases,
    receipt_days,
)
from otelbi.warehouse.generator.wwi.sales import (
    Orders,
    SaleLines,
    demand_weights,
    invoice_orders,
    order_columns,
    place_orders,
    read_sale_lines,
)
from otelbi.warehouse.generator.wwi.small_dimensions import (
    Kinds,
    date_columns,
    payment_method_columns,
    read_kinds,
    transaction_type_columns,
)
from otelbi.warehouse.generator.wwi.stock_holdings import (
    Holdings,
    generate_holdings,
    read_holdings,
)
from otelbi.warehouse.generator.wwi.stock_items import (
    StockItems,
    generate_stock_items,
    read_stock_items,
)
from otelbi.warehouse.generator.wwi.stock_positions import positioned_on_hand
from otelbi.warehouse.generator.wwi.suppliers import Suppliers, generate_suppliers, read_suppliers
from otelbi.warehouse.generator.wwi.transactions import (
    customer_ledger,
    supplier_ledger,
    transaction_columns,
)

# the fullnames of the tables `generate_wwi` fills, in declaration order
TABLES: tuple[str, ...] = tuple(table.fullname for table in t.metadata.tables.values())


def generate_wwi(
    con: duckdb.DuckDBPyConnection,
    *,
    scale: float = 1.0,
    seed: int = 7,
    only: Collection[str] | None = None,
) -> dict[str, int]:
    """Return rows written per table (keys are Table.fullname, e.g. "Fact.Sale").

    The tables must exist in `con`. Without `only` every table is filled; with it, only those
    tables are, and the others are read from `con` (they must already hold their rows).
    The same seed and scale give the same table contents.
    """
    if not scale > 0:
        raise ValueError(f"scale must be positive, got {scale}")
    fill = set(TABLES) if only is None else set(only)
    unknown = sorted(fill - set(TABLES))
    if unknown:
        raise ValueError(f"unknown WWI tables {unknown}; expected some of {sorted(TABLES)}")
    build = _Build(con, fill=fill, scale=scale, seed=seed)
    build.run()
    return build.counts


class _Build:
    """Generates the tables to fill and reads the others, each at most once."""

    def __init__(
        self, con: duckdb.DuckDBPyConnection, *, fill: set[str], scale: float, seed: int
    ) -> None:
        self.con = con
        self.fill = fill
        self.scale = scale
        self.seed = seed
        self.counts: dict[str, int] = {}

    def rng(self, purpose: str) -> np.random.Generator:
        """Return a generator of its own per purpose, so a table does not depend on which
        other tables are filled in the same run."""
        return np.random.default_rng([self.seed, zlib.crc32(purpose.encode())])

    def fills(self, table: sa.Table) -> bool:
        return table.fullname in self.fill

    def write(self, table: sa.Table, columns: Mapping[str, Column]) -> None:
        self.counts[table.fullname] = insert(self.con, table, columns)

    def run(self) -> None:
        steps: list[tuple[sa.Table, Callable[[], object]]] = [
            (t.dimension_date, lambda: self.write(t.dimension_date, date_columns())),
            (t.dimension_city, lambda: self.cities),
            (t.dimension_customer, lambda: self.customers),
            (t.dimension_employee, lambda: self.employees),
            (t.dimension_stock_item, lambda: self.stock_items),
            (t.dimension_supplier, lambda: self.suppliers),
            (t.dimension_transaction_type, lambda: self.kinds),
            (t.dimension_payment_method, lambda: self.kinds),
            (t.fact_purchase, lambda: self.purchases),
            (t.fact_order, self.write_orders),
            (t.fact_sale, lambda: self.sales),
            (t.fact_stock_holding, self.write_holdings),
            (t.fact_movement, self.write_movement),
            (t.fact_transaction, self.write_transactions),
        ]
        for table, step in steps:
            if self.fills(table):
                step()

    @cached_property
    def cities(self) -> Cities:
        if not self.fills(t.dimension_city):
            return read_cities(self.con)
        cities, columns = generate_cities(self.rng("city"), self.scale)
        self.write(t.dimension_city, columns)
        return cities

    @cached_property
    def customers(self) -> Customers:
        if not self.fills(t.dimension_customer):
            return read_customers(self.con, self.cities, self.rng("customer city"))
        customers, columns = generate_customers(self.rng("customer"), self.cities)
        self.write(t.dimension_customer, columns)
        return customers

    @cached_property
    def employees(self) -> Employees:
        if not self.fills(t.dimension_employee):
            return read_employees(self.con)
        employees, columns = generate_employees(self.rng("employee"))
        self.write(t.dimension_employee, columns)
        return employees

    @cached_property
    def stock_items(self) -> StockItems:
        if not self.fills(t.dimension_stock_item):
            return read_stock_items(self.con)
        items, columns = generate_stock_items(self.rng("stock item"))
        self.write(t.dimension_stock_item, columns)
        return items

    @cached_property
    def suppliers(self) -> Suppliers:
        if not self.fills(t.dimension_supplier):
            return read_suppliers(self.con)
        suppliers, columns = generate_suppliers(self.rng("supplier"))
        self.write(t.dimension_supplier, columns)
        return suppliers

    @cached_property
    def kinds(self) -> Kinds:
        if self.fills(t.dimension_transaction_type):
            self.write(t.dimension_transaction_type, transaction_type_columns())
        if self.fills(t.dimension_payment_method):
            self.write(t.dimension_payment_method, payment_method_columns())
        return read_kinds(self.con)

    @cached_property
    def purchases(self) -> Purchases:
        if not self.fills(t.fact_purchase):
            return read_purchases(self.con, self.stock_items)
        purchases, columns = generate_purchases(
            self.rng("purchase"), self.scale, self.stock_items, self.suppliers
        )
        self.write(t.fact_purchase, columns)
        return purchases

    @cached_property
    def receipts(self) -> Moments:
        return receipt_days(self.rng("receipt"), self.purchases, self.stock_items)

    @cached_property
    def generated_holdings(self) -> tuple[Holdings, Columns]:
        return generate_holdings(self.rng("stock holding"), self.stock_items, self.purchases)

    @cached_property
    def holdings(self) -> Holdings:
        """The stock the sales are drawn against (written later, see `write_holdings`)."""
        if not self.fills(t.fact_stock_holding):
            return read_holdings(self.con, self.stock_items)
        return self.generated_holdings[0]

    def write_holdings(self) -> None:
        columns = positioned_on_hand(
            self.rng("stock position"), self.generated_holdings[1], self.stock_items,
            self.sales, self.purchases,
        )  # fmt: skip
        self.write(t.fact_stock_holding, columns)

    @cached_property
    def orders(self) -> Orders:
        days = int((trading_days()[1] > 0).sum())

        def weights(lines: int) -> F64:
            return demand_weights(self.stock_items, self.holdings, self.purchases, lines, days)

        return place_orders(
            self.rng("order"), self.scale, self.stock_items, weights, self.customers,
            self.employees, self.cities,
        )  # fmt: skip

    @cached_property
    def sales(self) -> SaleLines:
        if not self.fills(t.fact_sale):
            return read_sale_lines(self.con)
        sales, columns = invoice_orders(
            self.rng("invoice"), self.orders, self.stock_items, self.holdings, self.employees,
            self.cities,
        )  # fmt: skip
        self.write(t.fact_sale, columns)
        return sales

    def write_orders(self) -> None:
        columns = order_columns(self.orders, self.stock_items, self.employees, self.cities)
        self.write(t.fact_order, columns)

    def write_movement(self) -> None:
        columns = movement_columns(
            self.rng("movement"), self.scale, self.stock_items, self.sales, self.purchases,
            self.receipts, self.kinds,
        )  # fmt: skip
        self.write(t.fact_movement, columns)

    def write_transactions(self) -> None:
        parts = customer_ledger(self.rng("customer ledger"), self.sales, self.kinds)
        parts += supplier_ledger(
            self.rng("supplier ledger"), self.purchases, self.receipts, self.holdings,
            self.suppliers, self.kinds,
        )  # fmt: skip
        self.write(t.fact_transaction, transaction_columns(parts, self.kinds))
