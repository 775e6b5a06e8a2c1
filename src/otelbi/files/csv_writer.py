"""CSV export: UTF-8 with a byte-order mark (so Excel reads it as UTF-8), RFC 4180 quoting.

Rows are streamed: a chunk leaves as soon as it holds CHUNK_BYTES of text, so memory does
not grow with the table. Text that looks like a formula is prefixed with a single quote.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Generator

from otelbi.files.cells import csv_field
from otelbi.files.table import Table

BOM = "\ufeff"
CHUNK_BYTES = 64 * 1024


def write_csv(table: Table, *, chunk_bytes: int = CHUNK_BYTES) -> Generator[bytes, None, int]:
    """Yield the CSV file of `table` in chunks (header of column titles first); return rows."""
    buffer = io.StringIO()
    # RFC 4180: CRLF line ends, fields quoted only when needed, quotes doubled.
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    buffer.write(BOM)
    writer.writerow([column.title for column in table.columns])
    rows = 0
    for row in table.rows:
        writer.writerow(map(csv_field, row))
        rows += 1
        if buffer.tell() >= chunk_bytes:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    if buffer.tell():
        yield buffer.getvalue().encode("utf-8")
    return rows
