"""A report: several tables in one document, with a cover (facts and summary tables) and one
section per table; the PDF may show an excerpt of a long section. `xlsx_report` and
`pdf_report` write it; both read every table, so a report's tables hold their rows as
sequences, not one-shot iterators.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from otelbi.files.table import CellValue, Row, Table


def with_rows_kept(table: Table) -> Table:
    """Return `table` with its rows read into a list, so several writers can read them."""
    return table if isinstance(table.rows, list) else replace(table, rows=list(table.rows))


def table_rows(table: Table) -> Sequence[Row]:
    """Return a report table's rows (kept by `with_rows_kept`)."""
    if not isinstance(table.rows, list):
        raise TypeError(f"{table.title}: a report table's rows must be a list")
    return table.rows


@dataclass(frozen=True)
class Excerpt:
    """The rows a PDF section shows of a longer table, and the sentence that counts the rest
    (the XLSX holds every row)."""

    rows: Sequence[Row]
    rest: str


@dataclass(frozen=True)
class Report:
    """What a report shows: a cover, then one section (sheet, PDF chapter) per table."""

    title: str
    generated_at: dt.datetime
    facts: Sequence[tuple[str, CellValue]]
    """(label, value) pairs for the cover: report id, window, as-of dates …"""
    summary: Sequence[Table]
    """Tables shown on the cover (the KPIs)."""
    sections: Sequence[Table]
    """One section each, in this order; their sheet names must be unique."""
    pdf_excerpts: Mapping[str, Excerpt] = field(default_factory=dict)
    """By sheet name: the sections whose PDF chapter shows only some rows."""

    def __post_init__(self) -> None:
        for table in (*self.summary, *self.sections):
            table_rows(table)
        names = [table.sheet_name for table in self.sections]
        if len(set(names)) != len(names):
            raise ValueError(f"section sheet names repeat: {names}")
