"""Full reports: every view in one XLSX and one PDF under REPORT_OUTPUT_DIR/YYYY/MM/, and
the files read back for download.

Generating one: the views are read from the services on the event loop (`read_views`), the
two files are built and written in a worker thread, each atomically (`files.atomic`), then
the audit row (`report.generate`) and the `report_records` row are written. A failure at any
step removes the files already written, so the share never holds part of a report and every
listed report has both files. The whole generation is one `otelbi.report` span.

Downloading one: the file's path comes from its record, never from the request; it must
still lie under REPORT_OUTPUT_DIR and have the size and SHA-256 it was written with.
Missing → 404, changed → 409, the share unreadable → 503.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import logging
import secrets
import time
from collections.abc import Awaitable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, TypeVar

from opentelemetry import context as otel_context
from opentelemetry import trace
from opentelemetry.util.types import AttributeValue
from starlette.concurrency import run_in_threadpool

from otelbi.errors import Conflict, DependencyUnavailable, NotFound, OtelBiError
from otelbi.files.atomic import atomic_write, ensure_directory
from otelbi.files.pdf_report import write_pdf_report
from otelbi.files.report import table_rows
from otelbi.files.xlsx_report import write_xlsx_report
from otelbi.gateway.report_views import VIEW_COUNT, ReportViews, read_views, report_document
from otelbi.gateway.state import GatewayState
from otelbi.store import audit
from otelbi.store.report_records import (
    ReportFile,
    ReportRecord,
    append_report_record,
    get_report_record,
)
from otelbi.telemetry import business_span, current_telemetry

log = logging.getLogger(__name__)

T = TypeVar("T")
FileKind = Literal["xlsx", "pdf"]

REPORT_ID_PATTERN = r"^[0-9]{8}T[0-9]{6}Z-[0-9a-f]{8}$"
"""A report id: its UTC creation time and 8 random hex digits, e.g. 20260126T050000Z-3f9a1c2b."""
AUDIT_DOMAIN = "gateway"
GENERATE_ACTION = "report.generate"
DOWNLOAD_ACTION = "report.download"
SPAN_NAME = "otelbi.report"
METRIC_NAME = "full"
VIEWS_TIMEOUT_SECONDS = 330.0
"""How long a job waits for the views (the service clients' read timeout is 300 s)."""
MEDIA_TYPES: dict[str, str] = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


@dataclass(frozen=True)
class ReportRequest:
    """What to generate, for whom (`execution_id`: the job run that asked, if any)."""

    actor: str
    title: str
    days_back: int
    execution_id: int | None = None


def new_report_id(now: dt.datetime) -> str:
    """Return a fresh report id for a report generated at `now` (UTC)."""
    return f"{now.astimezone(dt.UTC):%Y%m%dT%H%M%SZ}-{secrets.token_hex(4)}"


def _trace_id() -> str | None:
    context = trace.get_current_span().get_span_context()
    return format(context.trace_id, "032x") if context.is_valid else None


class ReportGeneration:
    """One report being generated: its id, when it started, and its bookkeeping."""

    def __init__(self, state: GatewayState, request: ReportRequest) -> None:
        self.state, self.request = state, request
        self.generated_at = dt.datetime.now(dt.UTC)
        self.report_id = new_report_id(self.generated_at)
        self.started = time.perf_counter()

    @contextmanager
    def traced(self) -> Iterator[trace.Span]:
        """Run the block in the report's span; a failure leaves an audit row with its status."""
        attributes: dict[str, AttributeValue] = {
            "otelbi.report.id": self.report_id,
            "otelbi.report.views": VIEW_COUNT,
        }
        with business_span(SPAN_NAME, attributes) as span:
            try:
                yield span
            except OtelBiError as error:
                self._audit_failure(error.status, error.detail)
                raise
            except Exception as error:
                self._audit_failure(500, f"{type(error).__name__}: {error}")
                raise

    def write(self, views: ReportViews) -> ReportRecord:
        """Build and write both files, then audit and record them; return the record."""
        settings = self.state.settings
        document = report_document(
            views,
            report_id=self.report_id,
            title=self.request.title,
            created_by=self.request.actor,
            days_back=self.request.days_back,
            events_limit=settings.analytics.storage_default_limit,
            generated_at=self.generated_at,
        )
        contents = {"xlsx": write_xlsx_report(document), "pdf": write_pdf_report(document)}
        directory = self.directory()
        written: list[Path] = []
        try:
            _ensure_output_directory(directory)
            for kind, data in contents.items():
                path = directory / f"otelbi-report-{self.report_id}.{kind}"
                try:
                    with atomic_write(path) as output:
                        output.write(data)
                except DependencyUnavailable as error:
                    raise _not_written(error) from error
                written.append(path)
            files = {
                kind: ReportFile(str(path), len(data), hashlib.sha256(data).hexdigest())
                for (kind, data), path in zip(contents.items(), written, strict=True)
            }
            record = ReportRecord(
                id=self.report_id,
                created_at=self.generated_at,
                created_by=self.request.actor,
                title=self.request.title,
                days_back=self.request.days_back,
                xlsx=files["xlsx"],
                pdf=files["pdf"],
                duration_ms=round((time.perf_counter() - self.started) * 1000, 3),
                trace_id=_trace_id(),
                execution_id=self.request.execution_id,
            )
            # Audited before it is recorded: a report nobody can account for is never listed.
            self._audit(record)
            append_report_record(self.state.store, record)
        except BaseException:
            for path in written:
                with suppress(OSError):
                    path.unlink()
            raise
        size = record.xlsx.bytes + record.pdf.bytes
        trace.get_current_span().set_attribute("otelbi.report.bytes", size)
        rows = sum(len(table_rows(table)) for table in document.sections)
        for kind, file in files.items():
            current_telemetry().metrics.report(
                report=METRIC_NAME, file_format=kind, rows=rows, size=file.bytes
            )
        log.info("report %s written: %s, %s (%d bytes)", record.id, *written, size)
        return record

    def directory(self) -> Path:
        """Return REPORT_OUTPUT_DIR/YYYY/MM of the generation's (UTC) month."""
        root = self.state.settings.reports.report_output_dir
        return root / f"{self.generated_at:%Y}" / f"{self.generated_at:%m}"

    def _entry(self, outcome: str, status: int, detail: str) -> audit.AuditEntry:
        return audit.AuditEntry(
            actor=self.request.actor,
            domain=AUDIT_DOMAIN,
            action=GENERATE_ACTION,
            resource=self.report_id,
            parameters={
                "title": self.request.title,
                "days_back": self.request.days_back,
                "execution_id": self.request.execution_id,
            },
            outcome=outcome,
            status_code=status,
            duration_ms=(time.perf_counter() - self.started) * 1000,
            trace_id=_trace_id(),
            detail=detail,
        )

    def _audit(self, record: ReportRecord) -> None:
        detail = "; ".join(
            f"{kind}: {file.path}, {file.bytes} bytes, sha256 {file.sha256}"
            for kind, file in (("xlsx", record.xlsx), ("pdf", record.pdf))
        )
        audit.record(
            self.state.store,
            self._entry("ok", 201, detail),
            fail_closed=self.state.settings.audit.audit_fail_closed,
        )

    def _audit_failure(self, status: int, detail: str) -> None:
        try:
            audit.append(self.state.store, self._entry("error", status, detail))
        except Exception:
            log.exception("audit row of a failed report not written: %s", detail)


def _not_written(error: DependencyUnavailable) -> DependencyUnavailable:
    return DependencyUnavailable(
        f"the report could not be written to REPORT_OUTPUT_DIR: {error.detail}; "
        "no file of it was left there"
    )


def _ensure_output_directory(directory: Path) -> None:
    try:
        ensure_directory(directory)
    except DependencyUnavailable as error:
        raise _not_written(error) from error


async def generate_report(state: GatewayState, request: ReportRequest) -> ReportRecord:
    """Generate a report from a request handler: views on the loop, files in a thread."""
    generation = ReportGeneration(state, request)
    with generation.traced():
        views = await read_views(state, request.actor, request.days_back)
        return await run_in_threadpool(generation.write, views)


async def _in_context(context: otel_context.Context, awaitable: Awaitable[T]) -> T:
    token = otel_context.attach(context)
    try:
        return await awaitable
    finally:
        otel_context.detach(token)


def generate_report_in_thread(state: GatewayState, request: ReportRequest) -> ReportRecord:
    """Generate a report from a worker thread (a job): the views are read on the gateway's
    event loop, where its service clients live, in this thread's trace."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        pass  # a worker thread, as it must be: on the loop, waiting for it would hang
    else:
        raise RuntimeError("generate_report_in_thread runs in a worker thread, not on the loop")
    loop = state.loop
    if loop is None or loop.is_closed():
        raise DependencyUnavailable("the gateway is not running: its event loop is closed")
    generation = ReportGeneration(state, request)
    with generation.traced():
        reading = _in_context(
            otel_context.get_current(), read_views(state, request.actor, request.days_back)
        )
        views = asyncio.run_coroutine_threadsafe(reading, loop).result(VIEWS_TIMEOUT_SECONDS)
        return generation.write(views)


def report_file(state: GatewayState, report_id: str, kind: FileKind) -> tuple[ReportRecord, bytes]:
    """Return a report's record and the bytes of its `kind` file, checked against the record."""
    record = get_report_record(state.store, report_id)
    if record is None:
        raise NotFound(f"there is no report {report_id} (GET /api/reports lists them)")
    expected = record.file(kind)
    path = Path(expected.path)
    try:
        data = _read_under_output_dir(state, path, limit=expected.bytes + 1)
    except FileNotFoundError:
        raise NotFound(
            f"report {report_id}'s {kind.upper()} file is no longer on the share ({path})"
        ) from None
    except OSError as error:
        raise DependencyUnavailable(
            f"{path.parent} cannot be read: {error.strerror or error}"
        ) from error
    actual = hashlib.sha256(data).hexdigest()
    if len(data) != expected.bytes or actual != expected.sha256:
        raise Conflict(
            f"report {report_id}'s {kind.upper()} file ({path}) has changed since it was "
            f"written ({len(data):,}+ bytes, sha256 {actual[:12]}… instead of "
            f"{expected.bytes:,} bytes, {expected.sha256[:12]}…): it is not served. Restore "
            "it, or generate a new report"
        )
    return record, data


def _read_under_output_dir(state: GatewayState, path: Path, *, limit: int) -> bytes:
    """Return up to `limit` bytes of `path`, which must resolve to a file in the output dir."""
    root = state.settings.reports.report_output_dir
    resolved = path.resolve(strict=True)  # symbolic links followed, then checked
    if not resolved.is_relative_to(root.resolve()):
        raise NotFound(
            f"{path} is not under REPORT_OUTPUT_DIR ({root}): only files there are served"
        )
    if not resolved.is_file():
        raise Conflict(f"{path} is no longer a file: it is not served")
    with resolved.open("rb") as file:
        return file.read(limit)


def audit_download(
    state: GatewayState,
    *,
    actor: str,
    report_id: str,
    kind: str,
    started: float,
    error: OtelBiError | None,
    file: ReportFile | None = None,
) -> None:
    """Write a download's audit row (fail-closed for a delivered file, as for exports)."""
    detail: str | None
    if error is None and file is not None:
        outcome, status, detail = "ok", 200, f"{kind}: {file.bytes} bytes, sha256 {file.sha256}"
    else:
        outcome, status = "error", error.status if error else 500
        detail = error.detail if error else None
    entry = audit.AuditEntry(
        actor=actor,
        domain=AUDIT_DOMAIN,
        action=DOWNLOAD_ACTION,
        resource=report_id,
        parameters={"format": kind},
        outcome=outcome,
        status_code=status,
        duration_ms=(time.perf_counter() - started) * 1000,
        trace_id=_trace_id(),
        detail=detail,
    )
    if outcome == "ok":
        audit.record(state.store, entry, fail_closed=state.settings.audit.audit_fail_closed)
        return
    try:
        audit.append(state.store, entry)
    except OtelBiError:
        log.exception("audit row of a refused report download not written")
