"""Per-view downloads: a view's table streamed as CSV, XLSX or PDF, with its bookkeeping.

Every download leaves an `export_records` row (who, view, format, parameters, rows, bytes,
SHA-256 of the file, duration, trace id), an audit row (action `export`), an
`otelbi.export` span and a point in the `otelbi.export.bytes` and `otelbi.export.rows`
metrics. The rows can only be written when the file is complete, so export routes live in
their own router without `Audited` (which writes before the response streams): `ExportDep`
audits what fails before the first byte (bad parameters, no data, a warehouse that is down)
as `Audited` would, and the stream writes both rows once the writer has produced its last
chunk — before that chunk leaves. If a row cannot be written (with
AUDIT_FAIL_CLOSED=true) the stream is aborted: the client gets a truncated download, never a
complete file without its record. A stream that fails or that the client leaves early gets
an audit row with outcome `error` and no export record.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Generator, Iterator
from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import StreamingResponse
from opentelemetry import context as otel_context
from opentelemetry import trace
from opentelemetry.trace import Span, Status, StatusCode

from otelbi.domain_service.dependencies import CallerDep, StateDep
from otelbi.domain_service.state import ServiceState
from otelbi.errors import OtelBiError
from otelbi.files.formats import ExportFormat
from otelbi.files.table import Table
from otelbi.store import audit
from otelbi.store.export_records import ExportRecord, append_export_record
from otelbi.web.downloads import download_responses
from otelbi.web.errors import error_responses

log = logging.getLogger(__name__)

AUDIT_ACTION = "export"
SPAN_NAME = "otelbi.export"


class DownloadAborted(RuntimeError):
    """A download stopped after its headers went out. Not an OtelBiError on purpose: no
    error response can follow a started one, so the connection is dropped instead."""


FormatQuery = Annotated[
    ExportFormat, Query(alias="format", description="File format: csv, xlsx or pdf")
]


def export_router(prefix: str) -> APIRouter:
    """Return the router of a domain's download routes, under `prefix`.

    Not `Audited` (see above); in the OpenAPI document each route answers a CSV, XLSX or PDF
    file, 503 when the warehouse or the store is down, or 429 from the gateway over
    EXPORT_REQUESTS_PER_MINUTE.
    """
    return APIRouter(
        prefix=prefix,
        tags=["exports"],
        default_response_class=StreamingResponse,
        responses={
            **download_responses(
                (file_format.media_type for file_format in ExportFormat),
                "The view as a file of the asked format",
            ),
            **error_responses(429, 503),
        },
    )


def export_filename(domain: str, view: str, table: Table, file_format: ExportFormat) -> str:
    """Return the download's file name: `{domain}-{view}-{as_of}.{ext}`."""
    return f"{domain}-{view}-{table.as_of.isoformat()}.{file_format.value}"


@dataclass
class ExportCall:
    """One export request: who asked, for what, and when it started."""

    state: ServiceState
    actor: str
    resource: str
    query: dict[str, str]
    parent: otel_context.Context
    started: float
    started_ns: int

    def audit(
        self, outcome: str, status: int | None, detail: str | None, trace_id: str | None
    ) -> None:
        """Append the export's audit row (raises StoreUnavailable if the store must have it)."""
        audit.record(
            self.state.store,
            audit.AuditEntry(
                actor=self.actor,
                domain=self.state.domain.value,
                action=AUDIT_ACTION,
                resource=self.resource,
                parameters=self.query,
                outcome=outcome,
                status_code=status,
                duration_ms=(time.perf_counter() - self.started) * 1000,
                trace_id=trace_id,
                detail=detail,
            ),
            fail_closed=self.state.settings.audit.audit_fail_closed,
        )

    def download(self, table: Table, file_format: ExportFormat, *, view: str) -> StreamingResponse:
        """Return the streamed download of `table`, recorded when its last chunk is ready."""
        domain = self.state.domain.value
        span = self.state.telemetry.tracer.start_span(
            SPAN_NAME,
            context=self.parent,
            start_time=self.started_ns,
            attributes={
                "otelbi.export.domain": domain,
                "otelbi.export.view": view,
                "otelbi.export.format": file_format.value,
                "otelbi.actor": self.actor,
            },
        )
        filename = export_filename(domain, view, table, file_format)
        stream = _RecordedStream(self, span, table, file_format, view)
        return StreamingResponse(
            stream.chunks(),
            media_type=file_format.media_type,
            headers={
                "Content-Disposition": f'attachment; filename="{filename}"',
                "Cache-Control": "no-store",
            },
        )


