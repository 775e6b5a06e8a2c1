"""Every moment the API hands out is UTC with a `Z`, on both write stores.

SQLite keeps no zone and gives stored moments back naive; PostgreSQL answers in the session's
time zone (here one far from UTC, as a server configured for its region would). The product
is driven to store a row in every table a GET endpoint reads (jobs, snapshots, events, a
scenario, a report, audit rows), then every such endpoint's JSON is walked.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from otelbi.service_layout import build_app
from otelbi.settings import RunMode, Settings
from tests.integration.job_runs import run_job_to_end

DATE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")
UTC_Z = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$")

JOBS = {
    "aw": ("aw.daily.forecast", "aw.daily.scores"),
    "wwi": ("wwi.hourly.reorder", "wwi.hourly.events", "wwi.daily.supplier_scores"),
}


@pytest.fixture(params=["postgresql", "sqlite"])
def client(
    request: pytest.FixtureRequest,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    generated_warehouses: Path,
) -> Iterator[TestClient]:
    """The all-in-one product on generated warehouses and the store the test asks for."""
    data_dir = tmp_path / "data"
    shutil.copytree(generated_warehouses / "warehouse", data_dir / "warehouse")
    monkeypatch.setenv("DATA_DIR", str(data_dir))
    if request.param == "postgresql":
        monkeypatch.setenv("POSTGRES_URL", request.getfixturevalue("postgres_url"))
        # libpq sets the session's TimeZone from PGTZ: timestamptz values come back in it.
        monkeypatch.setenv("PGTZ", "America/St_Johns")
    with TestClient(build_app(RunMode.ALL_IN_ONE, Settings(env_file=None))) as test_client:
        yield test_client


def _date_times(document: Any, path: str = "$") -> Iterator[tuple[str, str]]:
    """Yield (JSON path, text) of every string in `document` that is a date with a time."""
    if isinstance(document, dict):
        for key, value in document.items():
            yield from _date_times(value, f"{path}.{key}")
    elif isinstance(document, list):
        for index, value in enumerate(document):
            yield from _date_times(value, f"{path}[{index}]")
    elif isinstance(document, str) and DATE_TIME.match(document):
        yield path, document


def _get(client: TestClient, path: str) -> Any:
    response = client.get(path)
    assert response.status_code == 200, (path, response.text)
    return response.json()


def test_every_stored_moment_the_api_returns_is_utc_with_a_z(client: TestClient) -> None:
    for domain, job_ids in JOBS.items():
        for job_id in job_ids:
            assert run_job_to_end(client, domain, job_id)["status"] == "succeeded", job_id
    scenario = client.post(
        "/api/wwi/scenarios",
        json={"name": "utc", "demand_change_pct": 10, "lead_time_change_days": 1},
    )
    assert scenario.status_code == 201, scenario.text
    report = client.post("/api/reports/generate", json={"days_back": 30})
    assert report.status_code == 201, report.text

    documents = {
        path: _get(client, path)
        for path in (
            "/api/audit?limit=1000",
            "/api/jobs/aw",
            "/api/jobs/wwi",
            "/api/reports",
            f"/api/reports/{report.json()['report_id']}",
            "/api/aw/records/forecasts",
            "/api/aw/records/rep-scores",
            "/api/aw/records/product-demand",
            "/api/wwi/records/reorder-recommendations",
            "/api/wwi/records/supplier-scores",
            "/api/wwi/scenarios",
            f"/api/wwi/scenarios/{scenario.json()['id']}",
            "/api/wwi/events?limit=5",
            "/api/health",
        )
    }
    found = {path: list(_date_times(document)) for path, document in documents.items()}
    # Every endpoint of stored rows returned some moments (the walk is not vacuous).
    assert [path for path, moments in found.items() if not moments] == ["/api/health"]
    not_utc_z = [
        (path, where, text)
        for path, moments in found.items()
        for where, text in moments
        if not UTC_Z.match(text)
    ]
    assert not_utc_z == []
