"""A report as one PDF (A4 landscape): a cover that summarises on one page (title, facts,
summary tables, small ones side by side), a contents page (section titles with their page
numbers, linked), then one section per table, each starting on a new page with its chart and
table (or the report's excerpt of it, with the sentence that counts the rest), and
"Page x of y" in every footer.

Each section is the per-view PDF's story (`document_story`: title, facts, chart, table with
its header on every page), so a section looks like that view's own PDF. The contents and the
page total are only known once the document has been laid out, so it is built with
ReportLab's `multiBuild`, which lays it out again until the contents and the total printed
in the footers no longer change (two or three passes).
"""

from __future__ import annotations

import io
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, PageBreak, Paragraph, SimpleDocTemplate, Spacer
from reportlab.platypus import Table as PlatypusTable
from reportlab.platypus.doctemplate import IndexingFlowable
from reportlab.platypus.tableofcontents import TableOfContents

from otelbi.files.cells import display_text, utc_naive
from otelbi.files.pdf_table import CellStyle, PagedTable, lay_out
from otelbi.files.pdf_writer import MARGIN, PAGE, PDF_MAX_ROWS, Fonts, document_story, pdf_fonts
from otelbi.files.report import Report, table_rows
from otelbi.files.table import CellValue, Column, ColumnKind, Table

CONTENTS_TITLE = "Contents"
FOOTER_COLOUR = colors.HexColor("#555555")
PAGE_END = "otelbi.page_end"
COVER_FACTS_PER_LINE = 3
SMALL_COLUMNS, SMALL_ROWS = 6, 5
"""Summary tables this small sit side by side on the cover, in pairs."""
COVER_GUTTER = 8 * mm
SIDE_BY_SIDE = [
    ("VALIGN", (0, 0), (-1, -1), "TOP"),
    *((side, (0, 0), (-1, -1), 0) for side in ("LEFTPADDING", "RIGHTPADDING", "TOPPADDING")),
    ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
]


class _SectionStart(Flowable):  # type: ignore[misc]
    """Where a section begins: its contents entry and PDF bookmark point here."""

    def __init__(self, title: str, key: str) -> None:
        super().__init__()
        self.title, self.key = title, key

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return 0.0, 0.0

    def draw(self) -> None:
        self.canv.bookmarkPage(self.key)
        self.canv.addOutlineEntry(self.title, self.key, level=0)


class _PageTotal(IndexingFlowable):  # type: ignore[misc]
    """The number of pages, as the previous pass laid them out; satisfied once it is final."""

    def __init__(self) -> None:
        super().__init__()
        self.shown: int | None = None
        self._counted = 0
        self._satisfied = False

    def isSatisfied(self) -> bool:  # noqa: N802 (ReportLab's names)
        return self._satisfied

    def beforeBuild(self) -> None:  # noqa: N802
        self._counted = 0

    def afterBuild(self) -> None:  # noqa: N802
        self._satisfied = self._counted == self.shown
        self.shown = self._counted

    def notify(self, kind: str, stuff: Any) -> None:
        if kind == PAGE_END:
            self._counted = max(self._counted, int(stuff))

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return 0.0, 0.0

    def draw(self) -> None:
        pass


class _ReportDocument(SimpleDocTemplate):  # type: ignore[misc]
    """Tells the contents where each section starts and the page total where pages end."""

    def afterFlowable(self, flowable: Flowable) -> None:  # noqa: N802
        if isinstance(flowable, _SectionStart):
            self.notify("TOCEntry", (0, escape(flowable.title), self.page, flowable.key))

    def afterPage(self) -> None:  # noqa: N802
        self.notify(PAGE_END, self.page)


def _styles(fonts: Fonts) -> dict[str, ParagraphStyle]:
    return {
        "title": ParagraphStyle("report-title", fontName=fonts.bold, fontSize=18, leading=22),
        "heading": ParagraphStyle(
            "report-heading",
            fontName=fonts.bold,
            fontSize=9.5,
            leading=11,
            spaceBefore=5,
            spaceAfter=1.5,
        ),
        "note": ParagraphStyle("report-note", fontName=fonts.regular, fontSize=9, leading=12),
        "contents": ParagraphStyle(
            "report-contents", fontName=fonts.regular, fontSize=11, leading=18
        ),
    }


def _fact_text(value: CellValue) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    kind = ColumnKind.INTEGER if isinstance(value, int) else ColumnKind.DECIMAL
    return display_text(value, Column("fact", "", kind))


