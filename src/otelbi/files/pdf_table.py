"""A PDF table that pages itself in linear time, repeating its header on every page.

ReportLab's Table (and LongTable) measures every remaining row each time it splits at a page
end, so a long table costs time quadratic in its rows (30,000 rows: a minute). `PagedTable`
knows every row's height beforehand (cells are wrapped here, with fixed fonts), finds each
page's last row by bisecting a running sum of heights, and hands ReportLab one small Table
per page, each starting with the header row.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from reportlab.lib import colors
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable
from reportlab.platypus import Table as PlatypusTable

from otelbi.files.cells import display_text
from otelbi.files.table import Column, ColumnKind, Row

WIDTH_SAMPLE_ROWS = 500
MAX_LINES_PER_CELL = 12
MIN_TEXT_WIDTH = 60.0
HEADER_BACKGROUND = colors.HexColor("#E8EEF4")
STRIPE = colors.HexColor("#F5F7FA")
RULE = colors.HexColor("#C8D0D8")


@dataclass(frozen=True)
class CellStyle:
    """Fonts and spacing of the table's cells."""

    font: str
    bold_font: str
    size: float = 7.0
    leading: float = 8.6
    padding_x: float = 3.0
    padding_y: float = 2.0


def _fixed_width(column: Column) -> bool:
    return column.numeric or column.kind in (ColumnKind.DATE, ColumnKind.DATETIME)


def column_widths(
    columns: Sequence[Column], cells: Sequence[Sequence[str]], available: float, style: CellStyle
) -> list[float]:
    """Return widths that fit `available`: numbers and dates whole, text shares the rest."""
    pad = 2 * style.padding_x
    digit = stringWidth("0", style.font, style.size)
    longest = [0] * len(columns)
    for row in cells:
        for index, text in enumerate(row):
            longest[index] = max(longest[index], len(text))
    natural = []
    for index, column in enumerate(columns):
        title_word = max(
            (stringWidth(word, style.bold_font, style.size) for word in column.title.split()),
            default=0.0,
        )
        if _fixed_width(column):
            values = longest[index] * digit
        else:
            values = max(
                (
                    stringWidth(row[index], style.font, style.size)
                    for row in cells[:WIDTH_SAMPLE_ROWS]
                ),
                default=0.0,
            )
        natural.append(max(title_word, values) + pad)
    if sum(natural) <= available:
        return natural
    text_columns = [i for i, column in enumerate(columns) if not _fixed_width(column)]
    room = available - sum(w for i, w in enumerate(natural) if i not in text_columns)
    if not text_columns or room < MIN_TEXT_WIDTH * len(text_columns):
        return [w * available / sum(natural) for w in natural]
    # Narrow text columns keep their width; the wide ones share what is left equally.
    widths = list(natural)
    by_width = sorted(text_columns, key=lambda i: natural[i])
    for placed, index in enumerate(by_width):
        widths[index] = min(natural[index], room / (len(by_width) - placed))
        room -= widths[index]
    return widths


def wrap_cell(text: str, font: str, size: float, width: float) -> tuple[str, int]:
    """Return `text` broken into lines that fit `width`, and how many lines it takes."""
    if not text or stringWidth(text, font, size) <= width:
        return text, 1
    lines = simpleSplit(text, font, size, width) or [text]
    if len(lines) > MAX_LINES_PER_CELL:
        lines = [*lines[: MAX_LINES_PER_CELL - 1], lines[MAX_LINES_PER_CELL - 1] + " …"]
    return "\n".join(lines), len(lines)


@dataclass(frozen=True)
class TableLayout:
    """Every cell's wrapped text and every row's height, worked out once."""

    style: CellStyle
    widths: list[float]
    header: list[str]
    header_height: float
    cells: list[list[str]]
    heights: list[float]
    tops: list[float]
    """tops[i]: the height of rows 0 … i-1 (a running sum, tops[0] = 0)."""
    right_aligned: list[int]


def _wrap_row(
    texts: Sequence[str], widths: Sequence[float], wrapping: Sequence[bool], font: str, size: float
) -> tuple[list[str], int]:
    cells, most = [], 1
    for text, width, wraps in zip(texts, widths, wrapping, strict=True):
        if not wraps:
            cells.append(text)
            continue
        wrapped, lines = wrap_cell(text, font, size, width)
        most = max(most, lines)
        cells.append(wrapped)
    return cells, most


