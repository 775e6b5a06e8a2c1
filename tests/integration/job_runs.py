"""Running a job through the public API and waiting for its end (shared by the job tests)."""

from __future__ import annotations

import time
from typing import Any

from fastapi.testclient import TestClient


def run_job_to_end(client: TestClient, domain: str, job_id: str) -> dict[str, Any]:
    """Return the execution row of a run-now of `job_id`, once it has finished."""
    started = client.post(f"/api/jobs/{domain}/{job_id}/run")
    assert started.status_code == 202, started.text
    body = started.json()
    assert body["job_id"] == job_id
    assert body["status"] == "running"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        rows = client.get(f"/api/jobs/{domain}", params={"job_id": job_id}).json()["items"]
        row = next(r for r in rows if r["id"] == body["execution_id"])
        if row["status"] != "running":
            return dict(row)
        time.sleep(0.2)
    raise AssertionError(f"{job_id} still running after 120 s")
