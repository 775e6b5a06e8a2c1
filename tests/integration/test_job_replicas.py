"""Two replicas of aw-service on one PostgreSQL: each scheduled tick runs exactly once."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import sqlalchemy as sa

from otelbi.aw.jobs import JOBS
from tests.integration.test_split_mode import SECRET, free_port

JOB_IDS = sorted(job.job_id for job in JOBS)


def _executions(postgres_url: str) -> list[sa.Row[tuple[str, str, object]]]:
    engine = sa.create_engine(postgres_url.replace("postgresql://", "postgresql+psycopg://"))
    try:
        with engine.connect() as connection:
            return list(
                connection.execute(
                    sa.text(
                        "SELECT job_id, status, scheduled_for FROM job_executions ORDER BY job_id"
                    )
                )
            )
    except sa.exc.ProgrammingError:  # the first replica has not migrated yet
        return []
    finally:
        engine.dispose()


def test_two_replicas_run_each_startup_tick_once(
    postgres_url: str, generated_warehouses: Path, tmp_path: Path
) -> None:
    env = {
        **os.environ,
        "POSTGRES_URL": postgres_url,
        "DATA_DIR": str(generated_warehouses),
        "INTERNAL_SERVICE_SHARED_SECRET": SECRET,
        "JOBS_ENABLED": "true",
        "JOBS_STARTUP_DELAY_SECONDS": "1",
    }
    logs = [tmp_path / "replica-a.log", tmp_path / "replica-b.log"]
    replicas = []
    for log in logs:
        with log.open("w") as sink:
            replicas.append(
                subprocess.Popen(
                    [sys.executable, "-m", "otelbi.cli", "serve", "aw"],
                    env={**env, "PORT": str(free_port())},
                    stdout=sink,
                    stderr=sink,
                )
            )
    try:
        deadline = time.monotonic() + 120
        rows = _executions(postgres_url)
        while time.monotonic() < deadline:
            rows = _executions(postgres_url)
            claimed_twice = sum(log.read_text().count("already claimed") for log in logs)
            finished = len(rows) == len(JOB_IDS) and all(r.status != "running" for r in rows)
            if finished and claimed_twice >= len(JOB_IDS):
                break
            time.sleep(0.5)
    finally:
        for replica in replicas:
            replica.terminate()
            replica.wait(timeout=30)
    assert [row.job_id for row in rows] == JOB_IDS, [log.read_text()[-2000:] for log in logs]
    assert all(row.status == "succeeded" for row in rows), rows
    combined = "".join(log.read_text() for log in logs)
    for job_id in JOB_IDS:
        assert re.search(rf"job {re.escape(job_id)} tick .* already claimed", combined)
    assert sum(log.read_text().count("already claimed") for log in logs) == len(JOB_IDS)
