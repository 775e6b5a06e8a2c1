"""The file formats a table can be exported to, with their media types and writers."""

from __future__ import annotations

from collections.abc import Callable, Generator
from enum import StrEnum

from otelbi.files.csv_writer import write_csv
from otelbi.files.pdf_writer import write_pdf
from otelbi.files.table import Table
from otelbi.files.xlsx_writer import write_xlsx

Writer = Callable[[Table], Generator[bytes, None, int]]


class ExportFormat(StrEnum):
    """A file format: its value is also the file name's extension."""

    CSV = "csv"
    XLSX = "xlsx"
    PDF = "pdf"

    @property
    def media_type(self) -> str:
        """Return the Content-Type of a file of this format."""
        return _MEDIA_TYPES[self]

    def write(self, table: Table) -> Generator[bytes, None, int]:
        """Return the chunks of `table` in this format (the generator returns the rows)."""
        return _WRITERS[self](table)


_MEDIA_TYPES = {
    ExportFormat.CSV: "text/csv; charset=utf-8",
    ExportFormat.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ExportFormat.PDF: "application/pdf",
}
_WRITERS: dict[ExportFormat, Writer] = {
    ExportFormat.CSV: write_csv,
    ExportFormat.XLSX: write_xlsx,
    ExportFormat.PDF: write_pdf,
}
