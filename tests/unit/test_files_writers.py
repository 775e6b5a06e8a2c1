"""Each file writer on a synthetic table, read back the way a user's program would: the csv
module, openpyxl, and pdftotext (Debian poppler-utils)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import subprocess
import tempfile
from collections.abc import Generator, Sequence
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from otelbi.files.cells import FORMULA_TRIGGERS, looks_like_formula, neutralise
from otelbi.files.csv_writer import write_csv
from otelbi.files.formats import ExportFormat
from otelbi.files.pdf_writer import write_pdf
from otelbi.files.table import Chart, ChartKind, Column, ColumnKind, Row, Table
from otelbi.files.xlsx_writer import write_xlsx

AS_OF = dt.date(2014, 1, 28)
GENERATED = dt.datetime(2024, 5, 6, 7, 8, 9, tzinfo=dt.UTC)
COLUMNS = (
    Column("name", "Product"),
    Column("units", "Units", ColumnKind.INTEGER),
    Column("revenue", "Revenue", ColumnKind.MONEY),
    Column("share", "Share %", ColumnKind.PERCENT),
    Column("cover", "Days of cover", ColumnKind.DECIMAL, decimals=1),
    Column("day", "Day", ColumnKind.DATE),
    Column("seen", "Seen at (UTC)", ColumnKind.DATETIME),
)
FORMULA_NAMES = ["=1+2", "+SUM(A1:A2)", "-3+4", "@cmd", "\tTab", "\rReturn"]
ROWS: list[Row] = [
    ("=1+2", 1200, Decimal("1234.50"), 93.5, 12.3, dt.date(2014, 1, 1), GENERATED),
    ("Prodüct ≤ “quoted”, with comma", -5, -12.25, -1.25, None, dt.date(2014, 1, 2), None),
    ('Line\nbreak "quote"', 0, 0, 0.0, 0.0, None, dt.datetime(2024, 1, 1, 12, 0, 0)),
    (None, None, None, None, None, None, None),
    ("+SUM(A1:A2)", 7, 1e-7, 100, 1.0, dt.date(2014, 1, 3), GENERATED.astimezone()),
    ("-3+4", 2**40, 12345678.9, 0.5, 2.25, dt.date(2014, 1, 4), GENERATED),
    ("@cmd", 1, 1, 1, 1, dt.date(2014, 1, 5), GENERATED),
    ("\tTab", 2, 2, 2, 2, dt.date(2014, 1, 6), GENERATED),
    ("\rReturn", 3, 3, 3, 3, dt.date(2014, 1, 7), GENERATED),
    ("safe - text = fine", 4, 4, 4, 4, dt.date(2014, 1, 8), GENERATED),
]


def _table(rows: Sequence[Row] = ROWS, *, chart: Chart | None = None) -> Table:
    return Table(
        title="Synthetic ≤ table",
        columns=COLUMNS,
        rows=iter(rows),
        as_of=AS_OF,
        parameters={"top_n": 10, "days_back": "all history", "grain": "=evil()"},
        details={"method": "test"},
        generated_at=GENERATED,
        chart=chart,
    )


def _drain(chunks: Generator[bytes, None, int]) -> tuple[bytes, int, int]:
    """Return the file, its row count and how many chunks it came in."""
    parts: list[bytes] = []
    while True:
        try:
            parts.append(next(chunks))
        except StopIteration as done:
            return b"".join(parts), done.value, len(parts)


# --- cells -------------------------------------------------------------------------------


@pytest.mark.parametrize("trigger", FORMULA_TRIGGERS)
def test_every_formula_trigger_is_neutralised(trigger: str) -> None:
    assert looks_like_formula(f"{trigger}1")
    assert neutralise(f"{trigger}1") == f"'{trigger}1"


@pytest.mark.parametrize("control", ["\n", "\x00", "\x1b", "\x1f"])
def test_text_starting_with_any_control_character_is_neutralised(control: str) -> None:
    assert neutralise(f"{control}=1") == f"'{control}=1"


@pytest.mark.parametrize("text", ["", "Widget", " =1", "a=1", "1-2", "'quoted", "É=1"])
def test_other_text_is_left_alone(text: str) -> None:
    assert neutralise(text) == text


# --- CSV ---------------------------------------------------------------------------------


def test_csv_is_utf8_with_bom_rfc4180_and_neutralised() -> None:
    data, rows, _ = _drain(write_csv(_table()))
    assert rows == len(ROWS)
    assert data.startswith(b"\xef\xbb\xbfProduct,Units,Revenue,")
    text = data.decode("utf-8-sig")
    assert text.count("\r\n") >= len(ROWS) + 1  # CRLF line ends
    assert '"Line\nbreak ""quote"""' in text  # quoted, quotes doubled, newline kept
    read = list(csv.reader(io.StringIO(text, newline="")))
    assert read[0] == [column.title for column in COLUMNS]
    assert read[1] == [
        "'=1+2",
        "1200",
        "1234.50",
        "93.5",
        "12.3",
        "2014-01-01",
        "2024-05-06 07:08:09",
    ]
    assert read[2] == [
        "Prodüct ≤ “quoted”, with comma",
        "-5",
        "-12.25",
        "-1.25",
        "",
        "2014-01-02",
        "",
    ]
    assert read[3][0] == 'Line\nbreak "quote"'
    assert read[3][6] == "2024-01-01 12:00:00"  # naive datetimes are taken as UTC
    assert read[4] == [""] * len(COLUMNS)
    assert read[5][2] == "0.0000001"  # never in exponent notation
    assert read[5][6] == "2024-05-06 07:08:09"  # an aware time is written in UTC
    assert read[6][1:3] == [str(2**40), "12345678.9"]
    names = [row[0] for row in read[1:]]
    for name in FORMULA_NAMES:
        assert f"'{name}" in names
    assert "safe - text = fine" in names


