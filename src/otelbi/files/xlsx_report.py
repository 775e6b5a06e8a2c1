"""A report as one XLSX workbook: a cover sheet (title, facts, summary tables, contents with
links), then one sheet per section with every row as typed cells and, where the table has a
chart, a native Excel chart beside it (lines over dates, with the interval dashed; or bars of
the top rows), with axis titles and units, and a legend when it has several series. Every
sheet, the cover too, prints landscape one page wide.

The workbook is built in memory in XlsxWriter's normal mode, not the constant-memory mode of
per-view exports: a report holds aggregated views (a few thousand rows at most), and the
charts refer back to the cells. Cells are written by the export writer's building blocks
(`CellFormats`, `cell_writer`, `write_data_sheets`), so types, formats and formula
neutralising are the same as in a per-view XLSX.
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

import xlsxwriter

from otelbi.files.cells import as_text, utc_naive
from otelbi.files.labels import axis_title, parameter_label, value_axis_title
from otelbi.files.pdf_charts import MONTH_LABELS_FROM_DAYS
from otelbi.files.report import Report, table_rows
from otelbi.files.table import CellValue, ChartKind, Table
from otelbi.files.xlsx_writer import (
    EXCEL_MAX_DATA_ROWS,
    CellFormats,
    Worksheet,
    cell_writer,
    set_up_printing,
    write_data_sheets,
)

COVER_SHEET = "Cover"
LINE_COLOURS = ("#1F5F99", "#D9822B", "#3A9A5B")
BAND_COLOUR, BAR_COLOUR = "#8FA9C4", "#3D7DBF"
CHART_SIZE = {"width": 760, "height": 380}
CONTENTS_HEADER = ("Sheet", "Title", "As of", "Rows", "Parameters")


def write_xlsx_report(report: Report) -> bytes:
    """Return the report's workbook as bytes."""
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True, "nan_inf_to_errors": True})
    workbook.set_properties(
        {"title": report.title, "author": "OTel BI", "created": utc_naive(report.generated_at)}
    )
    formats = CellFormats(workbook)
    _write_cover(workbook, formats, report)
    for table in report.sections:
        rows, sheet_names = write_data_sheets(workbook, formats, table)
        if table.chart is not None and rows:
            sheet = workbook.get_worksheet_by_name(sheet_names[0])
            _insert_chart(workbook, sheet, sheet_names[0], table, rows)
    workbook.close()
    return buffer.getvalue()


def _write_cover(workbook: xlsxwriter.Workbook, formats: CellFormats, report: Report) -> None:
    sheet = workbook.add_worksheet(COVER_SHEET)
    # quote_prefix: the title is the user's text and must stay text, whatever it starts with.
    title = workbook.add_format({"bold": True, "font_size": 16, "quote_prefix": True})
    heading = workbook.add_format({"bold": True, "font_size": 12})
    sheet.write_string(0, 0, report.title, title)
    row = 2
    for label, value in report.facts:
        sheet.write_string(row, 0, label, formats.label)
        _write_value(sheet, formats, row, 1, value)
        row += 1
    for table in report.summary:
        row += 1
        sheet.write_string(row, 0, table.title, heading)
        row += 1
        writers = [cell_writer(formats, column) for column in table.columns]
        for col, column in enumerate(table.columns):
            sheet.write_string(row, col, column.title, formats.header)
        for values in table_rows(table):
            row += 1
            for col, (write, value) in enumerate(zip(writers, values, strict=True)):
                write(sheet, row, col, value)
        row += 1
    row += 1
    sheet.write_string(row, 0, "Contents", heading)
    row += 1
    for col, text in enumerate(CONTENTS_HEADER):
        sheet.write_string(row, col, text, formats.header)
    for table in report.sections:
        row += 1
        name = table.sheet_name[:31]
        quoted = name.replace("'", "''")
        sheet.write_url(row, 0, f"internal:'{quoted}'!A1", string=name)
        formats.write_text(sheet, row, 1, table.title)
        sheet.write_datetime(row, 2, table.as_of, formats.date)
        sheet.write_number(row, 3, len(table_rows(table)), formats.number("#,##0"))
        parameters = "; ".join(
            f"{parameter_label(key)}: {as_text(value)}" for key, value in table.parameters.items()
        )
        formats.write_text(sheet, row, 4, parameters)
    sheet.set_column(0, 0, 26)
    sheet.set_column(1, 1, 44)
    sheet.set_column(2, 12, 16)
    set_up_printing(sheet, report.title)
    sheet.activate()


