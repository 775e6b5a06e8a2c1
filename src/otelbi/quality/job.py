"""A data-quality suite as a scheduled job: details list every check, failed if an error
check failed."""

from __future__ import annotations

from collections.abc import Callable

from otelbi.jobs.definitions import JobContext, JobOutcome, JobStatus
from otelbi.quality.runner import QualitySuite


def quality_job(suite: QualitySuite) -> Callable[[JobContext], JobOutcome]:
    """Return a job body that runs `suite` on the job's warehouse."""

    def check_data_quality(context: JobContext) -> JobOutcome:
        with context.warehouse().connect() as connection:
            report = suite.run(
                connection,
                freshness_max_days=context.settings.analytics.data_quality_freshness_days,
            )
        return JobOutcome(
            details=report.as_details(),
            status=JobStatus.FAILED if report.failed_errors else JobStatus.SUCCEEDED,
        )

    return check_data_quality
