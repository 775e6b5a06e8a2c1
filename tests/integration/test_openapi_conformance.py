"""Real answers match the OpenAPI document: every route called on the all-in-one app (real
PostgreSQL, generated DuckDB warehouses), each JSON body validated against the schema the
document declares for its status, each file against the content types it declares."""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import psycopg
import pytest
from fastapi.testclient import TestClient
from jsonschema import Draft202012Validator
from referencing import Registry
from referencing.jsonschema import DRAFT202012

from otelbi.domains import Domain
from otelbi.service_layout import build_app
from otelbi.settings import RunMode, Settings
from otelbi.warehouse.engines import duckdb_path
from tests.conftest import POSTGRES_ADMIN_URL

SPEC_URI = "urn:otelbi:openapi"
SCENARIO = {"name": "plan", "demand_change_pct": 10, "lead_time_change_days": 0}
EXPORT_FORMATS = ("csv", "xlsx", "pdf")


class Conformance:
    """Checks answers against the app's OpenAPI document; remembers which operations ran."""

    def __init__(self, client: TestClient) -> None:
        self.client = client
        self.spec: dict[str, Any] = client.get("/openapi.json").json()
        self.registry: Registry[Any] = Registry().with_resource(
            SPEC_URI, DRAFT202012.create_resource(self.spec)
        )
        self.called: set[tuple[str, str]] = set()

    def call(
        self, method: str, template: str, expected_status: int, **request: Any
    ) -> httpx.Response:
        """Call `template` (its {params} filled from `path`) and check the answer conforms."""
        path = template.format(**request.pop("path", {}))
        response = self.client.request(method, path, **request)
        assert response.status_code == expected_status, (method, path, response.text[:500])
        self.check(method, template, response)
        self.called.add((method.lower(), template))
        return response

    def check(self, method: str, template: str, response: httpx.Response) -> None:
        """Fail unless the document declares this status, content type and body."""
        operation = self.spec["paths"][template][method.lower()]
        status = str(response.status_code)
        declared = operation["responses"].get(status)
        assert declared is not None, (
            f"{method} {template} answered {status}, which the document does not declare "
            f"(it declares {sorted(operation['responses'])}): {response.text[:300]}"
        )
        media_type = response.headers["content-type"].split(";")[0].strip()
        content = declared.get("content", {})
        assert media_type in content, (method, template, status, media_type, sorted(content))
        if media_type != "application/json":
            assert response.content, (method, template)
            for header in declared.get("headers", {}):
                assert header.lower() in response.headers, (method, template, header)
            return
        parts = ("paths", template, method.lower(), "responses", status, "content", media_type)
        pointer = "/".join(
            quote(part.replace("~", "~0").replace("/", "~1"), safe="") for part in parts
        )
        validator = Draft202012Validator(
            {"$ref": f"{SPEC_URI}#/{pointer}/schema"},
            registry=self.registry,
            format_checker=Draft202012Validator.FORMAT_CHECKER,
        )
        errors = [
            f"{'/'.join(str(p) for p in error.absolute_path)}: {error.message[:200]}"
            for error in validator.iter_errors(response.json())
        ]
        assert errors == [], (method, template, status)

    def operations(self, method: str) -> set[tuple[str, str]]:
        """Return every (method, path template) of `method` in the document."""
        return {(method, path) for path, item in self.spec["paths"].items() if method in item}


def _start(monkeypatch: pytest.MonkeyPatch, postgres_url: str, data_dir: Path) -> TestClient:
    monkeypatch.setenv("POSTGRES_URL", postgres_url)
    monkeypatch.setenv("DATA_DIR", str(data_dir))
    return TestClient(build_app(RunMode.ALL_IN_ONE, Settings(env_file=None)))


@pytest.fixture
def api(
    monkeypatch: pytest.MonkeyPatch, postgres_url: str, generated_warehouses: Path
) -> Iterator[Conformance]:
    with _start(monkeypatch, postgres_url, generated_warehouses) as client:
        yield Conformance(client)


def _run_to_end(api: Conformance, run_template: str, domain: str, job_id: str) -> None:
    started = api.call("POST", run_template, 202, path={"domain": domain, "job_id": job_id})
    history = "/api/jobs/gateway" if domain == "gateway" else "/api/jobs/{domain}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        rows = api.call("GET", history, 200, path={"domain": domain}).json()["items"]
        row = next(r for r in rows if r["id"] == started.json()["execution_id"])
        if row["status"] != "running":
            assert row["status"] == "succeeded", row
            return
        time.sleep(0.2)
    raise AssertionError(f"{job_id} still running after 120 s")


def test_every_route_answers_what_the_document_says(api: Conformance) -> None:
    # Writes first, so that every list below has rows to validate.
    created = api.call("POST", "/api/wwi/scenarios", 201, json=SCENARIO)
    key = {"Idempotency-Key": "conformance-1"}
    api.call("POST", "/api/wwi/scenarios", 201, json=SCENARIO, headers=key)
    api.call("POST", "/api/wwi/scenarios", 200, json=SCENARIO, headers=key)
    report = api.call("POST", "/api/reports/generate", 201, json={"days_back": 90}).json()
    _run_to_end(api, "/api/jobs/{domain}/{job_id}/run", "aw", "aw.daily.scores")
    _run_to_end(api, "/api/aw/jobs/{job_id}/run", "aw", "aw.daily.forecast")
    for job_id in ("wwi.hourly.reorder", "wwi.hourly.events", "wwi.daily.supplier_scores"):
        _run_to_end(api, "/api/wwi/jobs/{job_id}/run", "wwi", job_id)
    _run_to_end(api, "/api/jobs/gateway/{job_id}/run", "gateway", "reports.weekly")

    path_values = {
        "domain": "wwi",
        "report_id": report["report_id"],
        "kind": "pdf",
        "scenario_id": created.json()["id"],
    }
    for _, template in sorted(api.operations("get")):
        if "/export/" in template:
            for file_format in EXPORT_FORMATS:
                api.call("GET", template, 200, params={"format": file_format})
        else:
            api.call("GET", template, 200, path=path_values)
    api.call("GET", "/api/reports/{report_id}/{kind}", 200, path={**path_values, "kind": "xlsx"})
    api.call("GET", "/api/audit", 200, params={"domain": "gateway", "limit": 5})
    # The tests' tracing is off (OTEL_TRACES_EXPORTER=none): the relay takes the spans, 202.
    api.call("POST", "/api/otlp/v1/traces", 202, json={"resourceSpans": []})

    assert api.called >= api.operations("get") | api.operations("post")


