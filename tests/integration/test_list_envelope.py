"""Every list the API answers is one envelope: `items` plus paging (docs/operations.md,
"Lists and paging"). Offset-paged lists walk to the end by `offset` with a correct `total`;
the audit log walks by `next_before_id`; no operation answers a bare JSON array."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from otelbi.gateway.app import create_gateway_app
from otelbi.jobs import executions
from otelbi.service_layout import build_app
from otelbi.settings import RunMode, Settings
from otelbi.store import audit
from otelbi.store.engine import create_store_engine
from otelbi.store.report_records import ReportFile, ReportRecord, append_report_record
from otelbi.store.tables import wwi_business_events
from otelbi.telemetry import disabled_telemetry

LISTS = {
    ("/api/audit", "CursorPage_AuditRow_"),
    ("/api/jobs/gateway", "Page_JobExecution_"),
    ("/api/jobs/{domain}", "Page_JobExecution_"),
    ("/api/aw/jobs", "Page_JobSchedule_"),
    ("/api/wwi/jobs", "Page_JobSchedule_"),
    ("/api/reports", "Page_ReportOut_"),
    ("/api/wwi/events", "Page_BusinessEvent_"),
    ("/api/wwi/scenarios", "Page_ScenarioHeader_"),
    ("/api/aw/records/forecasts", "Page_StoredForecast_"),
    ("/api/wwi/records/supplier-scores", "Page_SupplierScoreRecord_"),
}
START = dt.datetime(2026, 1, 5, 6, 0, tzinfo=dt.UTC)


def _ok_schema(operation: dict[str, Any]) -> dict[str, Any]:
    content: dict[str, Any] = operation["responses"]["200"].get("content", {})
    return content.get("application/json", {}).get("schema", {})


def test_no_operation_answers_a_bare_array() -> None:
    document = create_gateway_app(
        Settings(env_file=None), disabled_telemetry("api-gateway")
    ).openapi()
    gets = {path: item["get"] for path, item in document["paths"].items() if "get" in item}
    bare = sorted(
        path for path, operation in gets.items() if _ok_schema(operation).get("type") == "array"
    )
    assert bare == []
    answered = {
        (path, _ok_schema(gets[path]).get("$ref", "").rsplit("/", 1)[-1]) for path, _ in LISTS
    }
    assert answered == LISTS
    schemas = document["components"]["schemas"]
    page = schemas["Page_JobExecution_"]
    assert set(page["required"]) == {"items", "limit", "offset", "total"}
    assert all(field.get("description") for field in page["properties"].values())
    cursor = schemas["CursorPage_AuditRow_"]
    assert set(cursor["required"]) == {"items", "limit", "next_before_id"}
    assert all(field.get("description") for field in cursor["properties"].values())


@pytest.fixture
def served(
    monkeypatch: pytest.MonkeyPatch, postgres_url: str, generated_warehouses: Path
) -> Iterator[tuple[TestClient, sa.Engine]]:
    monkeypatch.setenv("POSTGRES_URL", postgres_url)
    monkeypatch.setenv("DATA_DIR", str(generated_warehouses))
    settings = Settings(env_file=None)
    with TestClient(build_app(RunMode.ALL_IN_ONE, settings)) as client:
        store = create_store_engine(settings)
        try:
            yield client, store
        finally:
            store.dispose()


def _walk_offset(client: TestClient, path: str, limit: int, **params: Any) -> list[Any]:
    """Return every item of the list, read page by page by offset; check each page."""
    items: list[Any] = []
    offset = 0
    while True:
        response = client.get(path, params={**params, "limit": limit, "offset": offset})
        assert response.status_code == 200, response.text
        page = response.json()
        assert set(page) == {"items", "limit", "offset", "total"}
        assert (page["limit"], page["offset"]) == (limit, offset)
        assert len(page["items"]) == min(limit, max(page["total"] - offset, 0))
        items += page["items"]
        offset += limit
        if offset >= page["total"]:
            assert len(items) == page["total"]
            return items


def test_job_history_pages_by_offset_to_its_total(served: tuple[TestClient, sa.Engine]) -> None:
    client, store = served
    claimed = [
        executions.claim(
            store,
            job_id="aw.daily.scores" if number % 3 else "aw.daily.data_quality",
            service="aw-service",
            scheduled_for=START + dt.timedelta(hours=number),
        )
        for number in range(11)
    ]
    assert None not in claimed
    walked = _walk_offset(client, "/api/jobs/aw", 4)
    assert [run["id"] for run in walked] == claimed[::-1]
    quality = _walk_offset(client, "/api/jobs/aw", 2, job_id="aw.daily.data_quality")
    assert [run["id"] for run in quality] == [claimed[9], claimed[6], claimed[3], claimed[0]]
    empty = client.get("/api/jobs/gateway").json()
    assert (empty["items"], empty["offset"], empty["total"]) == ([], 0, 0)
    assert empty["limit"] == Settings(env_file=None).analytics.storage_default_limit


def test_schedules_are_one_page_of_every_job(served: tuple[TestClient, sa.Engine]) -> None:
    client, _ = served
    for domain in ("aw", "wwi"):
        page = client.get(f"/api/{domain}/jobs").json()
        assert len(page["items"]) > 1
        assert page["total"] == page["limit"] == len(page["items"])
        assert page["offset"] == 0


def test_events_page_by_offset_with_filters(served: tuple[TestClient, sa.Engine]) -> None:
    client, store = served
    rows = [
        {
            "event_type": "stockout" if number % 2 else "overstock",
            "wwi_stock_item_id": 100 + number,
            "stock_item": f"Item {number}",
            "observed": float(number),
            "threshold": 5.0,
            "detected_at": START + dt.timedelta(minutes=number),
            "resolved_at": START + dt.timedelta(days=1) if number % 4 == 0 else None,
        }
        for number in range(9)
    ]
    with store.begin() as connection:
        connection.execute(wwi_business_events.insert(), rows)
    walked = _walk_offset(client, "/api/wwi/events", 2)
    assert [event["wwi_stock_item_id"] for event in walked] == list(range(108, 99, -1))
    still_open = _walk_offset(client, "/api/wwi/events", 3, open="true")
    assert [event["wwi_stock_item_id"] for event in still_open] == [107, 106, 105, 103, 102, 101]
    stockouts = _walk_offset(client, "/api/wwi/events", 10, event_type="stockout")
    assert [event["wwi_stock_item_id"] for event in stockouts] == [107, 105, 103, 101]


def test_reports_page_by_offset(served: tuple[TestClient, sa.Engine], tmp_path: Path) -> None:
    client, store = served
    ids = []
    for number in range(5):
        report_id = f"20260105T06000{number}Z-0000000{number}"
        files = {}
        for kind in ("xlsx", "pdf"):
            path = tmp_path / f"otelbi-report-{report_id}.{kind}"
            path.write_bytes(b"report")
            files[kind] = ReportFile(path=str(path), bytes=6, sha256="0" * 64)
        record = ReportRecord(
            id=report_id,
            created_at=START + dt.timedelta(seconds=number),
            created_by="ada",
            title=f"Report {number}",
            days_back=30,
            xlsx=files["xlsx"],
            pdf=files["pdf"],
            duration_ms=1.0,
        )
        append_report_record(store, record)
        ids.append(report_id)
    walked = _walk_offset(client, "/api/reports", 2)
    assert [report["report_id"] for report in walked] == ids[::-1]


def test_the_audit_log_walks_by_cursor_to_its_last_page(
    served: tuple[TestClient, sa.Engine],
) -> None:
    client, store = served
    appended = [
        audit.append(
            store,
            audit.AuditEntry(
                actor="walker",
                domain="aw",
                action="aw.sales.kpis",
                resource="/api/aw/sales/kpis",
                outcome="ok",
                duration_ms=1.0,
                parameters={"days_back": str(number)},
                status_code=200,
            ),
        )
        for number in range(7)
    ]
    walked: list[int] = []
    params: dict[str, Any] = {"actor": "walker", "limit": 3}
    pages = 0
    while True:
        response = client.get("/api/audit", params=params)
        assert response.status_code == 200, response.text
        page = response.json()
        pages += 1
        assert set(page) == {"items", "limit", "next_before_id"}
        assert page["limit"] == 3
        assert len(page["items"]) <= 3
        walked += [row["id"] for row in page["items"]]
        if page["next_before_id"] is None:
            break
        assert page["next_before_id"] == page["items"][-1]["id"]
        params["before_id"] = page["next_before_id"]
    assert walked == sorted(appended, reverse=True)
    assert pages == 3
    # A page that ends exactly at the last row says so: no empty page after it.
    exact = client.get("/api/audit", params={"actor": "walker", "limit": 7}).json()
    assert len(exact["items"]) == 7
    assert exact["next_before_id"] is None
