"""Every per-view export, through the gateway, on a generated warehouse and PostgreSQL:
each file read back (csv module, openpyxl, pdftotext) equals the JSON view, and each download
leaves an export record with the file's size and SHA-256, an audit row and a span."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import subprocess
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import openpyxl
import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind

from otelbi.aw import exports as aw_exports
from otelbi.files.labels import parameter_label
from otelbi.files.table import Column, ColumnKind
from otelbi.service_layout import build_app
from otelbi.settings import RunMode, Settings
from otelbi.store.tables import audit_log, export_records
from otelbi.wwi import exports as wwi_exports
from otelbi.wwi.reorder import StockPosition
from otelbi.wwi.stock_events import detect_events

FORMULA_ITEMS = ['=HYPERLINK("http://example.com","click")', "+1+2", "@SUM(A1)", "-5 widgets"]
FORMULA_TRIGGERS = ("=", "+", "-", "@", *map(chr, range(32)))  # and any control character


@dataclass(frozen=True)
class View:
    domain: str
    name: str
    json_path: str
    params: dict[str, Any]
    columns: Sequence[Column]
    items_key: str | None
    recorded: dict[str, Any] = field(default_factory=dict)

    @property
    def export_path(self) -> str:
        return f"/api/{self.domain}/export/{self.name}"

    def items(self, body: Any) -> list[dict[str, Any]]:
        return body if self.items_key is None else body[self.items_key]


VIEWS = [
    View(
        "aw",
        "sales-history",
        "/api/aw/sales/history",
        {"days_back": 3650, "grain": "day"},  # ~180 kB of CSV: several chunks
        aw_exports.HISTORY_COLUMNS,
        "points",
        {"days_back": 3650, "grain": "day"},
    ),
    View(
        "aw",
        "sales-forecast",
        "/api/aw/sales/forecast",
        {"horizon_days": 21},
        aw_exports.FORECAST_COLUMNS,
        "points",
        {"horizon_days": 21},
    ),
    View(
        "aw",
        "rep-scores",
        "/api/aw/reps/scores",
        {"top_n": 12, "days_back": 730},
        aw_exports.REP_COLUMNS,
        "reps",
        {"top_n": 12, "days_back": 730},
    ),
    View(
        "aw",
        "product-demand",
        "/api/aw/products/demand",
        {"top_n": 40},
        aw_exports.PRODUCT_COLUMNS,
        "products",
        {"top_n": 40, "days_back": "all history"},
    ),
    View(
        "wwi",
        "stock-recommendations",
        "/api/wwi/stock/recommendations",
        {},
        wwi_exports.RECOMMENDATION_COLUMNS,
        "items",
        {"urgency": "all"},
    ),
    View(
        "wwi",
        "supplier-scores",
        "/api/wwi/suppliers/scores",
        {"top_n": 8},
        wwi_exports.SUPPLIER_COLUMNS,
        "suppliers",
        {"top_n": 8},
    ),
    View(
        "wwi",
        "business-events",
        "/api/wwi/events",
        {"limit": 50},
        wwi_exports.EVENT_COLUMNS,
        "items",
        {"limit": 50, "event_type": "all", "open": False},
    ),
]


@pytest.fixture
def spans() -> InMemorySpanExporter:
    return InMemorySpanExporter()


@pytest.fixture
def client(
    monkeypatch: pytest.MonkeyPatch,
    postgres_url: str,
    generated_warehouses: Path,
    spans: InMemorySpanExporter,
) -> Iterator[TestClient]:
    monkeypatch.setenv("POSTGRES_URL", postgres_url)
    monkeypatch.setenv("DATA_DIR", str(generated_warehouses))
    app = build_app(
        RunMode.ALL_IN_ONE, Settings(env_file=None), span_processors=(SimpleSpanProcessor(spans),)
    )
    with TestClient(app) as test_client:
        yield test_client


@pytest.fixture
def store(client: TestClient, postgres_url: str) -> Iterator[sa.Engine]:
    """The store the running app migrated, holding stock events named like formulas."""
    engine = sa.create_engine(postgres_url.replace("postgresql://", "postgresql+psycopg://"))
    positions = [
        StockPosition(
            wwi_stock_item_id=900 + n,
            stock_item=name,
            on_hand=n - 1,
            reorder_level=10,
            target_level=20,
            lead_time_days=7,
            quantity_per_outer=1,
            last_cost_price=Decimal(1),
            issued_qty=0,
            open_po_qty=0,
        )
        for n, name in enumerate([*FORMULA_ITEMS, "Prodüct ≤ “quoted”, with comma"])
    ]
    now = dt.datetime(2026, 11, 28, 9, 15, 30, 123456, tzinfo=dt.UTC)
    detect_events(engine, positions, now=now, execution_id=None)
    yield engine
    engine.dispose()


def _get(client: TestClient, path: str, **params: Any) -> Any:
    response = client.get(path, params=params)
    assert response.status_code == 200, response.text
    return response.json()


# --- what a reader should find in each format, stated independently of the writers -------


def _csv_expected(value: Any, column: Column) -> str:
    if value is None:
        return ""
    if column.kind is ColumnKind.TEXT:
        text = str(value)
        return "'" + text if text.startswith(FORMULA_TRIGGERS) else text
    if column.kind is ColumnKind.DATETIME:
        return _utc(value).strftime("%Y-%m-%d %H:%M:%S")
    return str(value)


def _utc(text: str) -> dt.datetime:
    moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC).replace(tzinfo=None)
    return moment


def _csv_matches(field_text: str, value: Any, column: Column) -> bool:
    if value is not None and column.numeric:
        return float(field_text) == pytest.approx(float(value), abs=1e-9)
    return field_text == _csv_expected(value, column)


def _xlsx_matches(cell: Any, value: Any, column: Column) -> bool:
    if value is None:
        return cell is None
    if column.kind is ColumnKind.PERCENT:
        return bool(cell == pytest.approx(value / 100, abs=1e-12))
    if column.numeric:
        return bool(cell == pytest.approx(value, abs=1e-9))
    if column.kind is ColumnKind.DATE:
        return bool(cell == dt.datetime.fromisoformat(value))
    if column.kind is ColumnKind.DATETIME:
        return abs((cell - _utc(value)).total_seconds()) < 0.001
    return bool(cell == value)


def _shown(value: Any, column: Column) -> str:
    """The text a PDF reader sees for one cell."""
    if value is None:
        return ""
    places = column.decimals
    match column.kind:
        case ColumnKind.INTEGER:
            return f"{value:,}"
        case ColumnKind.DECIMAL:
            return f"{value:,.{places}f}"
        case ColumnKind.MONEY:
            return f"-${-value:,.2f}" if value < 0 else f"${value:,.2f}"
        case ColumnKind.PERCENT:
            return f"{value:,.{places}f} %"
        case ColumnKind.DATETIME:
            return _utc(value).strftime("%Y-%m-%d %H:%M:%S")
    return " ".join(str(value).split())


def _pdf_text(data: bytes, tmp_path: Path) -> str:
    path = tmp_path / "export.pdf"
    path.write_bytes(data)
    raw = subprocess.run(
        ["pdftotext", "-raw", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
    return " ".join(raw.split())


def _check_csv(data: bytes, view: View, items: list[dict[str, Any]]) -> None:
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert rows[0] == [column.title for column in view.columns]
    assert len(rows) - 1 == len(items)
    for row, item in zip(rows[1:], items, strict=True):
        for text, column in zip(row, view.columns, strict=True):
            assert _csv_matches(text, item[column.key], column), (column.key, text, item)


def _check_xlsx(data: bytes, view: View, items: list[dict[str, Any]], tmp_path: Path) -> None:
    path = tmp_path / "export.xlsx"
    path.write_bytes(data)
    book = openpyxl.load_workbook(path)
    sheet = book.worksheets[0]
    assert book.sheetnames[-1] == "Parameters"
    assert [cell.value for cell in sheet[1]] == [column.title for column in view.columns]
    assert sheet.freeze_panes == "A2"
    body = list(sheet.iter_rows(min_row=2, max_row=len(items) + 1))
    assert len(body) == len(items)
    for cells, item in zip(body, items, strict=True):
        for cell, column in zip(cells, view.columns, strict=True):
            assert _xlsx_matches(cell.value, item[column.key], column), (column.key, cell.value)
            if isinstance(cell.value, str):
                assert cell.data_type == "s"
                assert bool(cell.quotePrefix) == cell.value.startswith(FORMULA_TRIGGERS)
    facts = {row[0].value: row[1].value for row in book["Parameters"].iter_rows()}
    assert facts["Rows"] == len(items)
    for name, value in view.recorded.items():
        assert facts[parameter_label(name)] == value


def _check_pdf(data: bytes, view: View, items: list[dict[str, Any]], tmp_path: Path) -> str:
    assert data.startswith(b"%PDF-")
    text = _pdf_text(data, tmp_path)
    for item in items:
        cells = [_shown(item[column.key], column) for column in view.columns]
        assert " ".join(cell for cell in cells if cell) in text
    assert "page 1 of " in text
    return text


# --- the exports ---------------------------------------------------------------------------


@pytest.mark.parametrize("file_format", ["csv", "xlsx", "pdf"])
@pytest.mark.parametrize("view", VIEWS, ids=lambda view: view.name)
def test_export_equals_the_view_and_is_recorded(
    client: TestClient,
    store: sa.Engine,
    spans: InMemorySpanExporter,
    tmp_path: Path,
    view: View,
    file_format: str,
) -> None:
    body = _get(client, view.json_path, **view.params)
    items = view.items(body)
    assert items, "the generated warehouse should give every view some rows"
    response = client.get(view.export_path, params={**view.params, "format": file_format})
    assert response.status_code == 200, response.text
    data = response.content

    as_of = body["as_of"] if "as_of" in body else dt.datetime.now(dt.UTC).date().isoformat()
    assert response.headers["content-disposition"] == (
        f'attachment; filename="{view.domain}-{view.name}-{as_of}.{file_format}"'
    )
    if file_format == "csv":
        _check_csv(data, view, items)
    elif file_format == "xlsx":
        _check_xlsx(data, view, items, tmp_path)
    else:
        text = _check_pdf(data, view, items, tmp_path)
        assert f"As of {as_of}" in text

    trace_id = response.headers["x-trace-id"]
    with store.connect() as connection:
        record = connection.execute(sa.select(export_records)).one()
        audited = connection.execute(
            sa.select(audit_log).where(audit_log.c.action == "export")
        ).one()
    assert record.sha256 == hashlib.sha256(data).hexdigest()
    assert record.bytes == len(data)
    assert record.rows == len(items)
    assert (record.domain, record.view, record.format) == (view.domain, view.name, file_format)
    assert record.actor == "anonymous"
    assert record.parameters == view.recorded
    assert record.trace_id == trace_id
    assert record.duration_ms > 0
    assert (audited.outcome, audited.status_code) == ("ok", 200)
    assert audited.resource == view.export_path
    assert audited.parameters == {
        k: str(v) for k, v in {**view.params, "format": file_format}.items()
    }
    assert record.sha256 in audited.detail
    assert audited.trace_id == trace_id

    (span,) = [s for s in spans.get_finished_spans() if s.name == "otelbi.export"]
    assert format(span.context.trace_id, "032x") == trace_id
    assert dict(span.attributes or {}) == {
        "otelbi.export.domain": view.domain,
        "otelbi.export.view": view.name,
        "otelbi.export.format": file_format,
        "otelbi.export.rows": len(items),
        "otelbi.export.bytes": len(data),
        "otelbi.actor": "anonymous",
    }
    service_span = next(
        s
        for s in spans.get_finished_spans()
        if s.kind is SpanKind.SERVER
        and s.context.trace_id == span.context.trace_id
        and s.resource.attributes["service.name"] == f"{view.domain}-service"
    )
    assert span.parent is not None
    assert span.parent.span_id == service_span.context.span_id


def test_formula_named_items_are_neutralised_in_every_format(
    client: TestClient, store: sa.Engine, tmp_path: Path
) -> None:
    path = "/api/wwi/export/business-events"
    csv_text = client.get(path, params={"format": "csv"}).content.decode("utf-8-sig")
    names = [row[3] for row in csv.reader(io.StringIO(csv_text, newline=""))]
    for name in FORMULA_ITEMS:
        assert f"'{name}" in names
    assert "Prodüct ≤ “quoted”, with comma" in names

    xlsx = tmp_path / "events.xlsx"
    xlsx.write_bytes(client.get(path, params={"format": "xlsx"}).content)
    cells = {cell.value: cell for cell in openpyxl.load_workbook(xlsx).worksheets[0]["D"][1:]}
    for name in FORMULA_ITEMS:
        assert cells[name].data_type == "s"
        assert cells[name].quotePrefix

    text = _pdf_text(client.get(path, params={"format": "pdf"}).content, tmp_path)
    for name in FORMULA_ITEMS:
        assert name in text


@pytest.mark.parametrize(
    ("params", "named"),
    [
        ({"format": "docx"}, "format"),
        ({"format": "CSV"}, "format"),
        ({}, "format"),
        ({"format": "csv", "top_n": 0}, "top_n"),
        ({"format": "csv", "days_back": 3651}, "days_back"),
    ],
)
def test_bad_formats_and_parameters_are_a_422_and_audited(
    client: TestClient, store: sa.Engine, params: dict[str, Any], named: str
) -> None:
    response = client.get("/api/aw/export/rep-scores", params=params)
    assert response.status_code == 422
    assert response.json()["error"] == "invalid_input"
    assert named in response.json()["detail"]
    with store.connect() as connection:
        assert (
            connection.execute(sa.select(sa.func.count()).select_from(export_records)).scalar() == 0
        )
        audited = connection.execute(sa.select(audit_log).order_by(audit_log.c.id.desc())).first()
    assert audited is not None
    assert (audited.action, audited.outcome, audited.status_code) == ("export", "error", 422)


def test_a_record_that_cannot_be_written_aborts_the_download(
    client: TestClient, store: sa.Engine
) -> None:
    with store.begin() as connection:
        connection.execute(
            sa.text(
                "CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS "
                "$$ BEGIN RAISE EXCEPTION 'export records refused'; END $$"
            )
        )
        connection.execute(
            sa.text(
                "CREATE TRIGGER refuse BEFORE INSERT ON export_records "
                "FOR EACH ROW EXECUTE FUNCTION refuse()"
            )
        )
    # The service drops the connection after the last chunk but one; the gateway passes the
    # break on (TestClient raises what the gateway's stream raised).
    with pytest.raises(httpx.RemoteProtocolError, match="export records refused"):
        client.get("/api/aw/export/sales-history", params={"format": "csv", "days_back": 3650})
    with store.connect() as connection:
        audited = connection.execute(
            sa.select(audit_log).where(audit_log.c.action == "export")
        ).one()
    assert audited.outcome == "error"
    assert "export records refused" in audited.detail
