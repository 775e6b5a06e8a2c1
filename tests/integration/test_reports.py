"""Full reports through the all-in-one app on a generated warehouse and PostgreSQL: both files
written under REPORT_OUTPUT_DIR/YYYY/MM, read back (openpyxl and the zip's chart parts for
XLSX, pdftotext for PDF) and compared with the JSON views; listed and downloaded by id only,
checked against their SHA-256; atomic (a reader never sees part of a file, a failure leaves
nothing); and written weekly by the gateway's job."""

from __future__ import annotations

import datetime as dt
import errno
import hashlib
import io
import os
import re
import shutil
import subprocess
import threading
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, BinaryIO

import openpyxl
import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from otelbi.domains import Domain
from otelbi.gateway import reports as gateway_reports
from otelbi.gateway.report_job import GATEWAY_JOBS, WEEKLY_REPORT_JOB_ID
from otelbi.service_layout import build_app
from otelbi.settings import RunMode, Settings
from otelbi.store.tables import audit_log, report_records
from otelbi.warehouse.engines import duckdb_path
from tests.integration.job_runs import run_job_to_end
from tests.peers.oidc_provider import API_AUDIENCE, CLIENT_ID, OidcProvider

SECTIONS = {
    "Sales history": "AdventureWorks sales history by week",
    "Forecast": "AdventureWorks daily internet-revenue forecast",
    "Rep scores": "AdventureWorks sales-rep scores",
    "Product demand": "AdventureWorks product demand",
    "Reorder recommendations": "WideWorldImporters reorder recommendations",
    "Supplier scores": "WideWorldImporters supplier scores",
    "Business events": "WideWorldImporters stock-level events",
}
CHARTS = {
    "Sales history": "lineChart",
    "Forecast": "lineChart",
    "Rep scores": "barChart",
    "Product demand": "barChart",
    "Supplier scores": "barChart",
}
DAYS_BACK = 365


@pytest.fixture
def spans() -> InMemorySpanExporter:
    return InMemorySpanExporter()


@pytest.fixture
def share(tmp_path: Path) -> Path:
    return tmp_path / "share"


def _client(monkeypatch: pytest.MonkeyPatch, data_dir: Path, share: Path, spans: Any) -> TestClient:
    monkeypatch.setenv("DATA_DIR", str(data_dir))
    monkeypatch.setenv("REPORT_OUTPUT_DIR", str(share))
    app = build_app(
        RunMode.ALL_IN_ONE, Settings(env_file=None), span_processors=(SimpleSpanProcessor(spans),)
    )
    return TestClient(app)


@pytest.fixture
def client(
    monkeypatch: pytest.MonkeyPatch,
    postgres_url: str,
    generated_warehouses: Path,
    share: Path,
    spans: InMemorySpanExporter,
) -> Iterator[TestClient]:
    monkeypatch.setenv("POSTGRES_URL", postgres_url)
    with _client(monkeypatch, generated_warehouses, share, spans) as test_client:
        yield test_client


def _store(client: TestClient) -> sa.Engine:
    engine: sa.Engine = client.app.state.gateway.store  # type: ignore[attr-defined]
    return engine


def _generate(client: TestClient, **body: Any) -> dict[str, Any]:
    response = client.post("/api/reports/generate", json=body or None)
    assert response.status_code == 201, response.text
    answer: dict[str, Any] = response.json()
    assert response.headers["location"] == f"/api/reports/{answer['report_id']}"
    return answer


def _files_in(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.rglob("*") if p.is_file()) if directory.exists() else []


def _view(client: TestClient, path: str, **params: Any) -> Any:
    response = client.get(path, params=params)
    assert response.status_code == 200, response.text
    return response.json()


def _pdf_pages(path: Path) -> list[str]:
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
    return text.split("\f")[:-1]


def _pdf_page_count(path: Path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True)
    match = re.search(r"^Pages:\s+(\d+)$", info.stdout, re.MULTILINE)
    assert match is not None
    return int(match.group(1))


