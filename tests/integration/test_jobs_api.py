"""Jobs through the public API: run now, history with filters, results in the store."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.integration.job_runs import run_job_to_end


def test_scores_job_stores_snapshots_and_is_audited(client: TestClient) -> None:
    execution = run_job_to_end(client, "aw", "aw.daily.scores")
    assert execution["status"] == "succeeded", execution
    assert execution["service"] == "aw-service"
    assert execution["rows_written"] > 17
    assert len(execution["trace_id"]) == 32
    assert execution["details"]["reps"] == 17
    records = client.get("/api/aw/records/rep-scores", params={"limit": 5}).json()
    assert len(records["items"]) == 5
    assert {item["execution_id"] for item in records["items"]} == {execution["id"]}
    audit = client.get("/api/audit", params={"domain": "aw"}).json()["items"]
    job_rows = [row for row in audit if row["action"] == "job.run"]
    assert job_rows[0]["resource"] == "aw.daily.scores"
    assert job_rows[0]["actor"] == "anonymous"
    assert job_rows[0]["trace_id"] == execution["trace_id"]


def test_data_quality_job_records_every_check(client: TestClient) -> None:
    execution = run_job_to_end(client, "aw", "aw.daily.data_quality")
    assert execution["status"] == "succeeded", execution["details"]
    checks = execution["details"]["checks"]
    assert len(checks) > 30
    assert {"name", "severity", "passed", "observed", "threshold"} <= set(checks[0])
    assert execution["details"]["errors_failed"] == 0


def test_history_filters_and_validation(client: TestClient) -> None:
    run_job_to_end(client, "aw", "aw.daily.data_quality")
    run_job_to_end(client, "aw", "aw.daily.scores")
    history = client.get("/api/jobs/aw").json()["items"]
    assert [row["job_id"] for row in history] == ["aw.daily.scores", "aw.daily.data_quality"]
    assert len(client.get("/api/jobs/aw", params={"limit": 1}).json()["items"]) == 1
    assert client.get("/api/jobs/aw", params={"status": "failed"}).json()["items"] == []
    assert client.get("/api/jobs/wwi").json()["items"] == []
    for bad in ({"status": "exploded"}, {"limit": 0}, {"limit": 1001}):
        response = client.get("/api/jobs/aw", params=bad)
        assert response.status_code == 422
        assert response.json()["error"] == "invalid_input"
    assert client.get("/api/jobs/xyz").status_code == 422


def test_unknown_job_is_a_404_naming_the_jobs(client: TestClient) -> None:
    response = client.post("/api/jobs/aw/aw.daily.nothing/run")
    assert response.status_code == 404
    assert response.json()["error"] == "not_found"
    assert "aw.daily.scores" in response.json()["detail"]
