"""The gateway's scheduled job: a full report every Monday at 05:00 UTC.

It runs in the gateway, which owns cross-domain work: the views are read from the services
over the gateway's clients, the files written to REPORT_OUTPUT_DIR, and the report record
carries the run's execution id. Before writing, it sweeps the files crashed reports left
(gateway/report_orphans.py).
"""

from __future__ import annotations

from otelbi.domains import GATEWAY_SERVICE_NAME
from otelbi.gateway.report_orphans import sweep_or_log
from otelbi.gateway.reports import ReportRequest, generate_report_in_thread
from otelbi.gateway.state import GatewayState
from otelbi.jobs.definitions import JobContext, JobDefinition, JobOutcome

WEEKLY_REPORT_JOB_ID = "reports.weekly"
WEEKLY_REPORT_TITLE = "OTel BI weekly report"


def weekly_report(context: JobContext) -> JobOutcome:
    """Sweep what crashed reports left, then write this week's full report (window:
    DEFAULT_HISTORY_DAYS)."""
    state = context.resource(GatewayState)
    sweep = sweep_or_log(state.store, state.settings)
    record = generate_report_in_thread(
        state,
        ReportRequest(
            actor=context.actor,
            title=WEEKLY_REPORT_TITLE,
            days_back=context.settings.analytics.default_history_days,
            execution_id=context.execution_id,
        ),
    )
    return JobOutcome(
        rows_written=1,
        details={
            "report_id": record.id,
            "xlsx_path": record.xlsx.path,
            "pdf_path": record.pdf.path,
            "bytes": {"xlsx": record.xlsx.bytes, "pdf": record.pdf.bytes},
            "orphans_removed": sweep.removed() if sweep is not None else None,
        },
    )


GATEWAY_JOBS: tuple[JobDefinition, ...] = (
    JobDefinition(
        WEEKLY_REPORT_JOB_ID,
        GATEWAY_SERVICE_NAME,
        "0 5 * * 1",
        "full XLSX + PDF report of every view on REPORT_OUTPUT_DIR",
        weekly_report,
    ),
)
