"""XLSX export with XlsxWriter in constant-memory mode: typed cells, one or more data sheets
(each with a bold frozen header, an autofilter, column widths and number formats, set up to
print one page wide with the header row repeated), then a Parameters sheet.

Constant-memory mode writes each row to a temporary file as soon as the next row starts, so
memory stays flat however long the table is; the workbook is then zipped into a temporary
file, streamed in chunks and deleted. (XlsxWriter's `in_memory` mode would hold every row.)
A sheet holds at most EXCEL_MAX_DATA_ROWS rows under its header; the rows after that go on
to "Data (2)", "Data (3)" … instead of failing.

The building blocks (`CellFormats`, `write_data_sheets`, `write_parameters_sheet`) also
serve workbooks that hold several tables.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Callable, Generator, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import xlsxwriter

from otelbi.files.cells import as_text, display_text, looks_like_formula, utc_naive
from otelbi.files.labels import parameter_label
from otelbi.files.table import CellValue, Column, ColumnKind, Table

EXCEL_MAX_DATA_ROWS = 1_048_575
"""Excel's 1,048,576 rows per sheet, less the header row."""
CHUNK_BYTES = 256 * 1024
WIDTH_SAMPLE_ROWS = 1000
MIN_WIDTH, MAX_WIDTH = 8, 60
PARAMETERS_SHEET = "Parameters"
MONEY_FORMAT = "[$$-409]#,##0.00"
"""Excel's "Currency, $ English (United States)" format: both warehouses are in US dollars."""

Worksheet = Any  # xlsxwriter ships no type hints
CellWriter = Callable[[Worksheet, int, int, CellValue], None]


def _decimals(places: int) -> str:
    return "0." + "0" * places if places > 0 else "0"


class CellFormats:
    """The formats of one workbook: header, quoted text, and one per column kind."""

    def __init__(self, workbook: xlsxwriter.Workbook) -> None:
        self._workbook = workbook
        self.header = workbook.add_format({"bold": True, "bg_color": "#E8EEF4", "bottom": 1})
        self.label = workbook.add_format({"bold": True})
        self.quoted_text = workbook.add_format({"quote_prefix": True})
        self.date = workbook.add_format({"num_format": "yyyy-mm-dd"})
        self.datetime = workbook.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
        self._numbers: dict[str, Any] = {}

    def number(self, num_format: str) -> Any:
        """Return the (shared) format for `num_format`."""
        if num_format not in self._numbers:
            self._numbers[num_format] = self._workbook.add_format({"num_format": num_format})
        return self._numbers[num_format]

    def for_column(self, column: Column) -> Any:
        """Return the cell format of `column`'s values (None for text)."""
        num_formats = {
            ColumnKind.INTEGER: "#,##0",
            ColumnKind.DECIMAL: "#,##" + _decimals(column.decimals),
            ColumnKind.MONEY: MONEY_FORMAT,
            ColumnKind.PERCENT: _decimals(column.decimals) + "%",
        }
        if column.kind in num_formats:
            return self.number(num_formats[column.kind])
        return {ColumnKind.DATE: self.date, ColumnKind.DATETIME: self.datetime}.get(column.kind)

    def write_text(self, sheet: Worksheet, row: int, col: int, text: str) -> None:
        """Write `text` as a string cell; formula-looking text gets the quotePrefix style.

        write_string never makes a formula; quotePrefix also keeps Excel from turning the
        text into one when a user edits the cell, without changing the text.
        """
        if looks_like_formula(text):
            sheet.write_string(row, col, text, self.quoted_text)
        else:
            sheet.write_string(row, col, text)


def cell_writer(formats: CellFormats, column: Column) -> CellWriter:
    """Return the function that writes one of `column`'s values as a typed cell."""
    cell_format = formats.for_column(column)
    scale = 0.01 if column.kind is ColumnKind.PERCENT else 1.0

    def write(sheet: Worksheet, row: int, col: int, value: CellValue) -> None:
        if value is None:
            return
        if isinstance(value, bool):
            sheet.write_boolean(row, col, value)
        elif isinstance(value, int | float | Decimal) and column.kind is not ColumnKind.TEXT:
            sheet.write_number(row, col, float(value) * scale, cell_format)
        elif isinstance(value, dt.datetime):
            sheet.write_datetime(row, col, utc_naive(value), formats.datetime)
        elif isinstance(value, dt.date):
            sheet.write_datetime(row, col, value, formats.date)
        else:
            formats.write_text(sheet, row, col, as_text(value))

    return write


def _sheet_name(base: str, number: int) -> str:
    suffix = "" if number == 1 else f" ({number})"
    return base[: 31 - len(suffix)] + suffix


class _Widths:
    """Column widths from the titles and the first rows' display text."""

    def __init__(self, columns: Sequence[Column]) -> None:
        self.columns = columns
        self.widths = [len(column.title) + 2 for column in columns]  # room for the filter button

    def sample(self, row: Sequence[CellValue]) -> None:
        for index, (value, column) in enumerate(zip(row, self.columns, strict=True)):
            self.widths[index] = max(self.widths[index], len(display_text(value, column)))

    def apply(self, sheet: Worksheet) -> None:
        for index, width in enumerate(self.widths):
            sheet.set_column(index, index, min(max(width + 1, MIN_WIDTH), MAX_WIDTH))