def _sheet_rows(workbook: Any, name: str) -> list[tuple[Any, ...]]:
    rows = list(workbook[name].iter_rows(values_only=True))
    return [row for row in rows if any(cell is not None for cell in row)]


def _cover_kpis(workbook: Any) -> dict[tuple[str, str], dict[str, Any]]:
    rows = _sheet_rows(workbook, "Cover")
    header_at = next(i for i, row in enumerate(rows) if row[:2] == ("Warehouse", "Scope"))
    header = rows[header_at]
    kpis = {}
    for row in rows[header_at + 1 :]:
        if row[0] not in ("AdventureWorks", "WideWorldImporters"):
            break
        kpis[(row[0], row[1])] = dict(zip(header, row, strict=False))
    return kpis


def _axis_titles(chart_xml: str) -> list[str]:
    """Return the titles of a chart's axes (category first), from its XML."""
    axes = re.findall(r"<c:(?:catAx|dateAx|valAx)>.*?</c:(?:catAx|dateAx|valAx)>", chart_xml)
    return ["".join(re.findall(r"<a:t>([^<]*)</a:t>", axis)) for axis in axes]


def _section_pages(pages: list[str], title: str) -> str:
    """Return the text of the section titled `title`, up to the next section."""
    start = next(n for n, page in enumerate(pages) if page.lstrip().startswith(title))
    end = next(
        (
            n
            for n in range(start + 1, len(pages))
            if any(pages[n].lstrip().startswith(t) for t in SECTIONS.values())
        ),
        len(pages),
    )
    return "\n".join(pages[start:end])


def _money(value: float) -> str:
    return f"-${-value:,.2f}" if value < 0 else f"${value:,.2f}"


def _assert_summary(
    workbook: Any,
    first_page: str,
    aw_kpis: dict[str, Any],
    wwi_kpis: dict[str, Any],
    recommendations: dict[str, Any],
    suppliers: dict[str, Any],
    forecast: dict[str, Any],
) -> None:
    """Page 1 of the PDF and the XLSX's Cover hold the figures a reader acts on, as the
    views answer them."""
    cover = _sheet_rows(workbook, "Cover")
    cover_text = " ".join(str(cell) for row in cover for cell in row if cell is not None)
    for kpis in (aw_kpis, wwi_kpis):
        assert _money(kpis["total"]["revenue"]) in first_page
        assert f"{kpis['change_pct']['revenue']:,.2f} %" in first_page
    critical = sum(1 for i in recommendations["items"] if i["urgency"] == "critical")
    high = sum(1 for i in recommendations["items"] if i["urgency"] == "high")
    assert re.search(rf"Critical +{critical} ", first_page)
    assert re.search(rf"High +{high} ", first_page)
    stock = {row[0]: row[1] for row in cover if row[0] in ("Critical", "High")}
    assert stock == {"Critical": critical, "High": high}
    worst = min(suppliers["suppliers"], key=lambda s: s["score"])["supplier"]
    assert worst in first_page
    assert worst in cover_text
    month = forecast["points"][:30]
    assert _money(sum(p["forecast"] for p in month)) in first_page
    assert _money(sum(p["upper"] for p in month)) in first_page
    row = next(row for row in cover if row[0] == dt.datetime.fromisoformat(month[0]["date"]))
    assert row[2:5] == pytest.approx(
        tuple(sum(p[key] for p in month) for key in ("forecast", "lower", "upper"))
    )
    if forecast["backtest"]["note"]:
        assert forecast["backtest"]["note"] in cover_text


