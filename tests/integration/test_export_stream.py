"""A recorded download on a real store (SQLite): recorded only once the file is complete; a
download that breaks off or that its client abandons is audited as an error, unrecorded."""

from __future__ import annotations

import asyncio
import datetime as dt
import gc
import hashlib
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from fastapi.responses import StreamingResponse
from opentelemetry import context as otel_context
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import StatusCode

from otelbi.aw.data_version import DATA_VERSION
from otelbi.cache.data_version import DataVersion
from otelbi.domain_service.exports import DownloadAborted, ExportCall
from otelbi.domain_service.state import ServiceState
from otelbi.domains import Domain
from otelbi.files.formats import ExportFormat
from otelbi.files.table import Column, ColumnKind, Row, Table
from otelbi.security.internal_tokens import VerifiedTokens
from otelbi.settings import Settings
from otelbi.store.engine import create_store_engine
from otelbi.store.migrate import upgrade_to_head
from otelbi.store.tables import audit_log, export_records
from otelbi.telemetry import Telemetry
from otelbi.warehouse.live import LiveWarehouse

COLUMNS = (Column("name", "Name"), Column("n", "N", ColumnKind.INTEGER))


@pytest.fixture
def spans() -> InMemorySpanExporter:
    return InMemorySpanExporter()


@pytest.fixture
def state(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, spans: InMemorySpanExporter
) -> Iterator[ServiceState]:
    monkeypatch.setenv("DATA_DIR", str(tmp_path))
    settings = Settings(env_file=None)
    store = create_store_engine(settings)
    upgrade_to_head(store)
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(spans))
    warehouse = LiveWarehouse(Domain.AW, settings.warehouse)  # no file: unavailable
    yield ServiceState(
        domain=Domain.AW,
        settings=settings,
        store=store,
        telemetry=Telemetry("aw-service", provider),
        tokens=VerifiedTokens(
            secret="s" * 32, audience="aw-service", allowed_issuers=frozenset({"api-gateway"})
        ),
        warehouse=warehouse,
        data_version=DataVersion(DATA_VERSION, warehouse, freshness_seconds=60),
    )
    store.dispose()


def _call(state: ServiceState) -> ExportCall:
    return ExportCall(
        state=state,
        actor="ada",
        resource="/api/aw/export/test",
        query={"format": "csv"},
        parent=otel_context.Context(),
        started=time.perf_counter(),
        started_ns=time.time_ns(),
    )


def _rows(count: int, *, fail_at: int | None = None) -> Iterator[Row]:
    for n in range(count):
        if n == fail_at:
            raise LookupError("the warehouse went away mid-file")
        yield (f"row {n}", n)


def _table(rows: Iterator[Row]) -> Table:
    return Table("Test", COLUMNS, rows, dt.date(2014, 1, 28), parameters={"top_n": 5})


async def _read(response: StreamingResponse, *, chunks: int | None = None) -> bytes:
    received = b""
    async for chunk in response.body_iterator:
        received += chunk if isinstance(chunk, bytes) else bytes(chunk, "utf-8")
        if chunks is not None and received.count(b"\n") and (chunks := chunks - 1) == 0:
            break
    return received


def _stored(state: ServiceState) -> tuple[list[sa.Row[object]], list[sa.Row[object]]]:
    with state.store.connect() as connection:
        records = list(connection.execute(sa.select(export_records)))
        audits = list(connection.execute(sa.select(audit_log)))
    return records, audits


def test_a_complete_download_is_recorded_with_its_hash(
    state: ServiceState, spans: InMemorySpanExporter
) -> None:
    response = _call(state).download(_table(_rows(50_000)), ExportFormat.CSV, view="test")
    assert response.headers["content-disposition"] == (
        'attachment; filename="aw-test-2014-01-28.csv"'
    )
    data = asyncio.run(_read(response))
    (record,), (audited,) = _stored(state)
    assert (record.rows, record.bytes) == (50_000, len(data))
    assert record.sha256 == hashlib.sha256(data).hexdigest()
    assert (record.actor, record.view, record.format) == ("ada", "test", "csv")
    assert record.parameters == {"top_n": 5}
    assert (audited.action, audited.outcome, audited.status_code) == ("export", "ok", 200)
    (span,) = spans.get_finished_spans()
    assert span.name == "otelbi.export"
    assert span.attributes is not None
    assert span.attributes["otelbi.export.rows"] == 50_000


def test_a_writer_that_fails_mid_file_breaks_the_stream_and_is_audited(
    state: ServiceState, spans: InMemorySpanExporter
) -> None:
    response = _call(state).download(
        _table(_rows(50_000, fail_at=40_000)), ExportFormat.CSV, view="test"
    )
    with pytest.raises(DownloadAborted, match="went away mid-file"):
        asyncio.run(_read(response))
    records, (audited,) = _stored(state)
    assert records == []
    assert (audited.outcome, audited.status_code) == ("error", None)
    assert "LookupError: the warehouse went away mid-file" in audited.detail
    (span,) = spans.get_finished_spans()
    assert span.status.status_code is StatusCode.ERROR


def test_a_download_its_client_abandons_is_audited_as_an_error(
    state: ServiceState, spans: InMemorySpanExporter
) -> None:
    response = _call(state).download(_table(_rows(50_000)), ExportFormat.CSV, view="test")
    partial = asyncio.run(_read(response, chunks=1))
    assert 0 < len(partial) < 1_000_000
    del response
    # The server drops the abandoned stream; once the last reference (a worker thread may
    # hold it a moment) is gone, closing it runs the bookkeeping.
    deadline = time.monotonic() + 10
    while not _stored(state)[1] and time.monotonic() < deadline:
        gc.collect()
        time.sleep(0.05)
    records, (audited,) = _stored(state)
    assert records == []
    assert audited.outcome == "error"
    assert "the client left" in audited.detail
    (span,) = spans.get_finished_spans()
    assert span.status.status_code is StatusCode.ERROR
