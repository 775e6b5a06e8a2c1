"""PDF export with ReportLab: title, as-of, parameters, a chart, then the table with its
header on every page and "page x of y" in the footer.

ReportLab holds a whole document in memory until it saves it, so a PDF is capped at
PDF_MAX_ROWS rows: past that it shows the first PDF_MAX_ROWS and says how many there were
(CSV and XLSX carry every row). Text is set in DejaVu Sans (Debian `fonts-dejavu-core`),
which covers the ≤, ≥, accents and other characters the warehouses hold; without it the
writer falls back to the Vera font bundled with ReportLab and logs a warning.
"""

from __future__ import annotations

import functools
import itertools
import logging
import tempfile
from collections.abc import Generator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import reportlab
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer
from reportlab.platypus import Table as PlatypusTable

from otelbi.files.cells import as_text, utc_naive
from otelbi.files.labels import parameter_label
from otelbi.files.pdf_charts import chart_drawing
from otelbi.files.pdf_table import CellStyle, PagedTable, lay_out
from otelbi.files.table import Row, Table

log = logging.getLogger(__name__)

PDF_MAX_ROWS = 50_000
CHUNK_BYTES = 256 * 1024
PAGE = landscape(A4)
MARGIN = 12 * mm
FONT_DIRECTORIES = (Path("/usr/share/fonts/truetype/dejavu"),)
FONT_FILES = {"OtelBI-Sans": "DejaVuSans.ttf", "OtelBI-Sans-Bold": "DejaVuSans-Bold.ttf"}
FALLBACK_FILES = {"OtelBI-Sans": "Vera.ttf", "OtelBI-Sans-Bold": "VeraBd.ttf"}


@dataclass(frozen=True)
class Fonts:
    """The registered regular and bold font names."""

    regular: str = "OtelBI-Sans"
    bold: str = "OtelBI-Sans-Bold"


@functools.cache
def pdf_fonts() -> Fonts:
    """Return the fonts, registering them with ReportLab on first use."""
    for directory in FONT_DIRECTORIES:
        if all((directory / file).is_file() for file in FONT_FILES.values()):
            for name, file in FONT_FILES.items():
                pdfmetrics.registerFont(TTFont(name, str(directory / file)))
            return Fonts()
    log.warning("DejaVu Sans not found (install fonts-dejavu-core): PDFs use Vera, fewer glyphs")
    bundled = Path(reportlab.__file__).parent / "fonts"
    for name, file in FALLBACK_FILES.items():
        pdfmetrics.registerFont(TTFont(name, str(bundled / file)))
    return Fonts()


class _NumberedCanvas(Canvas):  # type: ignore[misc]
    """A canvas that holds its pages back until save, to print "page x of y" on each."""

    footer = ""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:  # noqa: N802 (ReportLab's name)
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            fonts = pdf_fonts()
            self.setFont(fonts.regular, 7)
            self.setFillColor(colors.HexColor("#555555"))
            self.drawString(MARGIN, MARGIN / 2, self.footer)
            self.drawRightString(
                PAGE[0] - MARGIN, MARGIN / 2, f"page {self._pageNumber} of {total}"
            )
            super().showPage()
        super().save()


def _paragraph_styles(fonts: Fonts) -> dict[str, ParagraphStyle]:
    return {
        "title": ParagraphStyle("title", fontName=fonts.bold, fontSize=15, leading=19),
        "body": ParagraphStyle("body", fontName=fonts.regular, fontSize=8, leading=10.5),
        "note": ParagraphStyle(
            "note", fontName=fonts.bold, fontSize=8, leading=10.5, textColor=colors.darkred
        ),
    }


def _facts_table(table: Table, rows: int, total: int, fonts: Fonts) -> PlatypusTable:
    generated = utc_naive(table.generated_at).strftime("%Y-%m-%d %H:%M:%S")
    shown = f"{rows:,}" if rows == total else f"{rows:,} of {total:,}"
    facts = [
        ("As of", table.as_of.isoformat()),
        ("Generated at (UTC)", generated),
        ("Rows", shown),
        *(
            (parameter_label(name), "" if value is None else as_text(value))
            for name, value in {**table.parameters, **table.details}.items()
        ),
    ]
    return PlatypusTable(
        [list(fact) for fact in facts],
        hAlign="LEFT",
        style=[
            ("FONT", (0, 0), (-1, -1), fonts.regular, 8),
            ("FONT", (0, 0), (0, -1), fonts.bold, 8),
            ("TOPPADDING", (0, 0), (-1, -1), 1),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
            ("LEFTPADDING", (0, 0), (0, -1), 0),
        ],
    )


def document_story(
    table: Table, rows: list[Row], *, total: int, width: float, fonts: Fonts
) -> list[Flowable]:
    """Return the flowables of one table's document: title, facts, chart, table."""
    styles = _paragraph_styles(fonts)
    story: list[Flowable] = [
        Paragraph(escape(table.title), styles["title"]),
        Spacer(1, 2 * mm),
        _facts_table(table, len(rows), total, fonts),
        Spacer(1, 3 * mm),
    ]
    if total > len(rows):
        story += [
            Paragraph(
                f"This PDF shows the first {len(rows):,} of {total:,} rows. "
                "Download CSV or XLSX for all of them.",
                styles["note"],
            ),
            Spacer(1, 3 * mm),
        ]
    drawing = chart_drawing(table, rows, min(width, 720), fonts.regular)
    if drawing is not None:
        story += [drawing, Spacer(1, 4 * mm)]
    style = CellStyle(font=fonts.regular, bold_font=fonts.bold)
    story.append(PagedTable(lay_out(table.columns, rows, width, style)))
    if not rows:
        story.append(Paragraph("No rows.", styles["body"]))
    return story


def write_pdf(
    table: Table, *, max_rows: int = PDF_MAX_ROWS, chunk_bytes: int = CHUNK_BYTES
) -> Generator[bytes, None, int]:
    """Yield the PDF of `table` in chunks; return the number of rows it shows."""
    fonts = pdf_fonts()
    source = iter(table.rows)
    rows = list(itertools.islice(source, max_rows))
    total = len(rows) + sum(1 for _ in source)
    width = PAGE[0] - 2 * MARGIN
    story = document_story(table, rows, total=total, width=width, fonts=fonts)
    canvas_class = type(
        "_Canvas", (_NumberedCanvas,), {"footer": f"{table.title} · as of {table.as_of}"}
    )
    with tempfile.TemporaryFile(prefix="otelbi-pdf-") as file:
        document = SimpleDocTemplate(
            file,
            pagesize=PAGE,
            leftMargin=MARGIN,
            rightMargin=MARGIN,
            topMargin=MARGIN,
            bottomMargin=MARGIN,
            title=table.title,
            author="OTel BI",
        )
        document.build(story, canvasmaker=canvas_class)
        file.seek(0)
        while chunk := file.read(chunk_bytes):
            yield chunk
    return len(rows)