def test_a_report_holds_every_view_in_both_files(
    client: TestClient, share: Path, spans: InMemorySpanExporter, tmp_path: Path
) -> None:
    run_job_to_end(client, "wwi", "wwi.hourly.events")  # so the events section has rows
    answer = _generate(client, title="Quarterly review", days_back=DAYS_BACK)
    report_id = answer["report_id"]
    assert re.fullmatch(r"\d{8}T\d{6}Z-[0-9a-f]{8}", report_id)
    created = dt.datetime.fromisoformat(answer["created_at"])
    month = share / f"{created:%Y}" / f"{created:%m}"
    xlsx, pdf = Path(answer["xlsx_path"]), Path(answer["pdf_path"])
    assert (xlsx, pdf) == (
        month / f"otelbi-report-{report_id}.xlsx",
        month / f"otelbi-report-{report_id}.pdf",
    )
    assert _files_in(share) == sorted([xlsx.name, pdf.name])  # no temporary file left
    for kind, path in (("xlsx", xlsx), ("pdf", pdf)):
        data = path.read_bytes()
        assert answer["bytes"][kind] == len(data)
        assert answer["sha256"][kind] == hashlib.sha256(data).hexdigest()
    assert (answer["title"], answer["days_back"], answer["created_by"]) == (
        "Quarterly review",
        DAYS_BACK,
        "anonymous",
    )

    aw_kpis = _view(client, "/api/aw/sales/kpis", days_back=DAYS_BACK)
    wwi_kpis = _view(client, "/api/wwi/sales/kpis", days_back=DAYS_BACK)
    history = _view(client, "/api/aw/sales/history", days_back=DAYS_BACK, grain="week")
    forecast = _view(client, "/api/aw/sales/forecast")
    reps = _view(client, "/api/aw/reps/scores", top_n=25, days_back=DAYS_BACK)
    products = _view(client, "/api/aw/products/demand", top_n=25, days_back=DAYS_BACK)
    recommendations = _view(client, "/api/wwi/stock/recommendations")
    suppliers = _view(client, "/api/wwi/suppliers/scores", top_n=25)
    events = _view(client, "/api/wwi/events", limit=100)["items"]
    assert events, "the events job opened no event to report"

    workbook = openpyxl.load_workbook(xlsx)
    assert workbook.sheetnames == ["Cover", *SECTIONS]
    cover = _sheet_rows(workbook, "Cover")
    assert cover[0][0] == "Quarterly review"
    facts = {row[0]: row[1] for row in cover[1:7]}
    assert facts["Report id"] == report_id
    assert facts["Days of history"] == DAYS_BACK
    assert facts["AdventureWorks as of"].date().isoformat() == aw_kpis["as_of"]
    kpis = _cover_kpis(workbook)
    aw_total = kpis[("AdventureWorks", "Total")]
    assert aw_total["Revenue"] == pytest.approx(aw_kpis["total"]["revenue"])
    assert aw_total["Orders"] == aw_kpis["total"]["orders"]
    assert aw_total["Gross margin %"] == pytest.approx(aw_kpis["total"]["gross_margin_pct"] / 100)
    assert aw_total["Revenue a year earlier"] == pytest.approx(aw_kpis["previous"]["revenue"])
    assert kpis[("AdventureWorks", "Internet")]["Revenue"] == pytest.approx(
        aw_kpis["channels"]["internet"]["total"]["revenue"]
    )
    assert kpis[("WideWorldImporters", "Total")]["Units"] == wwi_kpis["total"]["units"]
    contents = {row[0]: row for row in cover if row[0] in SECTIONS}
    assert {name: row[1] for name, row in contents.items()} == SECTIONS
    assert workbook["Cover"]["A1"].hyperlink is None  # the title is text, not a link
    for sheet in workbook.worksheets:  # the Cover too prints landscape, one page wide
        assert sheet.page_setup.orientation == "landscape", sheet.title
        assert sheet.sheet_properties.pageSetUpPr.fitToPage, sheet.title
    assert contents["Sales history"][3] == len(history["points"])

    sheet = _sheet_rows(workbook, "Sales history")
    assert sheet[0][:4] == ("Date", "Internet revenue", "Reseller revenue", "Revenue")
    assert len(sheet) - 1 == len(history["points"])
    assert sheet[1][0].date().isoformat() == history["points"][0]["date"]
    assert sum(row[3] for row in sheet[1:]) == pytest.approx(
        sum(p["revenue"] for p in history["points"])
    )
    sheet = _sheet_rows(workbook, "Forecast")
    assert len(sheet) - 1 == len(forecast["points"])
    assert sheet[1][1:4] == pytest.approx(
        tuple(forecast["points"][0][key] for key in ("forecast", "lower", "upper"))
    )
    sheet = _sheet_rows(workbook, "Rep scores")
    assert [(row[0], row[1]) for row in sheet[1:]] == [(r["rank"], r["name"]) for r in reps["reps"]]
    assert sheet[1][10] == pytest.approx(reps["reps"][0]["score"])
    assert sheet[1][8] == pytest.approx(reps["reps"][0]["attainment_pct"] / 100)
    sheet = _sheet_rows(workbook, "Product demand")
    assert [row[2] for row in sheet[1:]] == [
        p["product_alternate_key"] for p in products["products"]
    ]
    sheet = _sheet_rows(workbook, "Reorder recommendations")
    assert [row[0] for row in sheet[1:]] == [
        item["wwi_stock_item_id"] for item in recommendations["items"]
    ]
    sheet = _sheet_rows(workbook, "Supplier scores")
    assert [(row[0], row[1]) for row in sheet[1:]] == [
        (s["rank"], s["supplier"]) for s in suppliers["suppliers"]
    ]
    sheet = _sheet_rows(workbook, "Business events")
    assert [row[0] for row in sheet[1:]] == [event["id"] for event in events]

    for name in SECTIONS:
        assert len(workbook[name]._charts) == (1 if name in CHARTS else 0), name
    with zipfile.ZipFile(xlsx) as archive:
        charts = [archive.read(n).decode() for n in archive.namelist() if "xl/charts/chart" in n]
    kinds = sorted(re.search(r"<c:(lineChart|barChart)>", chart).group(1) for chart in charts)  # type: ignore[union-attr]
    assert kinds == sorted(CHARTS.values())
    forecast_chart = next(chart for chart in charts if "Forecast!$B$1" in chart)
    assert forecast_chart.count("<c:ser>") == 3  # forecast, lower, upper
    assert '<a:prstDash val="dash"/>' in forecast_chart
    history_chart = next(chart for chart in charts if "'Sales history'!$D$1" in chart)
    assert f"'Sales history'!$D$2:$D${len(history['points']) + 1}" in history_chart
    # revenue, internet and reseller on one chart, told apart by a legend; both axes titled
    assert history_chart.count("<c:ser>") == 3
    assert "<c:legend>" in history_chart
    assert _axis_titles(history_chart) == ["Date", "Amount (US$)"]
    assert 'formatCode="mmm yyyy"' in history_chart
    rep_chart = next(chart for chart in charts if "'Rep scores'!$K$1" in chart)
    assert "<c:legend>" not in rep_chart  # one series
    assert _axis_titles(rep_chart) == ["Sales rep", "Score"]

    pages = _pdf_pages(pdf)
    total = _pdf_page_count(pdf)
    assert len(pages) == total
    for number, page in enumerate(pages, start=1):
        assert f"Page {number} of {total}" in page
    assert "Quarterly review" in pages[0]
    assert "sales KPIs" in pages[0]
    assert f"{aw_kpis['total']['orders']:,}" in pages[0]
    _assert_summary(workbook, pages[0], aw_kpis, wwi_kpis, recommendations, suppliers, forecast)
    assert total < 20  # 33 when the PDF listed every reorder item
    # The pages as images, kept with the test's files (pytest keeps its last three runs' tmp
    # directories) for a person to look at: pages/page-01.png …
    images = tmp_path / "pages"
    images.mkdir()
    subprocess.run(["pdftoppm", "-r", "50", "-png", str(pdf), str(images / "page")], check=True)
    assert len(list(images.glob("page-*.png"))) == total
    reorder_pages = _section_pages(pages, SECTIONS["Reorder recommendations"])
    actionable = [i for i in recommendations["items"] if i["urgency"] in ("critical", "high")]
    listed_ids = [
        int(m.group(1)) for m in re.finditer(r"^ {0,8}(\d+) \S", reorder_pages, re.MULTILINE)
    ]
    assert listed_ids == [item["wwi_stock_item_id"] for item in actionable]
    rest = len(recommendations["items"]) - len(actionable)
    assert rest > 0
    assert f"{rest:,} more items" in reorder_pages
    history_page = _section_pages(pages, SECTIONS["Sales history"])
    for text in ("Internet revenue", "Reseller revenue", "Amount (US$)", "Jan 2014"):
        assert text in history_page, text  # legend, value axis with its unit, readable dates
    assert pages[1].lstrip().startswith("Contents")
    for title in SECTIONS.values():
        line = next(line for line in pages[1].splitlines() if title in line)
        section_page = int(line.split()[-1])
        assert pages[section_page - 1].lstrip().startswith(title), title
    rep_page = next(page for page in pages if page.lstrip().startswith(SECTIONS["Rep scores"]))
    assert reps["reps"][0]["name"] in rep_page
    assert "Sales rep" in rep_page  # the bar chart's axis titles

    listed = client.get("/api/reports").json()["items"]
    assert [item["report_id"] for item in listed] == [report_id]
    assert listed[0] == answer
    assert client.get(f"/api/reports/{report_id}").json() == answer
    for kind, path in (("xlsx", xlsx), ("pdf", pdf)):
        download = client.get(f"/api/reports/{report_id}/{kind}")
        assert download.status_code == 200
        assert download.content == path.read_bytes()
        assert download.headers["content-disposition"] == (
            f'attachment; filename="otelbi-report-{report_id}.{kind}"'
        )
    assert download.headers["content-type"] == "application/pdf"

    with _store(client).connect() as connection:
        record = connection.execute(sa.select(report_records)).one()
        rows = connection.execute(
            sa.select(audit_log).where(audit_log.c.resource == report_id).order_by(audit_log.c.id)
        ).all()
    assert (record.id, record.xlsx_sha256, record.execution_id) == (
        report_id,
        answer["sha256"]["xlsx"],
        None,
    )
    assert [(r.domain, r.action, r.outcome, r.status_code) for r in rows] == [
        ("gateway", "report.generate", "ok", 201),
        ("gateway", "report.download", "ok", 200),
        ("gateway", "report.download", "ok", 200),
    ]
    assert answer["sha256"]["pdf"] in rows[0].detail
    (span,) = [s for s in spans.get_finished_spans() if s.name == "otelbi.report"]
    assert span.attributes is not None
    assert span.attributes["otelbi.report.id"] == report_id
    assert span.attributes["otelbi.report.views"] == 9
    assert span.attributes["otelbi.report.bytes"] == sum(answer["bytes"].values())
    assert format(span.context.trace_id, "032x") == answer["trace_id"] == rows[0].trace_id
    view_calls = [
        s
        for s in spans.get_finished_spans()
        if s.parent and s.parent.span_id == span.context.span_id
    ]
    assert len(view_calls) >= 9  # the gateway's HTTP calls to the services, inside the report