class _RecordedStream:
    """The file's chunks, hashed and counted on their way out; recorded at the end."""

    def __init__(
        self, call: ExportCall, span: Span, table: Table, file_format: ExportFormat, view: str
    ) -> None:
        self.call, self.span, self.table = call, span, table
        self.format, self.view = file_format, view
        context = span.get_span_context()
        self.trace_id = format(context.trace_id, "032x") if context.is_valid else None
        self.ended = False

    def chunks(self) -> Iterator[bytes]:
        """Yield the file; the last chunk only after the export record and audit row exist."""
        writer: Generator[bytes, None, int] = self.format.write(self.table)
        digest, size, held = hashlib.sha256(), 0, None
        try:
            while True:
                try:
                    chunk = next(writer)
                except StopIteration as done:
                    rows = done.value
                    break
                digest.update(chunk)
                size += len(chunk)
                if held is not None:
                    yield held
                held = chunk
            self._record(rows=rows, size=size, sha256=digest.hexdigest())
        except GeneratorExit:
            # The server closes (or garbage-collects) a stream its client left: say so.
            writer.close()
            self._fail("the client left before the download ended", None)
            raise
        except Exception as error:
            writer.close()
            detail = f"the download was aborted: {type(error).__name__}: {error}"
            self._fail(detail, error)
            raise DownloadAborted(detail) from error
        if held is not None:
            yield held

    def _record(self, *, rows: int, size: int, sha256: str) -> None:
        call = self.call
        self.span.set_attributes({"otelbi.export.rows": rows, "otelbi.export.bytes": size})
        with trace.use_span(self.span, end_on_exit=False):
            record = ExportRecord(
                actor=call.actor,
                domain=call.state.domain.value,
                view=self.view,
                format=self.format.value,
                parameters=self.table.parameters,
                rows=rows,
                bytes=size,
                sha256=sha256,
                duration_ms=(time.perf_counter() - call.started) * 1000,
                trace_id=self.trace_id,
            )
            try:
                append_export_record(call.state.store, record)
            except OtelBiError:
                if call.state.settings.audit.audit_fail_closed:
                    raise
                log.exception("export record not written, download delivered: %s", record)
            detail = f"{self.view}.{self.format.value}: {rows} rows, {size} bytes, sha256 {sha256}"
            call.audit("ok", 200, detail, self.trace_id)
        call.state.telemetry.metrics.export(
            domain=call.state.domain.value,
            view=self.view,
            file_format=self.format.value,
            rows=rows,
            size=size,
        )
        self.span.end()
        self.ended = True

    def _fail(self, detail: str, error: BaseException | None) -> None:
        if self.ended:
            return
        if error is not None:
            self.span.record_exception(error)
        self.span.set_status(Status(StatusCode.ERROR, detail))
        try:
            with trace.use_span(self.span, end_on_exit=False):
                self.call.audit("error", None, detail, self.trace_id)
        except Exception:
            log.exception("audit row of a failed export not written: %s", detail)
        finally:
            self.span.end()
            self.ended = True


def export_call(request: Request, state: StateDep, caller: CallerDep) -> Iterator[ExportCall]:
    """Yield the export request's context; audit it here if it fails before streaming."""
    call = ExportCall(
        state=state,
        actor=caller.subject,
        resource=request.url.path,
        query=dict(request.query_params),
        parent=otel_context.get_current(),
        started=time.perf_counter(),
        started_ns=time.time_ns(),
    )
    span_context = trace.get_current_span().get_span_context()
    trace_id = format(span_context.trace_id, "032x") if span_context.is_valid else None
    try:
        yield call
    except OtelBiError as error:
        call.audit("error", error.status, error.detail, trace_id)
        raise
    except RequestValidationError as error:
        call.audit("error", 422, "; ".join(str(e["msg"]) for e in error.errors()), trace_id)
        raise
    except Exception as error:
        call.audit("error", 500, type(error).__name__, trace_id)
        raise


ExportDep = Annotated[ExportCall, Depends(export_call, scope="function")]
"""An export route's context; its successful downloads are recorded by the stream."""