def _write_value(
    sheet: Worksheet, formats: CellFormats, row: int, col: int, value: CellValue
) -> None:
    """Write one cover fact as a typed cell."""
    if value is None:
        return
    if isinstance(value, bool):
        sheet.write_boolean(row, col, value)
    elif isinstance(value, dt.datetime):
        sheet.write_datetime(row, col, utc_naive(value), formats.datetime)
    elif isinstance(value, dt.date):
        sheet.write_datetime(row, col, value, formats.date)
    elif isinstance(value, int):
        sheet.write_number(row, col, value, formats.number("#,##0"))
    elif isinstance(value, float | Decimal):
        sheet.write_number(row, col, float(value))
    else:
        formats.write_text(sheet, row, col, as_text(value))


def _insert_chart(
    workbook: xlsxwriter.Workbook, sheet: Worksheet, sheet_name: str, table: Table, rows: int
) -> None:
    """Insert `table.chart` as a native chart right of the table, over its cells."""
    spec = table.chart
    assert spec is not None
    category = table.column_index(spec.category)
    series: list[tuple[str, dict[str, Any]]]
    columns = {column.key: column for column in table.columns}
    axis_font = {"size": 9, "bold": False}
    if spec.kind is ChartKind.LINE:
        last = min(rows, EXCEL_MAX_DATA_ROWS)
        chart = workbook.add_chart({"type": "line"})
        series = [
            (key, {"line": {"color": LINE_COLOURS[index % len(LINE_COLOURS)], "width": 1.75}})
            for index, key in enumerate((spec.value, *spec.more))
        ]
        series += [
            (key, {"line": {"color": BAND_COLOUR, "width": 1, "dash_type": "dash"}})
            for key in (spec.lower, spec.upper)
            if key is not None
        ]
        first, final = table_rows(table)[0][category], table_rows(table)[last - 1][category]
        long_span = (
            isinstance(first, dt.date)
            and isinstance(final, dt.date)
            and (final - first).days > MONTH_LABELS_FROM_DAYS
        )
        chart.set_x_axis(
            {
                "date_axis": True,
                "num_format": "mmm yyyy" if long_span else "d mmm",
                "name": columns[spec.category].title,
                "name_font": axis_font,
            }
        )
        lines = [columns[key] for key in (spec.value, *spec.more)]
        chart.set_y_axis({"name": value_axis_title(lines), "name_font": axis_font})
    else:
        last = min(rows, spec.top)
        chart = workbook.add_chart({"type": "bar"})
        series = [(spec.value, {"fill": {"color": BAR_COLOUR}, "border": {"none": True}})]
        # The first (best) row on top, as in the table, with the value axis kept below.
        chart.set_y_axis(
            {
                "reverse": True,
                "crossing": "max",
                "name": columns[spec.category].title,
                "name_font": axis_font,
            }
        )
        chart.set_x_axis({"name": axis_title(columns[spec.value]), "name_font": axis_font})
    chart.set_legend({"position": "bottom"} if len(series) > 1 else {"none": True})
    for key, style in series:
        col = table.column_index(key)
        chart.add_series(
            {
                "name": [sheet_name, 0, col],
                "categories": [sheet_name, 1, category, last, category],
                "values": [sheet_name, 1, col, last, col],
                "marker": {"type": "none"},
                **style,
            }
        )
    chart.set_title({"name": spec.title, "name_font": {"size": 11}})
    chart.set_size(CHART_SIZE)
    sheet.insert_chart(1, len(table.columns) + 1, chart, {"x_offset": 12})