def test_defaults_and_bad_parameters(client: TestClient) -> None:
    answer = _generate(client)
    assert (answer["title"], answer["days_back"]) == ("OTel BI report", 365)
    for body in (
        {"days_back": 0},
        {"days_back": 3651},
        {"title": ""},
        {"title": "x" * 201},
        {"title": "line\nbreak"},
        {"colour": "red"},
    ):
        response = client.post("/api/reports/generate", json=body)
        assert response.status_code == 422, body
        assert response.json()["error"] == "invalid_input"


def test_unknown_and_path_looking_ids_never_reach_the_file_system(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[str] = []
    monkeypatch.setattr(
        gateway_reports, "_read_under_output_dir", lambda *args, **kw: opened.append("x")
    )
    unknown = client.get("/api/reports/20200101T000000Z-deadbeef/xlsx")
    assert unknown.status_code == 404
    assert unknown.json()["error"] == "not_found"
    assert client.get("/api/reports/20200101T000000Z-deadbeef").status_code == 404
    for path in (
        "/api/reports/..%2F..%2F..%2Fetc%2Fpasswd/xlsx",
        "/api/reports/%2Fetc%2Fpasswd/pdf",
        "/api/reports/20200101T000000Z-deadbeef%2F..%2F..%2Fx/pdf",
        "/api/reports/20200101T000000Z-deadbeef/exe",
    ):
        response = client.get(path)
        assert response.status_code in (404, 422), (path, response.status_code)
        assert "root:" not in response.text
    assert opened == []


def test_a_changed_moved_or_missing_file_is_not_served(client: TestClient, tmp_path: Path) -> None:
    answer = _generate(client)
    report_id = answer["report_id"]
    xlsx, pdf = Path(answer["xlsx_path"]), Path(answer["pdf_path"])

    with pdf.open("ab") as file:
        file.write(b"% appended\n")
    changed = client.get(f"/api/reports/{report_id}/pdf")
    assert changed.status_code == 409
    assert changed.json()["error"] == "conflict"
    assert str(pdf) in changed.json()["detail"]
    pdf.write_bytes(pdf.read_bytes()[: answer["bytes"]["pdf"] - 4] + b"XXXX")  # same size
    assert client.get(f"/api/reports/{report_id}/pdf").status_code == 409

    outside = tmp_path / "elsewhere.xlsx"
    shutil.copyfile(xlsx, outside)
    xlsx.unlink()
    xlsx.symlink_to(outside)  # identical bytes, but not under REPORT_OUTPUT_DIR
    moved = client.get(f"/api/reports/{report_id}/xlsx")
    assert moved.status_code == 404
    assert "not under REPORT_OUTPUT_DIR" in moved.json()["detail"]

    xlsx.unlink()
    gone = client.get(f"/api/reports/{report_id}/xlsx")
    assert gone.status_code == 404
    assert "no longer on the share" in gone.json()["detail"]
    with _store(client).connect() as connection:
        outcomes = connection.execute(
            sa.select(audit_log.c.status_code).where(audit_log.c.action == "report.download")
        ).scalars()
        assert sorted(outcomes) == [404, 404, 409, 409]


def test_report_records_are_append_only(client: TestClient) -> None:
    _generate(client)
    for change in ("UPDATE report_records SET pdf_sha256 = 'x'", "DELETE FROM report_records"):
        with (
            pytest.raises(sa.exc.DBAPIError, match="append-only"),
            _store(client).begin() as connection,
        ):
            connection.execute(sa.text(change))


def _assert_refused(client: TestClient, directory: Path, share: Path) -> None:
    before = _files_in(share)
    response = client.post("/api/reports/generate")
    assert response.status_code == 503, response.text
    body = response.json()
    assert body["error"] == "unavailable"
    assert "REPORT_OUTPUT_DIR" in body["detail"]
    assert str(directory) in body["detail"]
    assert _files_in(share) == before
    assert client.get("/api/reports").json()["items"] == []
    with _store(client).connect() as connection:
        row = connection.execute(
            sa.select(audit_log).where(audit_log.c.action == "report.generate")
        ).one()
    assert (row.outcome, row.status_code) == ("error", 503)


def test_an_output_dir_under_a_file_is_503_naming_it(
    monkeypatch: pytest.MonkeyPatch,
    postgres_url: str,
    generated_warehouses: Path,
    tmp_path: Path,
    spans: InMemorySpanExporter,
) -> None:
    monkeypatch.setenv("POSTGRES_URL", postgres_url)
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("a file where the share should be")
    with _client(monkeypatch, generated_warehouses, blocker / "reports", spans) as client:
        _assert_refused(client, blocker / "reports", tmp_path)


def _mount_tmpfs(directory: Path, options: str) -> bool:
    directory.mkdir(parents=True, exist_ok=True)
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(directory)],
        capture_output=True,
        check=False,
    )
    return mounted.returncode == 0