def test_errors_answer_the_documented_error_body(api: Conformance) -> None:
    report = api.call("POST", "/api/reports/generate", 201).json()
    missing = {
        ("GET", "/api/wwi/scenarios/{scenario_id}"): {"scenario_id": 999999},
        ("GET", "/api/reports/{report_id}"): {"report_id": "20200101T000000Z-00000000"},
        ("POST", "/api/jobs/{domain}/{job_id}/run"): {"domain": "aw", "job_id": "no.such.job"},
        ("POST", "/api/jobs/gateway/{job_id}/run"): {"job_id": "no.such.job"},
        ("POST", "/api/aw/jobs/{job_id}/run"): {"job_id": "no.such.job"},
        ("POST", "/api/wwi/jobs/{job_id}/run"): {"job_id": "no.such.job"},
    }
    for (method, template), values in missing.items():
        assert api.call(method, template, 404, path=values).json()["error"] == "not_found"

    invalid: list[tuple[str, str, dict[str, Any]]] = [
        ("GET", "/api/aw/sales/kpis", {"params": {"days_back": 0}}),
        ("GET", "/api/wwi/stock/recommendations", {"params": {"urgency": "panic"}}),
        ("GET", "/api/aw/export/rep-scores", {"params": {"format": "docx"}}),
        ("GET", "/api/audit", {"params": {"limit": 0}}),
        ("GET", "/api/audit", {"params": {"since": "yesterday"}}),
        ("GET", "/api/jobs/{domain}", {"path": {"domain": "xyz"}}),
        ("GET", "/api/reports/{report_id}", {"path": {"report_id": "not-an-id"}}),
        ("POST", "/api/wwi/scenarios", {"json": {**SCENARIO, "demand_change_pct": 9999}}),
        ("POST", "/api/reports/generate", {"json": {"days_back": 0}}),
    ]
    for method, template, request in invalid:
        assert api.call(method, template, 422, **request).json()["error"] == "invalid_input"

    too_large = api.call(
        "POST", "/api/wwi/scenarios", 413, content=b"{" + b" " * (1024 * 1024), headers={}
    )
    assert too_large.json()["error"] == "too_large"

    Path(report["xlsx_path"]).write_bytes(b"changed")
    changed = api.call(
        "GET", "/api/reports/{report_id}/{kind}", 409, path={**report, "kind": "xlsx"}
    )
    assert changed.json()["error"] == "conflict"


def test_a_missing_warehouse_or_store_answers_the_documented_503(
    monkeypatch: pytest.MonkeyPatch, postgres_url: str, generated_warehouses: Path, tmp_path: Path
) -> None:
    data_dir = tmp_path / "aw-only"
    target = duckdb_path(Domain.AW, data_dir)
    target.parent.mkdir(parents=True)
    shutil.copy(duckdb_path(Domain.AW, generated_warehouses), target)
    with _start(monkeypatch, postgres_url, data_dir) as client:
        api = Conformance(client)
        assert api.call("GET", "/api/health", 503).json()["status"] == "degraded"
        assert api.call("GET", "/api/wwi/health", 200).json()["status"] == "degraded"
        assert api.call("GET", "/api/aw/health", 200).json()["status"] == "ok"
        for template in ("/api/wwi/sales/kpis", "/api/wwi/stock/recommendations"):
            assert api.call("GET", template, 503).json()["error"] == "unavailable"
        api.call("GET", "/api/wwi/export/supplier-scores", 503, params={"format": "csv"})
        api.call("POST", "/api/wwi/scenarios", 503, json=SCENARIO)

        name = postgres_url.rsplit("/", 1)[1]
        with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        api.call("GET", "/api/health", 503)
        for template in ("/api/audit", "/api/jobs/gateway", "/api/reports", "/api/aw/sales/kpis"):
            assert api.call("GET", template, 503).json()["error"] == "unavailable"


def test_without_a_token_the_answer_is_the_documented_401(
    monkeypatch: pytest.MonkeyPatch, postgres_url: str, generated_warehouses: Path
) -> None:
    monkeypatch.setenv("REQUIRE_FRONTEND_AUTH", "true")
    monkeypatch.setenv("FRONTEND_JWT_ISSUER_URL", "https://login.example.invalid")
    monkeypatch.setenv("FRONTEND_JWT_AUDIENCE", "otelbi")
    with _start(monkeypatch, postgres_url, generated_warehouses) as client:
        api = Conformance(client)
        assert api.call("GET", "/api/config", 200).json()["auth_required"] is True
        for template in ("/api/aw/sales/kpis", "/api/audit", "/api/reports"):
            assert api.call("GET", template, 401).json()["error"] == "unauthenticated"
        api.call("POST", "/api/wwi/scenarios", 401, json=SCENARIO)
