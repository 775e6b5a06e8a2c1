"""Runs that cannot finish are never left `running`: a run whose store went away mid-run expires
with its lease and any replica marks it interrupted (a restart does too), runs going or waiting
when the service stops are marked interrupted, a tick missed while the store was down runs
once when it is back, and the history says why."""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Callable, Iterator

import psycopg
import pytest
import sqlalchemy as sa
from opentelemetry.sdk.trace import TracerProvider

from otelbi import cli
from otelbi.domains import Domain
from otelbi.jobs import executions
from otelbi.jobs.definitions import JobContext, JobDefinition, JobOutcome, JobStatus
from otelbi.jobs.leases import LeaseKeeper
from otelbi.jobs.runner import BACKGROUND_SLOTS, JobRunner
from otelbi.jobs.scheduler import JobScheduler
from otelbi.settings import Settings
from otelbi.store.engine import create_store_engine
from otelbi.store.migrate import upgrade_to_head
from otelbi.store.tables import job_executions
from otelbi.telemetry import Telemetry
from tests.conftest import POSTGRES_ADMIN_URL

AW_SERVICE = Domain.AW.service_name
LEASE = dt.timedelta(seconds=Settings(env_file=None).jobs.jobs_lease_seconds)
StoreSwitch = Callable[[bool], None]


@pytest.fixture
def store(monkeypatch: pytest.MonkeyPatch, postgres_url: str) -> Iterator[sa.Engine]:
    monkeypatch.setenv("POSTGRES_URL", postgres_url)
    engine = create_store_engine(Settings(env_file=None))
    upgrade_to_head(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def store_up(postgres_url: str) -> Iterator[StoreSwitch]:
    """Yield a switch that takes the test's database down (and up): PostgreSQL refuses it."""
    database = postgres_url.rsplit("/", 1)[1]

    def switch(up: bool) -> None:
        with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as admin:
            admin.execute(
                f'ALTER DATABASE "{database}" WITH ALLOW_CONNECTIONS {"true" if up else "false"}'
            )
            if not up:
                admin.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s",
                    (database,),
                )

    yield switch
    switch(True)


def _runner(store: sa.Engine, jobs: list[JobDefinition]) -> JobRunner:
    return JobRunner(
        AW_SERVICE,
        jobs,
        audit_domain=Domain.AW.value,
        settings=Settings(env_file=None),
        store=store,
        telemetry=Telemetry(AW_SERVICE, TracerProvider()),
    )


def _row(store: sa.Engine, execution_id: int) -> dict[str, object]:
    row = executions.get(store, execution_id)
    assert row is not None
    return row


def _wait_for(what: str, condition: Callable[[], bool]) -> None:
    deadline = time.monotonic() + 30
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"not {what} within 30 s")
        time.sleep(0.05)


def test_a_run_that_loses_the_store_is_interrupted_by_a_replica_once_its_lease_expires(
    store: sa.Engine, store_up: StoreSwitch
) -> None:
    def loses_the_store(context: JobContext) -> JobOutcome:
        store_up(False)
        return JobOutcome(rows_written=1)

    job = JobDefinition("aw.test.cut", AW_SERVICE, "0 2 * * *", "loses its store", loses_the_store)
    now = dt.datetime.now(dt.UTC)
    execution_id = _runner(store, [job]).run_tick(job, now)  # records nothing; raises nothing
    assert execution_id is not None
    store_up(True)
    assert _row(store, execution_id)["status"] == "running"

    replica = LeaseKeeper(store, service=AW_SERVICE, lease=LEASE, in_flight=list)
    assert replica.beat(now + LEASE / 2) == []  # within its lease: it may still be running
    assert replica.beat(now + LEASE + dt.timedelta(seconds=1)) == [execution_id]
    row = _row(store, execution_id)
    assert row["status"] == "interrupted"
    assert "no heartbeat for 60 s (JOBS_LEASE_SECONDS)" in str(row["error"])
    assert row["finished_at"] is not None


def test_a_live_run_renews_its_lease_and_keeps_it(store: sa.Engine) -> None:
    job = JobDefinition(
        "aw.test.live", AW_SERVICE, "0 2 * * *", "runs long", lambda _: JobOutcome()
    )
    claimed = dt.datetime.now(dt.UTC)
    execution_id = _runner(store, [job]).claim(job, claimed)
    assert execution_id is not None
    owner = LeaseKeeper(store, service=AW_SERVICE, lease=LEASE, in_flight=lambda: [execution_id])
    other = LeaseKeeper(store, service=AW_SERVICE, lease=LEASE, in_flight=list)
    renewed = claimed + LEASE * 2
    assert owner.beat(renewed) == []
    assert other.beat(renewed + LEASE / 2) == []
    assert _row(store, execution_id)["status"] == "running"