def _second_file_fills_the_share(monkeypatch: pytest.MonkeyPatch) -> None:
    """Where tmpfs cannot be mounted: the XLSX is written, the PDF's write gets ENOSPC."""
    real = gateway_reports.atomic_write
    files: list[Path] = []

    @contextmanager
    def filling_up(path: Path) -> Iterator[BinaryIO]:
        with real(path) as file:
            files.append(path)
            yield file
            if len(files) % 2 == 0:
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(gateway_reports, "atomic_write", filling_up)


@pytest.mark.parametrize("problem", ["full", "read-only"])
def test_a_full_or_read_only_share_is_503_and_leaves_nothing(
    monkeypatch: pytest.MonkeyPatch,
    postgres_url: str,
    generated_warehouses: Path,
    tmp_path: Path,
    spans: InMemorySpanExporter,
    problem: str,
) -> None:
    monkeypatch.setenv("POSTGRES_URL", postgres_url)
    share = tmp_path / "share"
    # A real tmpfs: 96 kB holds the XLSX but not the PDF after it, so the XLSX must go again.
    mounted = _mount_tmpfs(share, "size=96k" if problem == "full" else "ro,size=96k")
    if not mounted:
        if problem == "read-only":
            pytest.skip("mounting a read-only tmpfs needs root")
        _second_file_fills_the_share(monkeypatch)
    try:
        with _client(monkeypatch, generated_warehouses, share, spans) as client:
            created = dt.datetime.now(dt.UTC)
            _assert_refused(client, share / f"{created:%Y}" / f"{created:%m}", share)
            if problem == "full":
                detail = client.post("/api/reports/generate").json()["detail"]
                assert "No space left on device (ENOSPC)" in detail
            else:
                detail = client.post("/api/reports/generate").json()["detail"]
                assert "Read-only file system (EROFS)" in detail
    finally:
        if mounted:
            subprocess.run(["umount", str(share)], check=True)


