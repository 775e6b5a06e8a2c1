"""The dimensions that never scale: Date (the 2013-2016 calendar), Transaction Type and
Payment Method, and `Kinds`, which finds a transaction type or payment method by name.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

import duckdb
import numpy as np
import sqlalchemy as sa

from otelbi.warehouse import wwi_tables as t
from otelbi.warehouse.generator.wwi.columns import (
    I64,
    LINEAGE,
    Columns,
    Moments,
    dates,
    int32,
    texts,
)
from otelbi.warehouse.generator.wwi.connection import query
from otelbi.warehouse.generator.wwi.scd2 import Versions, read_versions, scd2_columns
from otelbi.warehouse.generator.wwi.timeline import (
    END_OF_TIME,
    FIRST_DAY,
    LAST_CALENDAR_DAY,
    MINUTE,
    START,
)


def date_columns() -> Columns:
    """Return Dimension.Date for 2013-2016: fiscal years start on 1 November, named by end year."""
    days = np.arange(FIRST_DAY, LAST_CALENDAR_DAY + 1, dtype="datetime64[D]")
    values = [date(2013, 1, 1) + timedelta(days=i) for i in range(len(days))]
    month = [d.month for d in values]
    fiscal_year = [d.year + 1 if d.month >= 11 else d.year for d in values]
    short = [d.strftime("%b") for d in values]
    return {
        "Date": dates(days),
        "Day Number": int32([d.day for d in values]),
        "Day": texts([str(d.day) for d in values]),
        "Month": texts([d.strftime("%B") for d in values]),
        "Short Month": texts(short),
        "Calendar Month Number": int32(month),
        "Calendar Month Label": texts(
            [f"CY{d.year}-{s}" for d, s in zip(values, short, strict=True)]
        ),
        "Calendar Year": int32([d.year for d in values]),
        "Calendar Year Label": texts([f"CY{d.year}" for d in values]),
        "Fiscal Month Number": int32([(m - 11) % 12 + 1 for m in month]),
        "Fiscal Month Label": texts(
            [f"FY{y}-{s}" for y, s in zip(fiscal_year, short, strict=True)]
        ),
        "Fiscal Year": int32(fiscal_year),
        "Fiscal Year Label": texts([f"FY{y}" for y in fiscal_year]),
        "ISO Week Number": int32([d.isocalendar()[1] for d in values]),
    }


# (key, WWI ID, name); "Contra" became "Customer Contra" and "Credit Card" "Credit-Card" on the
# first day of 2016, keeping their WWI IDs
_NEW_YEAR_2016 = np.datetime64("2016-01-01T16:00", "us")
_TRANSACTION_TYPES = (
    (1, 1, "Customer Invoice"), (2, 2, "Customer Credit Note"),
    (3, 3, "Customer Payment Received"), (4, 4, "Customer Refund"), (5, 5, "Supplier Invoice"),
    (6, 6, "Supplier Credit Note"), (7, 7, "Supplier Payment Issued"), (8, 8, "Supplier Refund"),
    (9, 9, "Stock Transfer"), (10, 10, "Stock Issue"), (11, 11, "Stock Receipt"),
    (12, 12, "Stock Adjustment at Stocktake"), (13, 13, "Contra"), (14, 13, "Customer Contra"),
)  # fmt: skip
_PAYMENT_METHODS = (
    (1, 3, "Credit Card"),
    (2, 1, "Cash"),
    (3, 2, "Check"),
    (4, 4, "EFT"),
    (5, 3, "Credit-Card"),
)


def _small_dimension(
    rows: Sequence[tuple[int, int, str]],
    windows: Mapping[int, tuple[np.datetime64, np.datetime64]],
    table: sa.Table,
) -> Columns:
    """Return a key / WWI ID / name dimension; `windows` bounds the renamed members."""
    key_column, id_column, name_column = (column.name for column in list(table.columns)[:3])
    keys = [0] + [row[0] for row in rows]
    always = (START, END_OF_TIME)
    return {
        key_column: int32(keys),
        id_column: int32([0] + [row[1] for row in rows]),
        name_column: texts(["Unknown"] + [row[2] for row in rows]),
        **scd2_columns(
            np.array([windows.get(k, always)[0] for k in keys], dtype="datetime64[us]"),
            np.array([windows.get(k, always)[1] for k in keys], dtype="datetime64[us]"),
            [0] + [LINEAGE[table]] * len(rows),
        ),
    }


def transaction_type_columns() -> Columns:
    renamed = _NEW_YEAR_2016 + 5 * MINUTE
    windows = {13: (_NEW_YEAR_2016, renamed), 14: (renamed, END_OF_TIME)}
    return _small_dimension(_TRANSACTION_TYPES, windows, t.dimension_transaction_type)


def payment_method_columns() -> Columns:
    windows = {1: (START, _NEW_YEAR_2016), 5: (_NEW_YEAR_2016, END_OF_TIME)}
    return _small_dimension(_PAYMENT_METHODS, windows, t.dimension_payment_method)


def _normalized(name: str) -> str:
    return re.sub(r"[^a-z]", "", name.lower())


@dataclass(frozen=True)
class Kinds:
    """Transaction types and payment methods, looked up by name."""

    transaction_type: dict[str, int]  # lower-case name -> latest key
    payment_methods: Versions
    payment_method_id: dict[str, int]  # normalized name -> WWI Payment Method ID

    def type_key(self, name: str) -> int:
        """Return the type's key, or 0 (Unknown) when the dimension lacks it."""
        return self.transaction_type.get(name.lower(), 0)

    def method_key(self, name: str, moments: Moments) -> I64:
        method = self.payment_method_id.get(_normalized(name), -1)
        return self.payment_methods.at(np.full(len(moments), method, dtype=np.int64), moments)


def read_kinds(con: duckdb.DuckDBPyConnection) -> Kinds:
    types = query(
        con,
        'SELECT lower("Transaction Type") AS name, arg_max("Transaction Type Key", "Valid From") '
        'AS k FROM "Dimension"."Transaction Type" GROUP BY 1',
    )
    methods = query(
        con,
        'SELECT "Payment Method" AS name, min("WWI Payment Method ID") AS id '
        'FROM "Dimension"."Payment Method" GROUP BY 1',
    )
    return Kinds(
        transaction_type=dict(zip(types["name"].tolist(), types["k"].tolist(), strict=True)),
        payment_methods=read_versions(
            con, t.dimension_payment_method, "Payment Method Key", "WWI Payment Method ID"
        ),
        payment_method_id={
            _normalized(str(n)): int(i) for n, i in zip(methods["name"], methods["id"], strict=True)
        },
    )
