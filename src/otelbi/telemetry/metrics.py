"""The product's own metrics (`otelbi.*`), next to the request-duration histograms of the
HTTP instrumentation and the connection-pool gauges of the SQLAlchemy instrumentation.

    otelbi.job.runs                  counter {run}       otelbi.job.id, otelbi.job.status
    otelbi.job.duration              histogram s         otelbi.job.id, otelbi.job.status
    otelbi.export.bytes / .rows      histogram By/{row}  otelbi.export.domain, .view, .format
    otelbi.report.bytes / .rows      histogram By/{row}  otelbi.report.name, .format
    otelbi.warehouse.query.duration  histogram s         otelbi.domain, otelbi.statement,
                                                         otelbi.view, otelbi.outcome
    otelbi.quality.failures          counter {check}     otelbi.domain, otelbi.quality.check,
                                                         otelbi.quality.severity
    otelbi.audit.appends             counter {row}       otelbi.audit.domain, .action, .outcome,
                                                         otelbi.audit.written
    otelbi.cache.lookups             counter {call}      otelbi.domain, otelbi.view,
                                                         otelbi.cache.outcome (hit, miss, shared,
                                                         off)

Histograms rather than counters for sizes: one instrument gives the count, the sum and the
distribution. Each service's instruments come from its own meter provider (`Telemetry.metrics`).
"""

from __future__ import annotations

from opentelemetry.metrics import Meter

SECONDS_FAST = (0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)
SECONDS_SLOW = (0.1, 0.5, 1.0, 5.0, 15.0, 30.0, 60.0, 120.0, 300.0, 600.0, 1800.0, 3600.0)
BYTES = (1e3, 1e4, 1e5, 1e6, 1e7, 5e7, 1e8, 5e8, 1e9)
ROWS = (1.0, 10.0, 100.0, 1e3, 1e4, 5e4, 1e5, 1e6)


class ServiceMetrics:
    """The `otelbi.*` instruments of one service."""

    def __init__(self, meter: Meter) -> None:
        self._job_runs = meter.create_counter(
            "otelbi.job.runs", unit="{run}", description="Job executions, by job and status"
        )
        self._job_duration = meter.create_histogram(
            "otelbi.job.duration",
            unit="s",
            description="How long job executions took, by job and status",
            explicit_bucket_boundaries_advisory=SECONDS_SLOW,
        )
        self._export_bytes = meter.create_histogram(
            "otelbi.export.bytes",
            unit="By",
            description="Size of completed downloads",
            explicit_bucket_boundaries_advisory=BYTES,
        )
        self._export_rows = meter.create_histogram(
            "otelbi.export.rows",
            unit="{row}",
            description="Rows of completed downloads",
            explicit_bucket_boundaries_advisory=ROWS,
        )
        self._report_bytes = meter.create_histogram(
            "otelbi.report.bytes",
            unit="By",
            description="Size of written report files",
            explicit_bucket_boundaries_advisory=BYTES,
        )
        self._report_rows = meter.create_histogram(
            "otelbi.report.rows",
            unit="{row}",
            description="Rows of written report files",
            explicit_bucket_boundaries_advisory=ROWS,
        )
        self._query_duration = meter.create_histogram(
            "otelbi.warehouse.query.duration",
            unit="s",
            description="How long warehouse statements took, by statement and view",
            explicit_bucket_boundaries_advisory=SECONDS_FAST,
        )
        self._quality_failures = meter.create_counter(
            "otelbi.quality.failures",
            unit="{check}",
            description="Failed data-quality checks, by domain, check and severity",
        )
        self._audit_appends = meter.create_counter(
            "otelbi.audit.appends",
            unit="{row}",
            description="Audit rows appended (written=false: the store refused the row)",
        )
        self._cache_lookups = meter.create_counter(
            "otelbi.cache.lookups",
            unit="{call}",
            description="Warehouse-view calls, by how the result cache answered them",
        )

    def cache_lookup(self, *, domain: str, view: str, outcome: str) -> None:
        """Count one warehouse-view call by how the result cache answered it."""
        self._cache_lookups.add(
            1, {"otelbi.domain": domain, "otelbi.view": view, "otelbi.cache.outcome": outcome}
        )

    def job_run(self, job_id: str, status: str, seconds: float) -> None:
        """Count one finished job execution and its duration."""
        attributes = {"otelbi.job.id": job_id, "otelbi.job.status": status}
        self._job_runs.add(1, attributes)
        self._job_duration.record(seconds, attributes)

    def export(self, *, domain: str, view: str, file_format: str, rows: int, size: int) -> None:
        """Record one completed download of `view` as `file_format`."""
        attributes = {
            "otelbi.export.domain": domain,
            "otelbi.export.view": view,
            "otelbi.export.format": file_format,
        }
        self._export_bytes.record(size, attributes)
        self._export_rows.record(rows, attributes)

    def report(self, *, report: str, file_format: str, rows: int, size: int) -> None:
        """Record one written report file (`report` names the report, not the file)."""
        attributes = {"otelbi.report.name": report, "otelbi.report.format": file_format}
        self._report_bytes.record(size, attributes)
        self._report_rows.record(rows, attributes)

    def warehouse_query(
        self, *, domain: str, statement: str, view: str | None, ok: bool, seconds: float
    ) -> None:
        """Record how long one catalog statement took (`view`: the analytics view it served)."""
        self._query_duration.record(
            seconds,
            {
                "otelbi.domain": domain,
                "otelbi.statement": statement,
                "otelbi.view": view or "none",
                "otelbi.outcome": "ok" if ok else "error",
            },
        )

    def quality_failure(self, *, domain: str, check: str, severity: str) -> None:
        """Count one failed data-quality check (`severity`: error or warning)."""
        self._quality_failures.add(
            1,
            {
                "otelbi.domain": domain,
                "otelbi.quality.check": check,
                "otelbi.quality.severity": severity,
            },
        )

    def audit_append(self, *, domain: str, action: str, outcome: str, written: bool) -> None:
        """Count one audit row appended, or not `written` because the store failed."""
        self._audit_appends.add(
            1,
            {
                "otelbi.audit.domain": domain,
                "otelbi.audit.action": action,
                "otelbi.audit.outcome": outcome,
                "otelbi.audit.written": written,
            },
        )