def test_a_reader_polling_the_share_only_ever_sees_complete_files(
    client: TestClient, share: Path
) -> None:
    seen: dict[str, int] = {}
    temporary: set[str] = set()
    problems: list[str] = []
    stop = threading.Event()

    def poll() -> None:
        while not stop.is_set():
            for path in share.rglob("*"):
                if path.name.startswith("."):
                    temporary.add(path.name)
                    continue
                if not path.is_file():
                    continue
                try:
                    data = path.read_bytes()
                except FileNotFoundError:
                    continue
                seen[path.name] = seen.get(path.name, 0) + 1
                if path.suffix == ".pdf" and not data.rstrip().endswith(b"%%EOF"):
                    problems.append(f"{path.name}: {len(data)} bytes, no %%EOF")
                if path.suffix == ".xlsx":
                    try:
                        openpyxl.load_workbook(io.BytesIO(data), read_only=True).close()
                    except Exception as error:
                        problems.append(f"{path.name}: {error!r}")

    reader = threading.Thread(target=poll)
    reader.start()
    try:
        answers = [_generate(client) for _ in range(3)]
    finally:
        stop.set()
        reader.join()
    assert problems == []
    written = {Path(a[f"{kind}_path"]).name for a in answers for kind in ("xlsx", "pdf")}
    assert set(seen) <= written
    assert _files_in(share) == sorted(written)