def test_a_restart_marks_the_runs_its_dead_predecessor_left_running(store: sa.Engine) -> None:
    job = JobDefinition("aw.test.dead", AW_SERVICE, "0 2 * * *", "died", lambda _: JobOutcome())
    long_ago = dt.datetime.now(dt.UTC) - dt.timedelta(hours=2)
    abandoned = _runner(store, [job]).claim(job, long_ago)
    other_service = executions.claim(
        store, job_id="wwi.test.dead", service="wwi-service", scheduled_for=long_ago
    )
    assert abandoned is not None
    assert other_service is not None
    with store.begin() as connection:  # the heartbeats a process killed two hours ago left
        connection.execute(job_executions.update().values(heartbeat_at=long_ago))

    restarted = _runner(store, [job])
    restarted.open()
    try:
        _wait_for("interrupted", lambda: _row(store, abandoned)["status"] == "interrupted")
    finally:
        restarted.close()
    assert _row(store, other_service)["status"] == "running"  # wwi-service's replicas' to judge


def test_stopping_marks_runs_going_and_waiting_interrupted(store: sa.Engine) -> None:
    release = threading.Event()
    entered: list[int] = []

    def blocks(context: JobContext) -> JobOutcome:
        entered.append(context.execution_id)
        release.wait(30)
        return JobOutcome()

    job = JobDefinition("aw.test.blocks", AW_SERVICE, "0 2 * * *", "waits", blocks)
    runner = _runner(store, [job])
    ids = []
    for second in range(BACKGROUND_SLOTS + 1):
        moment = dt.datetime(2026, 12, 1, 2, 0, second, tzinfo=dt.UTC)
        execution_id = runner.claim(job, moment)
        assert execution_id is not None
        runner.start(job, execution_id, moment, actor="ada")
        ids.append(execution_id)
    _wait_for("two runs going", lambda: len(entered) == BACKGROUND_SLOTS)
    try:
        assert runner.close() == ids
        errors = {_row(store, i)["error"] for i in ids if i in entered}
        (waiting,) = [i for i in ids if i not in entered]
        assert errors == {"the service stopped while the job was running"}
        row = _row(store, waiting)
        assert (row["status"], row["error"]) == (
            "interrupted",
            "the service stopped before the run started",
        )
    finally:
        release.set()
    _wait_for(
        "the two runs ended",
        lambda: all(_row(store, i)["status"] != "interrupted" for i in entered),
    )
    assert waiting not in entered  # it never ran after the stop
    assert _row(store, waiting)["status"] == "interrupted"

    late = dt.datetime(2026, 12, 1, 2, 1, tzinfo=dt.UTC)
    late_id = runner.claim(job, late)  # a run-now arriving while the service stops
    assert late_id is not None
    runner.start(job, late_id, late, actor="ada")
    _wait_for("the late run recorded", lambda: _row(store, late_id)["status"] != "running")
    assert late_id not in entered
    assert _row(store, late_id)["error"] == "the service stopped before the run started"


def test_a_tick_missed_while_the_store_is_down_runs_once_when_it_is_back(
    store: sa.Engine, store_up: StoreSwitch
) -> None:
    job = JobDefinition(
        "aw.test.ok", AW_SERVICE, "0 2 * * *", "ok", lambda _: JobOutcome(rows_written=2)
    )
    scheduler = JobScheduler(_runner(store, [job]), startup_delay_seconds=0)
    tick = dt.datetime(2026, 12, 1, 2, 0, tzinfo=dt.UTC)
    store_up(False)
    assert scheduler.tick(job, tick + dt.timedelta(seconds=1)) is None
    assert scheduler.retry_missed_ticks(tick + dt.timedelta(minutes=1)) == []  # still down
    store_up(True)
    (execution_id,) = scheduler.retry_missed_ticks(tick + dt.timedelta(minutes=20))
    _wait_for("finished", lambda: _row(store, execution_id)["status"] == "succeeded")
    assert _row(store, execution_id)["scheduled_for"] == tick
    assert scheduler.retry_missed_ticks(tick + dt.timedelta(minutes=21)) == []
    assert len(executions.history(store, service=AW_SERVICE, limit=10)) == 1


def test_job_list_says_why_the_last_run_did_not_succeed(
    store: sa.Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    job = JobDefinition("aw.daily.forecast", AW_SERVICE, "0 2 * * *", "x", lambda _: JobOutcome())
    execution_id = _runner(store, [job]).claim(job, dt.datetime.now(dt.UTC))
    assert execution_id is not None
    executions.interrupt(store, [execution_id], "the service stopped while the job was running")
    assert cli.main(["jobs", "list"]) == 0
    (line,) = [line for line in capsys.readouterr().out.splitlines() if "aw.daily.forecast" in line]
    assert line.endswith(f"(#{execution_id}): the service stopped while the job was running")
    assert f"{JobStatus.INTERRUPTED.value} at" in line
