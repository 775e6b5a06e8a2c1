"""The tabular model every file writer reads: typed columns, rows as an iterator, context."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum


class ColumnKind(StrEnum):
    """What a column holds, which decides how each format writes its cells."""

    TEXT = "text"
    INTEGER = "integer"
    DECIMAL = "decimal"
    MONEY = "money"
    PERCENT = "percent"
    """Percentage points, as the JSON views give them (93.5 means 93.5 %)."""
    DATE = "date"
    DATETIME = "datetime"
    """Shown in UTC; a timezone-aware value is converted, a naive one is taken as UTC."""


NUMERIC_KINDS = frozenset(
    {ColumnKind.INTEGER, ColumnKind.DECIMAL, ColumnKind.MONEY, ColumnKind.PERCENT}
)

CellValue = str | int | float | Decimal | dt.date | dt.datetime | bool | None
Row = Sequence[CellValue]


@dataclass(frozen=True)
class Column:
    """One column: the view's field name, the title a reader sees, its kind and decimals."""

    key: str
    title: str
    kind: ColumnKind = ColumnKind.TEXT
    decimals: int = 2
    """Decimals shown for decimal, money and percent cells (the stored value is not rounded)."""

    @property
    def numeric(self) -> bool:
        """Return True for integer, decimal, money and percent columns."""
        return self.kind in NUMERIC_KINDS


class ChartKind(StrEnum):
    """The charts a PDF can show above its table."""

    LINE = "line"
    """`value` over `category` (dates), with an interval when `lower` and `upper` are set."""
    BAR = "bar"
    """`value` of the first `top` rows (the views are ranked), labelled by `category`."""


@dataclass(frozen=True)
class Chart:
    """Which columns a chart plots; the column keys must be among the table's."""

    kind: ChartKind
    title: str
    category: str
    value: str
    lower: str | None = None
    upper: str | None = None
    top: int = 15
    more: tuple[str, ...] = ()
    """Further value columns of a line chart, each its own line (the chart gets a legend)."""


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass
class Table:
    """A titled table with its parameters and as-of date; `rows` can be read only once."""

    title: str
    columns: Sequence[Column]
    rows: Iterable[Row]
    as_of: dt.date
    parameters: Mapping[str, object] = field(default_factory=dict)
    """The request's parameters, defaults filled in (also stored with the export record)."""
    details: Mapping[str, object] = field(default_factory=dict)
    """Other facts a reader needs next to the data, e.g. the forecast method."""
    generated_at: dt.datetime = field(default_factory=_now)
    chart: Chart | None = None
    sheet_name: str = "Data"

    def column_index(self, key: str) -> int:
        """Return the position of the column named `key`."""
        for index, column in enumerate(self.columns):
            if column.key == key:
                return index
        raise KeyError(key)


def attribute_rows(items: Iterable[object], columns: Sequence[Column]) -> Iterator[Row]:
    """Yield one row per item, its cells read from the attributes the columns name."""
    keys = [column.key for column in columns]
    for item in items:
        yield tuple(getattr(item, key) for key in keys)
