"""What a crash mid-report (`kill -9`) leaves on REPORT_OUTPUT_DIR — hidden temporary files,
report files without a record, a record whose other file never appeared — is removed at the
gateway's start-up and by the weekly report job, once older than REPORT_ORPHAN_AGE_MINUTES;
a report is listed only while both its files and its record exist."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from otelbi.gateway.report_job import WEEKLY_REPORT_JOB_ID
from otelbi.service_layout import build_app
from otelbi.settings import RunMode, Settings
from tests.integration.job_runs import run_job_to_end

TWO_HOURS = 2 * 3600


@pytest.fixture
def share(tmp_path: Path) -> Path:
    return tmp_path / "share"


@pytest.fixture(autouse=True)
def _environment(
    monkeypatch: pytest.MonkeyPatch, postgres_url: str, generated_warehouses: Path, share: Path
) -> None:
    monkeypatch.setenv("POSTGRES_URL", postgres_url)
    monkeypatch.setenv("DATA_DIR", str(generated_warehouses))
    monkeypatch.setenv("REPORT_OUTPUT_DIR", str(share))
    monkeypatch.setenv("JOBS_ENABLED", "false")


def _app() -> TestClient:
    """Return a client of a fresh all-in-one app (each start sweeps the share)."""
    return TestClient(build_app(RunMode.ALL_IN_ONE, Settings(env_file=None)))


def _left_behind(path: Path, *, age_seconds: float = TWO_HOURS) -> Path:
    """Return `path`, written as a crashed generation would have left it, `age_seconds` old."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"PK\x03\x04 half a file")
    then = time.time() - age_seconds
    os.utime(path, (then, then))
    return path


def _age(path: Path) -> None:
    then = time.time() - TWO_HOURS
    os.utime(path, (then, then))


def test_start_up_sweeps_what_a_crash_left_and_keeps_what_may_be_in_progress() -> None:
    with _app() as client:
        kept = client.post("/api/reports/generate").json()
        broken = client.post("/api/reports/generate").json()
    month = Path(kept["xlsx_path"]).parent
    for path in month.iterdir():
        _age(path)
    # killed while writing: hidden temporary files; killed before the record: bare files
    temporary = _left_behind(month / ".otelbi-report-20260101T000000Z-0badf00d.xlsx.tmp-1a2b3c")
    unrecorded_xlsx = _left_behind(month / "otelbi-report-20260101T000000Z-0badf00d.xlsx")
    unrecorded_pdf = _left_behind(month / "otelbi-report-20260101T000000Z-0badf00d.pdf")
    # a report whose PDF is gone: its XLSX alone is no report
    Path(broken["pdf_path"]).unlink()
    # younger than REPORT_ORPHAN_AGE_MINUTES: perhaps another replica writing it right now
    fresh = _left_behind(
        month / ".otelbi-report-20260101T000001Z-0badf00e.pdf.tmp-4d5e6f", age_seconds=5
    )

    with _app() as client:
        listed = client.get("/api/reports").json()["items"]

    assert [report["report_id"] for report in listed] == [kept["report_id"]]
    for gone in (temporary, unrecorded_xlsx, unrecorded_pdf, Path(broken["xlsx_path"])):
        assert not gone.exists(), gone
    assert fresh.exists()
    assert sorted(p.name for p in month.iterdir()) == sorted(
        [Path(kept["xlsx_path"]).name, Path(kept["pdf_path"]).name, fresh.name]
    )


def test_the_weekly_job_sweeps_before_it_writes() -> None:
    with _app() as client:
        month = Path(client.post("/api/reports/generate").json()["xlsx_path"]).parent
        orphan = _left_behind(month / ".otelbi-report-20260101T000000Z-0badf00d.pdf.tmp-0a0b0c")
        execution = run_job_to_end(client, "gateway", WEEKLY_REPORT_JOB_ID)
        assert execution["status"] == "succeeded", execution
        assert execution["details"]["orphans_removed"] == 1
        assert not orphan.exists()
        assert len(client.get("/api/reports").json()["items"]) == 2
