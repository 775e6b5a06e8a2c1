"""How one cell's value becomes text: formula neutralising, CSV fields, display text.

Formula injection: spreadsheet programs evaluate a text cell that begins with `=`, `+`, `-`,
`@`, a tab or a carriage return; any other control character is treated the same, to be
safe. `neutralise` prefixes such text with a single quote, the only defence a CSV file can
carry (the reader sees the quote). XLSX keeps the text as it is in a string cell whose style
has quotePrefix set: typed as text, and kept text even when a user edits it (xlsx_writer).
PDF is never evaluated, so it shows the text unchanged.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from decimal import Decimal
from enum import Enum
from typing import Any

from otelbi.files.table import CellValue, Column, ColumnKind

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
QUOTE = "'"
DATETIME_FORMAT = "%Y-%m-%d %H:%M:%S"


def looks_like_formula(text: str) -> bool:
    """Return True if a spreadsheet could read `text` as a formula."""
    return text.startswith(FORMULA_TRIGGERS) or (text[:1] < " " and text != "")


def neutralise(text: str) -> str:
    """Return `text`, prefixed with a single quote if it looks like a formula."""
    return QUOTE + text if looks_like_formula(text) else text


def as_text(value: object) -> str:
    """Return a text cell's string (an enum gives its value)."""
    if isinstance(value, Enum):
        return str(value.value)
    return str(value)


def utc_naive(value: dt.datetime) -> dt.datetime:
    """Return `value` in UTC without a timezone (a naive value is taken as UTC already)."""
    if value.tzinfo is None:
        return value
    return value.astimezone(dt.UTC).replace(tzinfo=None)


def plain_number(value: int | float | Decimal) -> str:
    """Return a number as digits and a point, never in exponent notation ("" for NaN/inf)."""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        text = repr(value)
        if "e" not in text and "n" not in text:  # no exponent, not nan or inf
            return text[:-2] if text.endswith(".0") else text
        if not math.isfinite(value):
            return ""
        value = Decimal(text)
    text = format(value, "f")
    return text[:-2] if text.endswith(".0") else text


def _csv_datetime(value: dt.datetime) -> str:
    return utc_naive(value).strftime(DATETIME_FORMAT)


_CSV_BY_TYPE: dict[type, Callable[[Any], str]] = {
    str: neutralise,
    int: str,
    float: plain_number,
    Decimal: plain_number,
    bool: plain_number,
    dt.date: dt.date.isoformat,
    dt.datetime: _csv_datetime,
    type(None): lambda _: "",
}


def csv_field(value: CellValue) -> str:
    """Return the CSV text of one cell: numbers exact, dates ISO, text neutralised."""
    by_type = _CSV_BY_TYPE.get(type(value))
    if by_type is not None:
        return by_type(value)
    if isinstance(value, Enum):
        return neutralise(as_text(value))
    if isinstance(value, dt.datetime):
        return _csv_datetime(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int | float | Decimal):
        return plain_number(value)
    return neutralise(str(value))


def display_text(value: CellValue, column: Column) -> str:
    """Return one cell as a reader sees it: thousands separators, $, %, dates ISO."""
    if value is None:
        return ""
    if isinstance(value, str | Enum | bool) or column.kind is ColumnKind.TEXT:
        return as_text(value)
    if isinstance(value, dt.datetime):
        return utc_naive(value).strftime(DATETIME_FORMAT)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int | float | Decimal):
        return _display_number(value, column)
    return as_text(value)


def _display_number(value: int | float | Decimal, column: Column) -> str:
    if column.kind is ColumnKind.INTEGER and (isinstance(value, int) or value == int(value)):
        return f"{int(value):,}"
    text = f"{value:,.{column.decimals}f}"
    if column.kind is ColumnKind.MONEY:
        return f"-${text[1:]}" if text.startswith("-") else f"${text}"
    if column.kind is ColumnKind.PERCENT:
        return f"{text} %"
    return text
