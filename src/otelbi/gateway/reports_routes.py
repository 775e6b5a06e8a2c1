"""Full reports: POST /api/reports/generate writes one (REPORTS_GENERATE_SCOPE, if set),
GET /api/reports lists them, GET /api/reports/{id} shows one and
GET /api/reports/{id}/xlsx|pdf downloads its files (docs/exports.md, "Full reports").
Generating is limited per user and in concurrency (gateway/rate_limits.py)."""

from __future__ import annotations

import time
from typing import Annotated

from fastapi import APIRouter, Body, Path, Query, Request, Response
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from otelbi.errors import NotFound, OtelBiError
from otelbi.gateway.auth import CurrentUser, GatewayDep, ReportsGenerator
from otelbi.gateway.rate_limits import principal
from otelbi.gateway.report_orphans import report_is_complete
from otelbi.gateway.reports import (
    MEDIA_TYPES,
    REPORT_ID_PATTERN,
    FileKind,
    ReportRequest,
    audit_download,
    generate_report,
    report_file,
)
from otelbi.paging import Page, PageLimit, PageOffset
from otelbi.store.report_records import ReportRecord, get_report_record, recent_report_records
from otelbi.utc import UtcDateTime
from otelbi.web.downloads import download_responses
from otelbi.web.errors import error_responses

# Every route reads the report records in the store: 503 when it (or the share) is down.
router = APIRouter(prefix="/api/reports", tags=["reports"], responses=error_responses(503))

DEFAULT_TITLE = "OTel BI report"

ReportId = Annotated[
    str,
    Path(
        pattern=REPORT_ID_PATTERN,
        max_length=40,
        description="A report id as GET /api/reports lists it, e.g. 20260126T050000Z-3f9a1c2b",
    ),
]