def test_csv_streams_in_chunks_that_add_up() -> None:
    many = [(f"item {n}", n, n * 1.5, n / 7, None, AS_OF, None) for n in range(20_000)]
    data, rows, chunks = _drain(write_csv(_table(many)))
    assert rows == 20_000
    assert chunks > 5
    read = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert len(read) == 20_001
    assert read[-1][:2] == ["item 19999", "19999"]
    assert float(read[-1][3]) == 19999 / 7


# --- XLSX --------------------------------------------------------------------------------


def _workbook(data: bytes, tmp_path: Path) -> openpyxl.Workbook:
    path = tmp_path / "export.xlsx"
    path.write_bytes(data)
    return openpyxl.load_workbook(path)


def test_xlsx_has_typed_cells_and_a_frozen_filtered_bold_header(tmp_path: Path) -> None:
    data, rows, _ = _drain(write_xlsx(_table()))
    assert rows == len(ROWS)
    book = _workbook(data, tmp_path)
    assert book.sheetnames == ["Data", "Parameters"]
    sheet = book["Data"]
    assert [cell.value for cell in sheet[1]] == [column.title for column in COLUMNS]
    assert all(cell.font.bold for cell in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:G{len(ROWS) + 1}"
    assert sheet.max_row == len(ROWS) + 1
    first = sheet[2]
    assert [cell.value for cell in first] == [
        "=1+2",
        1200,
        1234.5,
        pytest.approx(0.935),  # percent cells hold fractions, shown as 93.50%
        pytest.approx(12.3),
        dt.datetime(2014, 1, 1),
        dt.datetime(2024, 5, 6, 7, 8, 9),
    ]
    assert [cell.number_format for cell in first[1:6]] == [
        "#,##0",
        "[$$-409]#,##0.00",
        "0.00%",
        "#,##0.0",
        "yyyy-mm-dd",
    ]
    second = sheet[3]
    assert second[0].value == "Prodüct ≤ “quoted”, with comma"
    assert (second[1].value, second[2].value) == (-5, -12.25)
    assert (second[4].value, second[6].value) == (None, None)
    assert [cell.value for cell in sheet[5]] == [None] * len(COLUMNS)
    assert sheet["G6"].value == dt.datetime(2024, 5, 6, 7, 8, 9)  # converted to UTC
    widths = [sheet.column_dimensions[letter].width for letter in "ABCDEFG"]
    assert all(8 <= width <= 61 for width in widths)
    assert widths[0] > widths[1]


def test_xlsx_formula_text_stays_text_that_is_never_evaluated(tmp_path: Path) -> None:
    data, _, _ = _drain(write_xlsx(_table()))
    sheet = _workbook(data, tmp_path)["Data"]
    cells = {cell.value: cell for cell in sheet["A"][1:] if cell.value is not None}
    for name in FORMULA_NAMES:
        # A carriage return is stored as OOXML's escape _x000D_, which Excel reads back as CR.
        cell = cells[name.replace("\r", "_x000D_")]
        assert cell.data_type == "s"  # a string, not a formula ("f")
        assert cell.quotePrefix  # and Excel keeps it text when the cell is edited
    assert not cells["safe - text = fine"].quotePrefix


def test_xlsx_parameters_sheet_says_what_the_data_is(tmp_path: Path) -> None:
    data, _, _ = _drain(write_xlsx(_table()))
    sheet = _workbook(data, tmp_path)["Parameters"]
    facts = {row[0].value: row[1] for row in sheet.iter_rows()}
    assert facts["Title"].value == "Synthetic ≤ table"
    assert facts["As of"].value == dt.datetime(2014, 1, 28)
    assert facts["Generated at (UTC)"].value == dt.datetime(2024, 5, 6, 7, 8, 9)
    assert facts["Rows"].value == len(ROWS)
    assert facts["Sheets"].value == "Data"
    assert facts["Rows shown (top)"].value == 10
    assert facts["Days of history"].value == "all history"
    assert facts["Grain"].value == "=evil()"
    assert facts["Grain"].quotePrefix
    assert facts["Method"].value == "test"


def test_xlsx_data_sheets_print_one_page_wide_with_the_header_on_every_page(
    tmp_path: Path,
) -> None:
    data, _, _ = _drain(write_xlsx(_table(), max_rows_per_sheet=4))
    workbook = _workbook(data, tmp_path)
    data_sheets = [sheet for sheet in workbook.worksheets if sheet.title != "Parameters"]
    assert len(data_sheets) > 1
    for sheet in data_sheets:
        assert sheet.page_setup.orientation == "landscape"
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
        # fitToWidth 1 is OOXML's default, so the file leaves it out and openpyxl reads None
        assert sheet.page_setup.fitToWidth in (None, 1)
        assert sheet.page_setup.fitToHeight == 0
        assert sheet.print_title_rows == "$1:$1"
        assert sheet.freeze_panes == "A2"
        assert sheet.auto_filter.ref is not None
        assert "Synthetic ≤ table" in (sheet.oddHeader.left.text or "")
        assert sheet.oddFooter.right.text == "Page &P of &N"


def test_xlsx_rows_past_the_sheet_limit_continue_on_new_sheets(tmp_path: Path) -> None:
    data, rows, _ = _drain(write_xlsx(_table(), max_rows_per_sheet=4))
    assert rows == len(ROWS)
    book = _workbook(data, tmp_path)
    assert book.sheetnames == ["Data", "Data (2)", "Data (3)", "Parameters"]
    read: list[object] = []
    for name, expected_rows in (("Data", 4), ("Data (2)", 4), ("Data (3)", 2)):
        sheet = book[name]
        assert [cell.value for cell in sheet[1]] == [column.title for column in COLUMNS]
        assert sheet.freeze_panes == "A2"
        assert sheet.auto_filter.ref == f"A1:G{expected_rows + 1}"
        read += [
            row[1]
            for row in sheet.iter_rows(min_row=2, max_row=expected_rows + 1, values_only=True)
        ]
    assert read == [row[1] for row in ROWS]
    assert book["Parameters"]["B5"].value == "Data, Data (2), Data (3)"


def test_xlsx_spool_file_is_deleted_when_the_stream_ends(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    chunks = write_xlsx(_table())
    next(chunks)
    assert any(tmp_path.iterdir())
    chunks.close()  # the client left after the first chunk
    assert not any(tmp_path.iterdir())
    _drain(write_xlsx(_table()))
    assert not any(tmp_path.iterdir())


# --- PDF ---------------------------------------------------------------------------------


def _pdf_text(data: bytes, tmp_path: Path, *, layout: bool = False) -> str:
    path = tmp_path / "export.pdf"
    path.write_bytes(data)
    mode = "-layout" if layout else "-raw"
    return subprocess.run(
        ["pdftotext", mode, str(path), "-"], check=True, capture_output=True, text=True
    ).stdout


def _collapsed(text: str) -> str:
    return " ".join(text.split())


def test_pdf_shows_title_parameters_as_of_and_every_cell(tmp_path: Path) -> None:
    chart = Chart(ChartKind.BAR, "Units of the top rows", category="name", value="units")
    data, rows, _ = _drain(write_pdf(_table(chart=chart)))
    assert data.startswith(b"%PDF-")
    assert rows == len(ROWS)
    text = _collapsed(_pdf_text(data, tmp_path))
    assert text.startswith(
        "Synthetic ≤ table As of 2014-01-28 Generated at (UTC) 2024-05-06 07:08:09"
    )
    assert (
        "Rows 10 Rows shown (top) 10 Days of history all history Grain =evil() Method test" in text
    )
    assert "Units of the top rows" in text
    assert "=1+2 1,200 $1,234.50 93.50 % 12.3 2014-01-01 2024-05-06 07:08:09" in text
    assert "Prodüct ≤ “quoted”, with comma -5 -$12.25 -1.25 % 2014-01-02" in text
    assert "-3+4 1,099,511,627,776 $12,345,678.90 0.50 % 2.2 2014-01-04" in text  # 2.25 → 2.2
    assert "@cmd 1 $1.00 1.00 % 1.0 2014-01-05" in text
    assert "page 1 of 1" in text


def test_pdf_repeats_the_header_on_every_page_and_numbers_them(tmp_path: Path) -> None:
    many = [(f"item {n}", n, n * 1.5, n / 7, 1.0, AS_OF, None) for n in range(2_000)]
    data, rows, _ = _drain(write_pdf(_table(many)))
    assert rows == 2_000
    pages = _pdf_text(data, tmp_path, layout=True).split("\f")[:-1]
    assert len(pages) > 20
    header = re.compile(r"Product\s+Units\s+Revenue\s+Share")
    for number, page in enumerate(pages, start=1):
        assert header.search(page), f"no header on page {number}"
        assert f"page {number} of {len(pages)}" in page
    text = _collapsed(_pdf_text(data, tmp_path))
    shown = [int(n) for n in re.findall(r"\bitem (\d+)\b", text)]
    assert shown == list(range(2_000))


def test_pdf_past_its_cap_shows_the_first_rows_and_says_so(tmp_path: Path) -> None:
    many = [(f"item {n}", n, None, None, None, None, None) for n in range(120)]
    data, rows, _ = _drain(write_pdf(_table(many), max_rows=50))
    assert rows == 50
    text = _collapsed(_pdf_text(data, tmp_path))
    assert "Rows 50 of 120" in text
    assert "This PDF shows the first 50 of 120 rows. Download CSV or XLSX for all of them." in text
    assert "item 49 49" in text
    assert "item 50" not in text


def test_pdf_wraps_long_text_instead_of_cutting_it(tmp_path: Path) -> None:
    reason = "projected 1,234.5 at the 14-day lead time ≤ reorder level 50 " * 4
    wide = [(reason.strip(), 1, 1, 1, 1, AS_OF, GENERATED)] * 3
    data, _, _ = _drain(write_pdf(_table(wide)))
    text = _collapsed(_pdf_text(data, tmp_path))
    assert text.count(_collapsed(reason)) == 3


@pytest.mark.parametrize("kind", list(ChartKind))
def test_pdf_charts_draw_with_gaps_and_no_rows(tmp_path: Path, kind: ChartKind) -> None:
    chart = Chart(kind, "A chart", category="day", value="revenue", lower="units", upper="cover")
    for rows in (ROWS, []):
        data, _, _ = _drain(write_pdf(_table(rows, chart=chart)))
        text = _collapsed(_pdf_text(data, tmp_path))
        assert ("A chart" in text) == bool(rows)
        assert ("No rows." in text) == (not rows)


def test_pdf_line_chart_titles_its_axes_with_units_and_a_legend_for_two_lines(
    tmp_path: Path,
) -> None:
    dated = [row for row in ROWS if row[5] is not None]
    two = Chart(ChartKind.LINE, "Two lines", category="day", value="revenue", more=("share",))
    text = _collapsed(_pdf_text(_drain(write_pdf(_table(dated, chart=two)))[0], tmp_path))
    # the legend names both lines; eight days are labelled "1 Jan", not 2014-01-01
    assert "1 Jan 2 Jan" in text
    assert "Two lines Day Amount (US$) Revenue Share % Product" in text
    one = Chart(ChartKind.LINE, "One line", category="day", value="revenue")
    text = _collapsed(_pdf_text(_drain(write_pdf(_table(dated, chart=one)))[0], tmp_path))
    assert "One line Day Revenue (US$) Product" in text  # axis titles, no legend


def test_every_format_has_its_media_type_and_writer() -> None:
    assert ExportFormat("csv").media_type == "text/csv; charset=utf-8"
    assert ExportFormat("xlsx").media_type.endswith("spreadsheetml.sheet")
    assert ExportFormat("pdf").media_type == "application/pdf"
    for file_format in ExportFormat:
        data, rows, _ = _drain(file_format.write(_table()))
        assert rows == len(ROWS)
        assert data
