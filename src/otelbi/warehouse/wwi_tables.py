"""WideWorldImportersDW tables the app reads, declared with their real names, order and types.

Names keep their spaces (`Fact.[Stock Holding]`, `Dimension.[Stock Item]`); one declaration
serves SQL Server and the embedded DuckDB copy (see `column_types`). Primary keys are declared
as in the warehouse (fact keys are (key, date key) because the facts are partitioned); foreign
keys are not, because cross-schema foreign keys break duckdb-engine; the data-quality checks
hold the key relationships instead.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from otelbi.warehouse.column_types import DateTime2, Geography, VarBinaryMax

metadata = sa.MetaData()


def _required(name: str, type_: sa.types.TypeEngine[Any]) -> sa.Column[Any]:
    return sa.Column(name, type_, nullable=False)


def _optional(name: str, type_: sa.types.TypeEngine[Any]) -> sa.Column[Any]:
    return sa.Column(name, type_, nullable=True)


def _key(name: str, type_: sa.types.TypeEngine[Any]) -> sa.Column[Any]:
    return sa.Column(name, type_, primary_key=True, autoincrement=False, nullable=False)


def _money(name: str) -> sa.Column[Any]:
    return _required(name, sa.Numeric(18, 2))


def _scd2_tail() -> list[sa.Column[Any]]:
    """Return the columns every dimension but Date ends with."""
    return [
        _required("Valid From", DateTime2()),
        _required("Valid To", DateTime2()),
        _required("Lineage Key", sa.Integer()),
    ]


# --- Dimension ----------------------------------------------------------------------------

dimension_city = sa.Table(
    "City",
    metadata,
    _key("City Key", sa.Integer()),
    _required("WWI City ID", sa.Integer()),
    _required("City", sa.Unicode(50)),
    _required("State Province", sa.Unicode(50)),
    _required("Country", sa.Unicode(60)),
    _required("Continent", sa.Unicode(30)),
    _required("Sales Territory", sa.Unicode(50)),
    _required("Region", sa.Unicode(30)),
    _required("Subregion", sa.Unicode(30)),
    _optional("Location", Geography()),
    _required("Latest Recorded Population", sa.BigInteger()),
    *_scd2_tail(),
    schema="Dimension",
)

dimension_customer = sa.Table(
    "Customer",
    metadata,
    _key("Customer Key", sa.Integer()),
    _required("WWI Customer ID", sa.Integer()),
    _required("Customer", sa.Unicode(100)),
    _required("Bill To Customer", sa.Unicode(100)),
    _required("Category", sa.Unicode(50)),
    _required("Buying Group", sa.Unicode(50)),
    _required("Primary Contact", sa.Unicode(50)),
    _required("Postal Code", sa.Unicode(10)),
    *_scd2_tail(),
    schema="Dimension",
)

dimension_date = sa.Table(
    "Date",
    metadata,
    _key("Date", sa.Date()),
    _required("Day Number", sa.Integer()),
    _required("Day", sa.Unicode(10)),
    _required("Month", sa.Unicode(10)),
    _required("Short Month", sa.Unicode(3)),
    _required("Calendar Month Number", sa.Integer()),
    _required("Calendar Month Label", sa.Unicode(20)),
    _required("Calendar Year", sa.Integer()),
    _required("Calendar Year Label", sa.Unicode(10)),
    _required("Fiscal Month Number", sa.Integer()),
    _required("Fiscal Month Label", sa.Unicode(20)),
    _required("Fiscal Year", sa.Integer()),
    _required("Fiscal Year Label", sa.Unicode(10)),
    _required("ISO Week Number", sa.Integer()),
    schema="Dimension",
)

dimension_employee = sa.Table(
    "Employee",
    metadata,
    _key("Employee Key", sa.Integer()),
    _required("WWI Employee ID", sa.Integer()),
    _required("Employee", sa.Unicode(50)),
    _required("Preferred Name", sa.Unicode(50)),
    _required("Is Salesperson", sa.Boolean()),
    _optional("Photo", VarBinaryMax()),
    *_scd2_tail(),
    schema="Dimension",
)

dimension_payment_method = sa.Table(
    "Payment Method",
    metadata,
    _key("Payment Method Key", sa.Integer()),
    _required("WWI Payment Method ID", sa.Integer()),
    _required("Payment Method", sa.Unicode(50)),
    *_scd2_tail(),
    schema="Dimension",
)

dimension_stock_item = sa.Table(
    "Stock Item",
    metadata,
    _key("Stock Item Key", sa.Integer()),
    _required("WWI Stock Item ID", sa.Integer()),
    _required("Stock Item", sa.Unicode(100)),
    _required("Color", sa.Unicode(20)),
    _required("Selling Package", sa.Unicode(50)),
    _required("Buying Package", sa.Unicode(50)),
    _required("Brand", sa.Unicode(50)),
    _required("Size", sa.Unicode(20)),
    _required("Lead Time Days", sa.Integer()),
    _required("Quantity Per Outer", sa.Integer()),
    _required("Is Chiller Stock", sa.Boolean()),
    _optional("Barcode", sa.Unicode(50)),
    _required("Tax Rate", sa.Numeric(18, 3)),
    _required("Unit Price", sa.Numeric(18, 2)),
    _optional("Recommended Retail Price", sa.Numeric(18, 2)),
    _required("Typical Weight Per Unit", sa.Numeric(18, 3)),
    _optional("Photo", VarBinaryMax()),
    *_scd2_tail(),
    schema="Dimension",
)

dimension_supplier = sa.Table(
    "Supplier",
    metadata,
    _key("Supplier Key", sa.Integer()),
    _required("WWI Supplier ID", sa.Integer()),
    _required("Supplier", sa.Unicode(100)),
    _required("Category", sa.Unicode(50)),
    _required("Primary Contact", sa.Unicode(50)),
    _optional("Supplier Reference", sa.Unicode(20)),
    _required("Payment Days", sa.Integer()),
    _required("Postal Code", sa.Unicode(10)),
    *_scd2_tail(),
    schema="Dimension",
)

dimension_transaction_type = sa.Table(
    "Transaction Type",
    metadata,
    _key("Transaction Type Key", sa.Integer()),
    _required("WWI Transaction Type ID", sa.Integer()),
    _required("Transaction Type", sa.Unicode(50)),
    *_scd2_tail(),
    schema="Dimension",
)

# --- Fact ---------------------------------------------------------------------------------

fact_sale = sa.Table(
    "Sale",
    metadata,
    _key("Sale Key", sa.BigInteger()),
    _required("City Key", sa.Integer()),
    _required("Customer Key", sa.Integer()),
    _required("Bill To Customer Key", sa.Integer()),
    _required("Stock Item Key", sa.Integer()),
    _key("Invoice Date Key", sa.Date()),
    _optional("Delivery Date Key", sa.Date()),
    _required("Salesperson Key", sa.Integer()),
    _required("WWI Invoice ID", sa.Integer()),
    _required("Description", sa.Unicode(100)),
    _required("Package", sa.Unicode(50)),
    _required("Quantity", sa.Integer()),
    _required("Unit Price", sa.Numeric(18, 2)),
    _required("Tax Rate", sa.Numeric(18, 3)),
    _money("Total Excluding Tax"),
    _money("Tax Amount"),
    _money("Profit"),
    _money("Total Including Tax"),
    _required("Total Dry Items", sa.Integer()),
    _required("Total Chiller Items", sa.Integer()),
    _required("Lineage Key", sa.Integer()),
    schema="Fact",
)

fact_order = sa.Table(
    "Order",
    metadata,
    _key("Order Key", sa.BigInteger()),
    _required("City Key", sa.Integer()),
    _required("Customer Key", sa.Integer()),
    _required("Stock Item Key", sa.Integer()),
    _key("Order Date Key", sa.Date()),
    _optional("Picked Date Key", sa.Date()),
    _required("Salesperson Key", sa.Integer()),
    _optional("Picker Key", sa.Integer()),
    _required("WWI Order ID", sa.Integer()),
    _optional("WWI Backorder ID", sa.Integer()),
    _required("Description", sa.Unicode(100)),
    _required("Package", sa.Unicode(50)),
    _required("Quantity", sa.Integer()),
    _required("Unit Price", sa.Numeric(18, 2)),
    _required("Tax Rate", sa.Numeric(18, 3)),
    _money("Total Excluding Tax"),
    _money("Tax Amount"),
    _money("Total Including Tax"),
    _required("Lineage Key", sa.Integer()),
    schema="Fact",
)

fact_purchase = sa.Table(
    "Purchase",
    metadata,
    _key("Purchase Key", sa.BigInteger()),
    _key("Date Key", sa.Date()),
    _required("Supplier Key", sa.Integer()),
    _required("Stock Item Key", sa.Integer()),
    _optional("WWI Purchase Order ID", sa.Integer()),
    _required("Ordered Outers", sa.Integer()),
    _required("Ordered Quantity", sa.Integer()),
    _required("Received Outers", sa.Integer()),
    _required("Package", sa.Unicode(50)),
    _required("Is Order Finalized", sa.Boolean()),
    _required("Lineage Key", sa.Integer()),
    schema="Fact",
)

fact_movement = sa.Table(
    "Movement",
    metadata,
    _key("Movement Key", sa.BigInteger()),
    _key("Date Key", sa.Date()),
    _required("Stock Item Key", sa.Integer()),
    _optional("Customer Key", sa.Integer()),
    _optional("Supplier Key", sa.Integer()),
    _required("Transaction Type Key", sa.Integer()),
    _required("WWI Stock Item Transaction ID", sa.Integer()),
    _optional("WWI Invoice ID", sa.Integer()),
    _optional("WWI Purchase Order ID", sa.Integer()),
    _required("Quantity", sa.Integer()),
    _required("Lineage Key", sa.Integer()),
    schema="Fact",
)

fact_stock_holding = sa.Table(
    "Stock Holding",
    metadata,
    _key("Stock Holding Key", sa.BigInteger()),
    _required("Stock Item Key", sa.Integer()),
    _required("Quantity On Hand", sa.Integer()),
    _required("Bin Location", sa.Unicode(20)),
    _required("Last Stocktake Quantity", sa.Integer()),
    _required("Last Cost Price", sa.Numeric(18, 2)),
    _required("Reorder Level", sa.Integer()),
    _required("Target Stock Level", sa.Integer()),
    _required("Lineage Key", sa.Integer()),
    schema="Fact",
)

fact_transaction = sa.Table(
    "Transaction",
    metadata,
    _key("Transaction Key", sa.BigInteger()),
    _key("Date Key", sa.Date()),
    _optional("Customer Key", sa.Integer()),
    _optional("Bill To Customer Key", sa.Integer()),
    _optional("Supplier Key", sa.Integer()),
    _required("Transaction Type Key", sa.Integer()),
    _optional("Payment Method Key", sa.Integer()),
    _optional("WWI Customer Transaction ID", sa.Integer()),
    _optional("WWI Supplier Transaction ID", sa.Integer()),
    _optional("WWI Invoice ID", sa.Integer()),
    _optional("WWI Purchase Order ID", sa.Integer()),
    _optional("Supplier Invoice Number", sa.Unicode(20)),
    _money("Total Excluding Tax"),
    _money("Tax Amount"),
    _money("Total Including Tax"),
    _money("Outstanding Balance"),
    _required("Is Finalized", sa.Boolean()),
    _required("Lineage Key", sa.Integer()),
    schema="Fact",
)