class ReportParameters(BaseModel):
    """The optional body of POST /api/reports/generate."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    title: str | None = Field(None, min_length=1, max_length=200, pattern=r"^[^\x00-\x1f\x7f]*$")
    days_back: int | None = Field(None, ge=1, le=3650)


class ReportOut(BaseModel):
    """A generated report: where its files are on the share, their sizes and SHA-256."""

    report_id: str
    title: str
    created_at: UtcDateTime
    created_by: str
    days_back: int
    xlsx_path: str
    pdf_path: str
    bytes: dict[str, int]
    sha256: dict[str, str]
    downloads: dict[str, str]
    duration_ms: float
    trace_id: str | None
    execution_id: int | None

    @classmethod
    def of(cls, record: ReportRecord) -> ReportOut:
        """Return the answer describing `record`."""
        return cls(
            report_id=record.id,
            title=record.title,
            created_at=record.created_at,
            created_by=record.created_by,
            days_back=record.days_back,
            xlsx_path=record.xlsx.path,
            pdf_path=record.pdf.path,
            bytes={"xlsx": record.xlsx.bytes, "pdf": record.pdf.bytes},
            sha256={"xlsx": record.xlsx.sha256, "pdf": record.pdf.sha256},
            downloads={kind: f"/api/reports/{record.id}/{kind}" for kind in ("xlsx", "pdf")},
            duration_ms=record.duration_ms,
            trace_id=record.trace_id,
            execution_id=record.execution_id,
        )


@router.post(
    "/generate",
    name="gateway.reports.generate",
    status_code=201,
    response_description="The report, written",
    responses=error_responses(429),
)
async def post_generate(
    request: Request,
    state: GatewayDep,
    user: ReportsGenerator,
    response: Response,
    parameters: Annotated[ReportParameters | None, Body()] = None,
) -> ReportOut:
    """Write a full report (XLSX and PDF of every view) to REPORT_OUTPUT_DIR and describe it.

    The body is optional: `title`, and `days_back` for the windowed views (default
    DEFAULT_HISTORY_DAYS). It reads every view of both warehouses and writes both files
    before answering (201, `Location` the report's URL): a second or more, so the calls are
    limited: 429 over REPORT_GENERATE_PER_MINUTE for the caller, or when no generation slot
    frees in time (REPORT_MAX_CONCURRENT). The weekly report job does the same on schedule.
    """
    parameters = parameters or ReportParameters()
    asked = ReportRequest(
        actor=user.subject,
        title=parameters.title or DEFAULT_TITLE,
        days_back=parameters.days_back or state.settings.analytics.default_history_days,
    )
    authenticated = state.user_tokens is not None
    state.limits.count_report(principal(request, user, authenticated=authenticated))
    async with state.limits.generation_slot():
        record = await generate_report(state, asked)
    response.headers["Location"] = f"/api/reports/{record.id}"
    return ReportOut.of(record)


@router.get("", name="gateway.reports.list")
def list_reports(
    state: GatewayDep,
    _user: CurrentUser,
    limit: PageLimit = None,
    offset: PageOffset = 0,
    execution_id: Annotated[int | None, Query(ge=1)] = None,
) -> Page[ReportOut]:
    """Return the generated reports with both files on the share, newest first.

    One page (`limit`, `offset`, `total`; the next page is `offset + limit`), each report
    described as GET /api/reports/{report_id} does. `execution_id` keeps only the report a
    job run wrote. `total` counts the recorded reports; one whose files are gone from the
    share is counted but not listed.
    """
    limit = limit or state.settings.analytics.storage_default_limit
    records, total = recent_report_records(
        state.store, limit=limit, offset=offset, execution_id=execution_id
    )
    return Page[ReportOut](
        items=[ReportOut.of(record) for record in records if report_is_complete(record)],
        limit=limit,
        offset=offset,
        total=total,
    )


@router.get("/{report_id}", name="gateway.reports.get", responses=error_responses(404))
def get_report(report_id: ReportId, state: GatewayDep, _user: CurrentUser) -> ReportOut:
    """Return one report's description; 404 if there is none with that id.

    The report's title, window (`days_back`), who asked, when it was written, how long it
    took, its trace id and, for each file (`xlsx`, `pdf`), its path on the share, size, SHA-256
    and download link: what GET /api/reports/{report_id}/{kind} will serve.
    """
    record = get_report_record(state.store, report_id)
    if record is None:
        raise NotFound(f"there is no report {report_id} (GET /api/reports lists them)")
    return ReportOut.of(record)


@router.get(
    "/{report_id}/{kind}",
    name="gateway.reports.download",
    response_class=Response,
    responses={
        **download_responses(MEDIA_TYPES.values(), "The file, as it was written"),
        **error_responses(404, 409),
    },
)
async def download_report(
    report_id: ReportId, kind: FileKind, state: GatewayDep, user: CurrentUser
) -> Response:
    """Download a report's file as written: 404 if gone, 409 if changed, 503 if unreadable.

    `kind` is `xlsx` or `pdf`. The file is read from REPORT_OUTPUT_DIR and served only if its
    size and SHA-256 still match what was recorded when it was written: a file changed on the
    share since is refused (409) rather than served. Every download, refused or not, leaves an
    audit row.
    """
    started = time.perf_counter()
    try:
        record, data = await run_in_threadpool(report_file, state, report_id, kind)
    except OtelBiError as error:
        await run_in_threadpool(
            audit_download,
            state,
            actor=user.subject,
            report_id=report_id,
            kind=kind,
            started=started,
            error=error,
        )
        raise
    file = record.file(kind)
    await run_in_threadpool(
        audit_download,
        state,
        actor=user.subject,
        report_id=report_id,
        kind=kind,
        started=started,
        error=None,
        file=file,
    )
    return Response(
        data,
        media_type=MEDIA_TYPES[kind],
        headers={
            "Content-Disposition": f'attachment; filename="otelbi-report-{record.id}.{kind}"',
            "Cache-Control": "no-store",
        },
    )