def test_a_view_that_fails_fails_the_report(
    monkeypatch: pytest.MonkeyPatch,
    postgres_url: str,
    generated_warehouses: Path,
    tmp_path: Path,
    share: Path,
    spans: InMemorySpanExporter,
) -> None:
    monkeypatch.setenv("POSTGRES_URL", postgres_url)
    only_aw = tmp_path / "only-aw"
    duckdb_path(Domain.AW, only_aw).parent.mkdir(parents=True)
    shutil.copyfile(duckdb_path(Domain.AW, generated_warehouses), duckdb_path(Domain.AW, only_aw))
    with _client(monkeypatch, only_aw, share, spans) as client:
        response = client.post("/api/reports/generate")
        assert response.status_code == 503
        detail = response.json()["detail"]
        assert "WideWorldImporters sales KPIs (wwi-service answered 503" in detail
        assert "WideWorldImporters supplier scores" in detail
        assert "AdventureWorks" not in detail
        assert _files_in(share) == []
        assert client.get("/api/reports").json()["items"] == []


def test_the_weekly_job_writes_a_report_linked_to_its_run(client: TestClient, share: Path) -> None:
    (job,) = GATEWAY_JOBS
    assert job.job_id == WEEKLY_REPORT_JOB_ID
    sunday = dt.datetime(2026, 1, 25, 12, 0, tzinfo=dt.UTC)
    assert job.trigger().get_next_fire_time(None, sunday) == dt.datetime(
        2026, 1, 26, 5, 0, tzinfo=dt.UTC
    )  # Monday 05:00 UTC
    execution = run_job_to_end(client, "gateway", WEEKLY_REPORT_JOB_ID)
    assert execution["status"] == "succeeded", execution
    assert execution["service"] == "api-gateway"
    assert execution["rows_written"] == 1
    (report,) = client.get("/api/reports", params={"execution_id": execution["id"]}).json()["items"]
    assert report["report_id"] == execution["details"]["report_id"]
    assert report["title"] == "OTel BI weekly report"
    assert report["created_by"] == "anonymous"  # who pressed "run now"
    assert report["execution_id"] == execution["id"]
    assert Path(report["pdf_path"]).is_file()
    assert Path(report["pdf_path"]).is_relative_to(share)
    assert [row["job_id"] for row in client.get("/api/jobs/gateway").json()["items"]] == [
        WEEKLY_REPORT_JOB_ID
    ]
    audit = client.get("/api/audit", params={"domain": "gateway"}).json()["items"]
    assert [row["action"] for row in audit][:2] == ["job.run", "report.generate"]
    assert audit[0]["trace_id"] == execution["trace_id"] == report["trace_id"]
    unknown = client.post("/api/jobs/gateway/reports.daily/run")
    assert unknown.status_code == 404
    assert "reports.weekly" in unknown.json()["detail"]