def _facts(report: Report, fonts: Fonts) -> PlatypusTable:
    """Return the cover's facts, three (label, value) pairs to a line."""
    cells = [cell for label, value in report.facts for cell in (label, _fact_text(value))]
    per_line = 2 * COVER_FACTS_PER_LINE
    cells += [""] * (-len(cells) % per_line)
    return PlatypusTable(
        [cells[start : start + per_line] for start in range(0, len(cells), per_line)],
        hAlign="LEFT",
        style=[
            ("FONT", (0, 0), (-1, -1), fonts.regular, 8),
            *(("FONT", (col, 0), (col, -1), fonts.bold, 8) for col in range(0, per_line, 2)),
            ("LEFTPADDING", (0, 0), (0, -1), 0),
            ("RIGHTPADDING", (1, 0), (-1, -1), 12),
            ("TOPPADDING", (0, 0), (-1, -1), 1),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
        ],
    )


def _cover(report: Report, fonts: Fonts, width: float) -> list[Flowable]:
    styles = _styles(fonts)
    story: list[Flowable] = [
        Paragraph(escape(report.title), styles["title"]),
        Spacer(1, 2 * mm),
        _facts(report, fonts),
    ]
    style = CellStyle(font=fonts.regular, bold_font=fonts.bold, size=7.5, leading=9)
    half = (width - COVER_GUTTER) / 2

    def block(table: Table, block_width: float) -> list[Flowable]:
        layout = lay_out(table.columns, table_rows(table), block_width, style)
        return [Paragraph(escape(table.title), styles["heading"]), PagedTable(layout)]

    waiting: Table | None = None  # a small table waiting for a neighbour
    for table in report.summary:
        if not _small(table):
            story += block(waiting, width) if waiting else []
            story += block(table, width)
            waiting = None
        elif waiting is None:
            waiting = table
        else:
            pair = [[block(waiting, half), block(table, half)]]
            story.append(
                PlatypusTable(
                    pair, colWidths=[half + COVER_GUTTER, half], style=SIDE_BY_SIDE, hAlign="LEFT"
                )
            )
            waiting = None
    return story + (block(waiting, width) if waiting else [])


def _small(table: Table) -> bool:
    """Return True for a summary table small enough to sit beside another on the cover."""
    return len(table.columns) <= SMALL_COLUMNS and len(table_rows(table)) <= SMALL_ROWS


def _contents(fonts: Fonts) -> list[Flowable]:
    styles = _styles(fonts)
    contents = TableOfContents(dotsMinLevel=0)
    contents.levelStyles = [styles["contents"]]
    return [
        PageBreak(),
        Paragraph(CONTENTS_TITLE, styles["title"]),
        Spacer(1, 6 * mm),
        contents,
    ]


def _sections(report: Report, fonts: Fonts, width: float) -> list[Flowable]:
    styles = _styles(fonts)
    story: list[Flowable] = []
    for number, table in enumerate(report.sections, start=1):
        rows = table_rows(table)
        excerpt = report.pdf_excerpts.get(table.sheet_name)
        if excerpt is not None:
            rows = excerpt.rows
        story += [PageBreak(), _SectionStart(table.title, f"section-{number}")]
        story += document_story(
            table, list(rows[:PDF_MAX_ROWS]), total=len(rows), width=width, fonts=fonts
        )
        if excerpt is not None:
            story += [Spacer(1, 3 * mm), Paragraph(escape(excerpt.rest), styles["note"])]
    return story


def write_pdf_report(report: Report) -> bytes:
    """Return the report's PDF as bytes."""
    fonts = pdf_fonts()
    width = PAGE[0] - 2 * MARGIN
    total = _PageTotal()
    footer = f"{report.title} · generated {utc_naive(report.generated_at):%Y-%m-%d %H:%M} UTC"

    def draw_footer(canvas: Canvas, document: _ReportDocument) -> None:
        canvas.saveState()
        canvas.setFont(fonts.regular, 7)
        canvas.setFillColor(FOOTER_COLOUR)
        canvas.drawString(MARGIN, MARGIN / 2, footer)
        pages = "?" if total.shown is None else str(total.shown)
        canvas.drawRightString(PAGE[0] - MARGIN, MARGIN / 2, f"Page {document.page} of {pages}")
        canvas.restoreState()

    buffer = io.BytesIO()
    document = _ReportDocument(
        buffer,
        pagesize=PAGE,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=report.title,
        author="OTel BI",
    )
    story = [total, *_cover(report, fonts, width), *_contents(fonts)]
    story += _sections(report, fonts, width)
    document.multiBuild(story, onFirstPage=draw_footer, onLaterPages=draw_footer)
    return buffer.getvalue()
