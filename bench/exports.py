"""Export writers: rows per second and peak memory (RSS) for CSV, XLSX and PDF.

Each (format, rows) pair runs in a fresh subprocess, so its peak RSS is its own. The table
is synthetic and shaped like the views (text, some of it formula-like, integers, money,
percentages, decimals, dates, timestamps and a longer text column); its rows are generated
lazily, as a view's would be streamed. Chunks are hashed with SHA-256 and counted, as the
export route does, and thrown away.

PDF is measured at 10k and 50k rows (PDF_MAX_ROWS, the cap the product applies) and at 100k
with the cap lifted, to show why the cap is there; 1M rows would take minutes and gigabytes.

    .venv/bin/python bench/exports.py            # the whole table (a few minutes on 2 cores)
    .venv/bin/python bench/exports.py --quick    # 10k rows only
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import resource
import subprocess
import sys
import time
from collections.abc import Generator, Iterator

from otelbi.files.csv_writer import write_csv
from otelbi.files.pdf_writer import PDF_MAX_ROWS, pdf_fonts, write_pdf
from otelbi.files.table import Chart, ChartKind, Column, ColumnKind, Row, Table
from otelbi.files.xlsx_writer import write_xlsx

RUNS: list[tuple[str, int]] = [
    *(
        (file_format, rows)
        for file_format in ("csv", "xlsx")
        for rows in (10_000, 100_000, 1_000_000)
    ),
    ("pdf", 10_000),
    ("pdf", PDF_MAX_ROWS),
    ("pdf", 100_000),
]
COLUMNS = (
    Column("product", "Product"),
    Column("units", "Units", ColumnKind.INTEGER),
    Column("revenue", "Revenue", ColumnKind.MONEY),
    Column("trend_pct", "Trend %", ColumnKind.PERCENT),
    Column("cover", "Days of cover", ColumnKind.DECIMAL, decimals=1),
    Column("day", "Date", ColumnKind.DATE),
    Column("seen_at", "Seen at (UTC)", ColumnKind.DATETIME),
    Column("reason", "Reason"),
)
START = dt.datetime(2014, 1, 1, 8, 30, tzinfo=dt.UTC)


def synthetic_rows(count: int) -> Iterator[Row]:
    """Yield `count` deterministic rows, one in 50 with a formula-looking name."""
    for n in range(count):
        name = f'=HYPERLINK("x","{n}")' if n % 50 == 0 else f"Product {n:07d} – Größe ≤ XL"
        yield (
            name,
            n % 10_000,
            (n % 100_000) * 1.37,
            ((n % 401) - 200) / 3,
            None if n % 17 == 0 else (n % 1000) / 7,
            (START + dt.timedelta(days=n % 3650)).date(),
            START + dt.timedelta(minutes=n),
            f"on hand {n % 97} ≤ reorder level {n % 50}; {n % 31} days of cover",
        )


def synthetic_table(count: int) -> Table:
    """Return a table of `count` synthetic rows, charted like a ranked view."""
    return Table(
        title=f"Synthetic export, {count:,} rows",
        columns=COLUMNS,
        rows=synthetic_rows(count),
        as_of=START.date(),
        parameters={"rows": count},
        chart=Chart(ChartKind.BAR, "Units of the first rows", category="product", value="units"),
    )


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def measure(file_format: str, count: int) -> dict[str, float]:
    """Write one file and return its rows, bytes, seconds and RSS before and at the peak."""
    pdf_fonts()  # registered before the baseline, as in a running service
    baseline = _peak_rss_mb()
    table = synthetic_table(count)
    chunks: Generator[bytes, None, int]
    if file_format == "csv":
        chunks = write_csv(table)
    elif file_format == "xlsx":
        chunks = write_xlsx(table)
    else:
        chunks = write_pdf(table, max_rows=max(count, PDF_MAX_ROWS))
    digest, size = hashlib.sha256(), 0
    started = time.perf_counter()
    while True:
        try:
            chunk = next(chunks)
        except StopIteration as done:
            rows = done.value
            break
        digest.update(chunk)
        size += len(chunk)
    seconds = time.perf_counter() - started
    return {
        "rows": rows,
        "bytes": size,
        "seconds": seconds,
        "baseline_mb": baseline,
        "peak_mb": _peak_rss_mb(),
    }


def main() -> None:
    """Run every measurement in its own process and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--one", nargs=2, metavar=("FORMAT", "ROWS"), help=argparse.SUPPRESS)
    parser.add_argument("--quick", action="store_true", help="10k rows per format only")
    arguments = parser.parse_args()
    if arguments.one:
        print(json.dumps(measure(arguments.one[0], int(arguments.one[1]))))
        return
    runs = [(f, n) for f, n in RUNS if n == 10_000] if arguments.quick else RUNS
    header = (
        f"{'format':<6} {'rows':>9} {'seconds':>8} {'rows/s':>9} {'MB out':>8} "
        f"{'RSS start':>10} {'RSS peak':>9} {'growth':>7}"
    )
    print(header)
    print("-" * len(header))
    for file_format, count in runs:
        done = subprocess.run(
            [sys.executable, __file__, "--one", file_format, str(count)],
            check=True,
            capture_output=True,
            text=True,
        )
        result = json.loads(done.stdout.strip().splitlines()[-1])
        note = (
            "  (above the PDF cap: the product would show 50,000)"
            if file_format == "pdf" and count > PDF_MAX_ROWS
            else ""
        )
        print(
            f"{file_format:<6} {count:>9,} {result['seconds']:>8.1f} "
            f"{result['rows'] / result['seconds']:>9,.0f} {result['bytes'] / 1e6:>8.1f} "
            f"{result['baseline_mb']:>8.0f}MB {result['peak_mb']:>7.0f}MB "
            f"{result['peak_mb'] - result['baseline_mb']:>5.0f}MB{note}",
            flush=True,
        )


if __name__ == "__main__":
    main()
