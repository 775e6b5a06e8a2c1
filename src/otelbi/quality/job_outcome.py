"""How a data-quality run reads as a job outcome."""

from __future__ import annotations

from otelbi.jobs.definitions import JobOutcome, JobStatus
from otelbi.quality.runner import QualityReport


def data_quality_outcome(report: QualityReport) -> JobOutcome:
    """Return the job outcome of `report`: failed if any error-severity check failed."""
    failed = bool(report.failed_errors)
    return JobOutcome(
        rows_written=0,
        details=report.as_details(),
        status=JobStatus.FAILED if failed else JobStatus.SUCCEEDED,
    )
