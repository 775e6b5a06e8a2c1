"""A new warehouse under running replicas: the stored snapshots are recomputed at once.

Two `otelbi serve` processes share one PostgreSQL store and one DATA_DIR, as two replicas
would. Their catch-up runs make the first snapshots; a copy of the same data changes nothing;
`otelbi warehouse generate` with another seed replaces both warehouses, and each snapshot
job runs once more (not twice, not in a loop), as a `data-change` run the records endpoints
then serve. The data-quality jobs wait for their tick.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import httpx
import pytest
import sqlalchemy as sa

from otelbi.aw.jobs import JOBS as AW_JOBS
from otelbi.domains import Domain
from otelbi.store.tables import job_executions
from otelbi.warehouse.engines import duckdb_path
from otelbi.wwi.jobs import JOBS as WWI_JOBS
from tests.integration.served import serving
from tests.integration.test_split_mode import SECRET, free_port

DOMAIN_JOBS = [*AW_JOBS, *WWI_JOBS]
SNAPSHOT_JOBS = {job.job_id for job in DOMAIN_JOBS if job.recompute_on_data_change}
CHECK_SECONDS = 1
QUIET_SECONDS = 4 * CHECK_SECONDS
"""Long enough for several checks by each replica."""


@pytest.fixture
def data_dir(tmp_path: Path, generated_warehouses: Path) -> Path:
    """A DATA_DIR of its own (the test replaces its warehouses)."""
    target = tmp_path / "data"
    shutil.copytree(generated_warehouses / "warehouse", target / "warehouse")
    return target


@pytest.fixture
def store(postgres_url: str) -> Iterator[sa.Engine]:
    engine = sa.create_engine(postgres_url.replace("postgresql://", "postgresql+psycopg://"))
    yield engine
    engine.dispose()


def _runs(store: sa.Engine) -> list[dict[str, Any]]:
    """Every domain job execution, oldest first."""
    query = (
        sa.select(job_executions)
        .where(job_executions.c.service != "api-gateway")
        .order_by(job_executions.c.id)
    )
    try:
        with store.connect() as connection:
            return [dict(row._mapping) for row in connection.execute(query)]
    except sa.exc.ProgrammingError:  # not migrated yet
        return []


def _wait_for(what: str, condition: Callable[[], bool], timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"no {what} within {timeout} s"
        time.sleep(0.2)


def _finished(runs: list[dict[str, Any]]) -> bool:
    return all(run["status"] != "running" for run in runs)


def _records(url: str, path: str) -> list[dict[str, Any]]:
    response = httpx.get(f"{url}{path}", params={"limit": 1000}, timeout=30)
    assert response.status_code == 200, response.text
    body = response.json()
    return list(body["items"])


def _newest_snapshot(url: str, path: str) -> list[dict[str, Any]]:
    items = _records(url, path)
    newest = items[0]["execution_id"]
    return [item for item in items if item["execution_id"] == newest]


def _generate(domain: Domain, env: dict[str, str], seed: int) -> None:
    subprocess.run(
        [
            *(sys.executable, "-m", "otelbi.cli", "warehouse", "generate", domain.value),
            *("--scale", "0.05", "--seed", str(seed)),
        ],
        env=env,
        check=True,
        capture_output=True,
    )


def test_a_new_warehouse_recomputes_each_snapshot_once_and_the_records_serve_it(
    postgres_url: str, data_dir: Path, store: sa.Engine, tmp_path: Path
) -> None:
    env = {
        **os.environ,
        "POSTGRES_URL": postgres_url,
        "DATA_DIR": str(data_dir),
        "INTERNAL_SERVICE_SHARED_SECRET": SECRET,
        "JOBS_ENABLED": "true",
        "JOBS_STARTUP_DELAY_SECONDS": "0",
        "JOBS_DATA_CHANGE_CHECK_SECONDS": str(CHECK_SECONDS),
    }
    with ExitStack() as replicas:
        urls = []
        for name in ("a", "b"):
            port = free_port()
            urls.append(
                replicas.enter_context(
                    serving(
                        [],
                        {**env, "PORT": str(port)},
                        f"http://127.0.0.1:{port}",
                        tmp_path / f"replica-{name}.log",
                    )
                )
            )
        url = urls[0]

        # The catch-up after start: each job's tick once, across both replicas.
        _wait_for(
            "first snapshots",
            lambda: len(runs := _runs(store)) == len(DOMAIN_JOBS) and _finished(runs),
        )
        first = {run["job_id"]: run for run in _runs(store)}
        assert {run["trigger"] for run in first.values()} == {"schedule"}
        assert all(run["data_version"] for run in first.values())
        reps_before = _newest_snapshot(url, "/api/aw/records/rep-scores")
        suppliers_before = _newest_snapshot(url, "/api/wwi/records/supplier-scores")
        assert reps_before[0]["execution_id"] == first["aw.daily.scores"]["id"]

        # Unchanged data, even in another file, runs nothing.
        for domain in Domain:
            warehouse = duckdb_path(domain, data_dir)
            shutil.copy(warehouse, tmp_path / "copy.duckdb")
            (tmp_path / "copy.duckdb").replace(warehouse)
        time.sleep(QUIET_SECONDS)
        assert len(_runs(store)) == len(DOMAIN_JOBS)

        for domain in Domain:
            _generate(domain, env, seed=12)
        _wait_for(
            "recomputed snapshots",
            lambda: (
                len(runs := _runs(store)) >= len(DOMAIN_JOBS) + len(SNAPSHOT_JOBS)
                and _finished(runs)
            ),
        )
        time.sleep(QUIET_SECONDS)  # no second run from the other replica, no loop
        recomputed = [
            run for run in _runs(store) if run["id"] not in {r["id"] for r in first.values()}
        ]
        assert sorted(run["job_id"] for run in recomputed) == sorted(SNAPSHOT_JOBS)
        for run in recomputed:
            before = first[run["job_id"]]
            assert run["trigger"] == "data-change"
            assert run["status"] == "succeeded", run
            assert run["supersedes_execution_id"] == before["id"]
            assert run["data_version"] not in (None, before["data_version"])
        by_job = {run["job_id"]: run for run in recomputed}

        reps_after = _newest_snapshot(url, "/api/aw/records/rep-scores")
        suppliers_after = _newest_snapshot(url, "/api/wwi/records/supplier-scores")
        forecast_after = _newest_snapshot(url, "/api/aw/records/forecasts")
        reorder_after = _newest_snapshot(url, "/api/wwi/records/reorder-recommendations")
        assert reps_after[0]["execution_id"] == by_job["aw.daily.scores"]["id"]
        assert suppliers_after[0]["execution_id"] == by_job["wwi.daily.supplier_scores"]["id"]
        assert forecast_after[0]["execution_id"] == by_job["aw.daily.forecast"]["id"]
        assert reorder_after[0]["execution_id"] == by_job["wwi.hourly.reorder"]["id"]
        assert [(r["name"], r["revenue"]) for r in reps_after] != [
            (r["name"], r["revenue"]) for r in reps_before
        ]
        assert [(s["supplier"], s["score"]) for s in suppliers_after] != [
            (s["supplier"], s["score"]) for s in suppliers_before
        ]

        history = httpx.get(f"{url}/api/jobs/aw", params={"limit": 1000}, timeout=30).json()
        served = {row["id"]: row for row in history["items"]}
        assert served[by_job["aw.daily.scores"]["id"]]["trigger"] == "data-change"
        audit = httpx.get(f"{url}/api/audit", params={"limit": 1000}, timeout=30).json()
        data_change_audits = sorted(
            row["resource"]
            for row in audit["items"]
            if row["action"] == "job.run" and row["parameters"].get("trigger") == "data-change"
        )
        assert data_change_audits == sorted(SNAPSHOT_JOBS)