def test_generating_needs_the_reports_scope_downloading_only_a_login(
    monkeypatch: pytest.MonkeyPatch,
    oidc_provider: OidcProvider,
    postgres_url: str,
    generated_warehouses: Path,
    share: Path,
    spans: InMemorySpanExporter,
) -> None:
    monkeypatch.setenv("POSTGRES_URL", postgres_url)
    monkeypatch.setenv("REQUIRE_FRONTEND_AUTH", "true")
    monkeypatch.setenv("FRONTEND_JWT_ISSUER_URL", oidc_provider.issuer)
    monkeypatch.setenv("FRONTEND_JWT_AUDIENCE", API_AUDIENCE)
    monkeypatch.setenv("FRONTEND_REQUIRED_SCOPES", "bi.read")
    monkeypatch.setenv("REPORTS_GENERATE_SCOPE", "reports.generate")
    reader = {"authorization": f"Bearer {oidc_provider.token('bi.read')}"}
    writer = {"authorization": f"Bearer {oidc_provider.token('bi.read reports.generate')}"}
    with _client(monkeypatch, generated_warehouses, share, spans) as client:
        assert client.post("/api/reports/generate").status_code == 401
        refused = client.post("/api/reports/generate", headers=reader)
        assert refused.status_code == 403
        assert "reports.generate" in refused.json()["detail"]
        assert _files_in(share) == []
        generated = client.post("/api/reports/generate", headers=writer)
        assert generated.status_code == 201, generated.text
        report = generated.json()
        assert report["created_by"] == CLIENT_ID
        assert client.get("/api/reports").status_code == 401
        assert client.get("/api/reports", headers=reader).json()["items"] == [report]
        pdf = client.get(f"/api/reports/{report['report_id']}/pdf", headers=reader)
        assert pdf.content == Path(report["pdf_path"]).read_bytes()