def lay_out(
    columns: Sequence[Column], rows: Sequence[Row], available_width: float, style: CellStyle
) -> TableLayout:
    """Return the layout of `rows` in `available_width`: text wrapped, heights summed."""
    texts = [[display_text(v, c) for v, c in zip(row, columns, strict=True)] for row in rows]
    widths = column_widths(columns, texts, available_width, style)
    inner = [w - 2 * style.padding_x for w in widths]
    wrapping = [not _fixed_width(column) for column in columns]

    def height(lines: int) -> float:
        return lines * style.leading + 2 * style.padding_y

    header, header_lines = _wrap_row(
        [column.title for column in columns],
        inner,
        [True] * len(columns),
        style.bold_font,
        style.size,
    )
    cells: list[list[str]] = []
    heights: list[float] = []
    for row in texts:
        wrapped, lines = _wrap_row(row, inner, wrapping, style.font, style.size)
        cells.append(wrapped)
        heights.append(height(lines))
    return TableLayout(
        style=style,
        widths=widths,
        header=header,
        header_height=height(header_lines),
        cells=cells,
        heights=heights,
        tops=[0.0, *itertools.accumulate(heights)],
        right_aligned=[i for i, column in enumerate(columns) if column.numeric],
    )


class PagedTable(Flowable):  # type: ignore[misc]
    """Rows `start` … `end` - 1 of a laid-out table, split page by page without re-measuring."""

    def __init__(self, layout: TableLayout, start: int = 0, end: int | None = None) -> None:
        super().__init__()
        self._layout = layout
        self._start = start
        self._end = len(layout.cells) if end is None else end

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        """Return the size of the rows still to draw (ReportLab splits it if too tall)."""
        layout = self._layout
        self.width = sum(layout.widths)
        self.height = layout.header_height + layout.tops[self._end] - layout.tops[self._start]
        return self.width, self.height

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        """Return [the rows that fit here, the rest]; [] if not even one row fits."""
        tops = self._layout.tops
        room = available_height - self._layout.header_height
        end = bisect.bisect_right(tops, tops[self._start] + room, lo=self._start) - 1
        end = min(end, self._end)
        if end <= self._start:
            return []
        return [
            PagedTable(self._layout, self._start, end),
            PagedTable(self._layout, end, self._end),
        ]

    def draw(self) -> None:
        """Draw the header and this part's rows as one ReportLab table."""
        layout = self._layout
        table = PlatypusTable(
            [layout.header, *layout.cells[self._start : self._end]],
            colWidths=layout.widths,
            rowHeights=[layout.header_height, *layout.heights[self._start : self._end]],
            style=self._table_style(),
        )
        table.wrapOn(self.canv, self.width, self.height)
        table.drawOn(self.canv, 0, 0)

    def _table_style(self) -> list[tuple[Any, ...]]:
        s = self._layout.style
        stripes = [colors.white, STRIPE] if self._start % 2 == 0 else [STRIPE, colors.white]
        commands: list[tuple[Any, ...]] = [
            ("FONT", (0, 0), (-1, -1), s.font, s.size, s.leading),
            ("FONT", (0, 0), (-1, 0), s.bold_font, s.size, s.leading),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), s.padding_x),
            ("RIGHTPADDING", (0, 0), (-1, -1), s.padding_x),
            ("TOPPADDING", (0, 0), (-1, -1), s.padding_y),
            ("BOTTOMPADDING", (0, 0), (-1, -1), s.padding_y),
            ("BACKGROUND", (0, 0), (-1, 0), HEADER_BACKGROUND),
            ("ROWBACKGROUNDS", (0, 1), (-1, -1), stripes),
            ("LINEBELOW", (0, 0), (-1, 0), 0.6, RULE),
            ("LINEBELOW", (0, -1), (-1, -1), 0.6, RULE),
        ]
        commands += [("ALIGN", (i, 0), (i, -1), "RIGHT") for i in self._layout.right_aligned]
        return commands
