"""Full reports: how long one takes (reading the nine views, building and writing the files),
how big its files are, and the process's peak memory.

The product runs all-in-one in this process (the gateway reaching the services through the
in-process transport, as `otelbi serve` does) on embedded DuckDB warehouses, with a SQLite
store and REPORT_OUTPUT_DIR in a temporary directory. The phases are read from the spans:
"views" ends when the last of the gateway's calls to the services has ended, "files" is the
rest of the `otelbi.report` span (building the XLSX and PDF, writing them, audit and record).

    .venv/bin/python bench/reports.py                      # generated warehouses, scale 1
    .venv/bin/python bench/reports.py --scale 0.05 --runs 3
    .venv/bin/python bench/reports.py --data-dir ./var     # copies of the warehouses there
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from fastapi.testclient import TestClient
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from otelbi.domains import Domain
from otelbi.service_layout import build_app
from otelbi.settings import RunMode, Settings
from otelbi.warehouse.builder import generate_warehouse
from otelbi.warehouse.engines import duckdb_path


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def _phases(spans: InMemorySpanExporter, report_id: str) -> tuple[float, float]:
    """Return (views, files) seconds of one report, from its span and its children."""
    finished = spans.get_finished_spans()
    report = next(
        s
        for s in finished
        if s.name == "otelbi.report" and (s.attributes or {}).get("otelbi.report.id") == report_id
    )
    calls = [  # the gateway's HTTP GETs to the services (not the store's statements)
        s
        for s in finished
        if s.parent and s.parent.span_id == report.context.span_id and s.name.startswith("GET")
    ]
    assert report.start_time is not None
    assert report.end_time is not None
    views_end = max((s.end_time or 0) for s in calls) if calls else report.start_time
    return (views_end - report.start_time) / 1e9, (report.end_time - views_end) / 1e9


def main() -> None:
    """Generate reports and print their timings and sizes."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="generated warehouse scale")
    parser.add_argument("--data-dir", type=Path, help="use the warehouses of this DATA_DIR")
    parser.add_argument("--runs", type=int, default=5)
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="otelbi-bench-") as scratch:
        data_dir = Path(scratch) / "var"
        if arguments.data_dir is not None:
            for domain in Domain:
                duckdb_path(domain, data_dir).parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(
                    duckdb_path(domain, arguments.data_dir), duckdb_path(domain, data_dir)
                )
        else:
            started = time.perf_counter()
            for domain in Domain:
                generate_warehouse(
                    domain, duckdb_path(domain, data_dir), scale=arguments.scale, seed=7
                )
            print(
                f"warehouses generated at scale {arguments.scale} in "
                f"{time.perf_counter() - started:.1f} s"
            )
        os.environ.update(
            {
                "DATA_DIR": str(data_dir),
                "REPORT_OUTPUT_DIR": str(Path(scratch) / "share"),
                "REQUIRE_FRONTEND_AUTH": "false",
                "JOBS_ENABLED": "false",
                "OTEL_TRACES_EXPORTER": "none",
                "OTEL_METRICS_EXPORTER": "none",
                "POSTGRES_URL": "",
            }
        )
        spans = InMemorySpanExporter()
        app = build_app(
            RunMode.ALL_IN_ONE,
            Settings(env_file=None),
            span_processors=(SimpleSpanProcessor(spans),),
        )
        header = (
            f"{'run':>3} {'total s':>8} {'views s':>8} {'files s':>8} "
            f"{'XLSX kB':>8} {'PDF kB':>8} {'pages':>6} {'RSS peak':>9}"
        )
        totals: list[float] = []
        with TestClient(app) as client:
            print(f"RSS after start: {_peak_rss_mb():.0f} MB")
            print(header)
            print("-" * len(header))
            for run in range(1, arguments.runs + 1):
                started = time.perf_counter()
                response = client.post("/api/reports/generate")
                total = time.perf_counter() - started
                response.raise_for_status()
                report = response.json()
                views, files = _phases(spans, report["report_id"])
                pdf = Path(report["pdf_path"]).read_bytes()
                pages = len(re.findall(rb"/Type /Page\b(?!s)", pdf))
                totals.append(total)
                print(
                    f"{run:>3} {total:>8.2f} {views:>8.2f} {files:>8.2f} "
                    f"{report['bytes']['xlsx'] / 1000:>8.1f} {report['bytes']['pdf'] / 1000:>8.1f} "
                    f"{pages:>6} {_peak_rss_mb():>6.0f} MB"
                )
        print(f"median {statistics.median(totals):.2f} s per report")


if __name__ == "__main__":
    main()