def set_up_printing(sheet: Worksheet, title: str) -> None:
    """Make `sheet` print landscape, one page wide, the header row on every page, and the
    title, page number and page count on each page."""
    sheet.set_landscape()
    sheet.fit_to_pages(1, 0)  # one page wide, as many pages tall as the rows need
    sheet.repeat_rows(0)
    sheet.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    # In Excel's header/footer codes "&" starts a code, so a literal one is written "&&".
    sheet.set_header('&L&"Calibri,Bold"' + title.replace("&", "&&")[:200])
    sheet.set_footer("&LPrinted &D&RPage &P of &N")


def write_data_sheets(
    workbook: xlsxwriter.Workbook,
    formats: CellFormats,
    table: Table,
    *,
    max_rows_per_sheet: int = EXCEL_MAX_DATA_ROWS,
) -> tuple[int, list[str]]:
    """Write `table`'s rows on as many sheets as they need; return rows and sheet names."""
    columns = list(table.columns)
    writers = [cell_writer(formats, column) for column in columns]
    widths = _Widths(columns)
    sheets: list[Worksheet] = []
    names: list[str] = []

    def new_sheet() -> Worksheet:
        names.append(_sheet_name(table.sheet_name, len(names) + 1))
        sheet = workbook.add_worksheet(names[-1])
        for col, column in enumerate(columns):
            sheet.write_string(0, col, column.title, formats.header)
        sheet.freeze_panes(1, 0)
        set_up_printing(sheet, table.title)
        sheets.append(sheet)
        return sheet

    sheet = new_sheet()
    rows = row_in_sheet = 0
    for row in table.rows:
        if row_in_sheet == max_rows_per_sheet:
            sheet.autofilter(0, 0, row_in_sheet, len(columns) - 1)
            sheet, row_in_sheet = new_sheet(), 0
        row_in_sheet += 1
        for col, (write, value) in enumerate(zip(writers, row, strict=True)):
            write(sheet, row_in_sheet, col, value)
        if rows < WIDTH_SAMPLE_ROWS:
            widths.sample(row)
        rows += 1
    sheet.autofilter(0, 0, row_in_sheet, len(columns) - 1)
    for each in sheets:
        widths.apply(each)
    return rows, names


def write_parameters_sheet(
    workbook: xlsxwriter.Workbook,
    formats: CellFormats,
    table: Table,
    *,
    rows: int,
    data_sheets: Sequence[str],
) -> None:
    """Write the sheet that says what the data is: title, as-of, generation time, parameters."""
    sheet = workbook.add_worksheet(PARAMETERS_SHEET)
    facts: list[tuple[str, object, Any]] = [
        ("Title", table.title, None),
        ("As of", table.as_of, formats.date),
        ("Generated at (UTC)", utc_naive(table.generated_at), formats.datetime),
        ("Rows", rows, formats.number("#,##0")),
        ("Sheets", ", ".join(data_sheets), None),
    ]
    context = {**table.parameters, **table.details}
    facts += [(parameter_label(name), value, None) for name, value in context.items()]
    for row, (fact, value, cell_format) in enumerate(facts):
        sheet.write_string(row, 0, fact, formats.label)
        if value is None:
            sheet.write_string(row, 1, "")
        elif isinstance(value, bool):
            sheet.write_boolean(row, 1, value)
        elif isinstance(value, dt.date):
            sheet.write_datetime(row, 1, value, cell_format)
        elif isinstance(value, int | float):
            sheet.write_number(row, 1, value, cell_format)
        else:
            formats.write_text(sheet, row, 1, as_text(value))
    sheet.set_column(0, 0, 20)
    sheet.set_column(1, 1, max(20, min(MAX_WIDTH, len(table.title) + 2)))


def write_xlsx(
    table: Table,
    *,
    max_rows_per_sheet: int = EXCEL_MAX_DATA_ROWS,
    chunk_bytes: int = CHUNK_BYTES,
) -> Generator[bytes, None, int]:
    """Yield the XLSX file of `table` in chunks; return the number of data rows."""
    with tempfile.TemporaryDirectory(prefix="otelbi-xlsx-") as spool:
        path = Path(spool) / "export.xlsx"
        workbook = xlsxwriter.Workbook(
            str(path), {"constant_memory": True, "tmpdir": spool, "nan_inf_to_errors": True}
        )
        formats = CellFormats(workbook)
        rows, sheets = write_data_sheets(
            workbook, formats, table, max_rows_per_sheet=max_rows_per_sheet
        )
        write_parameters_sheet(workbook, formats, table, rows=rows, data_sheets=sheets)
        workbook.close()
        with path.open("rb") as file:
            while chunk := file.read(chunk_bytes):
                yield chunk
    return rows
