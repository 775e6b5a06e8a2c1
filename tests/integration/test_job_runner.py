"""Job runs on a real PostgreSQL store: one claim per tick, the outcome and trace recorded in
job_executions, an audit row, a root span, and failures recorded instead of raised."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from otelbi.domains import Domain
from otelbi.errors import NotFound, WarehouseUnavailable
from otelbi.jobs import executions
from otelbi.jobs.definitions import JobContext, JobDefinition, JobOutcome, JobStatus
from otelbi.jobs.runner import JobRunner
from otelbi.settings import Settings
from otelbi.store.engine import create_store_engine
from otelbi.store.migrate import upgrade_to_head
from otelbi.store.tables import audit_log
from otelbi.telemetry import Telemetry

TICK = dt.datetime(2026, 11, 28, 2, 0, tzinfo=dt.UTC)
AW_SERVICE = Domain.AW.service_name


def _writes_three(context: JobContext) -> JobOutcome:
    return JobOutcome(rows_written=3, details={"scheduled_for": context.scheduled_for.isoformat()})


def _raises(context: JobContext) -> JobOutcome:
    raise RuntimeError("the warehouse said no")


def _needs_warehouse(context: JobContext) -> JobOutcome:
    context.warehouse()
    return JobOutcome()


def _reports_failure(context: JobContext) -> JobOutcome:
    return JobOutcome(details={"errors_failed": 1}, status=JobStatus.FAILED)


JOBS = [
    JobDefinition("aw.test.ok", AW_SERVICE, "0 2 * * *", "writes three rows", _writes_three),
    JobDefinition("aw.test.raises", AW_SERVICE, "0 2 * * *", "raises", _raises),
    JobDefinition(
        "aw.test.warehouse", AW_SERVICE, "0 2 * * *", "needs the warehouse", _needs_warehouse
    ),
    JobDefinition("aw.test.failed", AW_SERVICE, "0 2 * * *", "reports failure", _reports_failure),
]


@pytest.fixture
def store(monkeypatch: pytest.MonkeyPatch, postgres_url: str) -> Iterator[sa.Engine]:
    monkeypatch.setenv("POSTGRES_URL", postgres_url)
    engine = create_store_engine(Settings(env_file=None))
    upgrade_to_head(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def spans() -> InMemorySpanExporter:
    return InMemorySpanExporter()


@pytest.fixture
def runner(store: sa.Engine, spans: InMemorySpanExporter) -> JobRunner:
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(spans))

    def no_warehouse() -> sa.Engine:
        raise WarehouseUnavailable("the AdventureWorksDW warehouse is down")

    return JobRunner(
        Domain.AW.service_name,
        JOBS,
        audit_domain=Domain.AW.value,
        settings=Settings(env_file=None),
        store=store,
        warehouse=no_warehouse,
        telemetry=Telemetry("aw-service", provider),
    )


def test_a_tick_runs_once_and_is_recorded(
    runner: JobRunner, store: sa.Engine, spans: InMemorySpanExporter
) -> None:
    job = runner.find("aw.test.ok")
    execution_id = runner.run_tick(job, now=TICK + dt.timedelta(seconds=3))
    assert execution_id is not None
    assert runner.run_tick(job, now=TICK + dt.timedelta(minutes=2)) is None
    rows = executions.history(store, service="aw-service", limit=10)
    assert len(rows) == 1
    row = rows[0]
    assert row["status"] == "succeeded"
    assert row["rows_written"] == 3
    assert row["details"] == {"scheduled_for": TICK.isoformat()}
    assert row["scheduled_for"] == TICK
    assert row["finished_at"] >= row["started_at"]
    assert row["error"] is None
    (span,) = [s for s in spans.get_finished_spans() if s.name.startswith("job ")]
    assert span.name == "job aw.test.ok"
    assert span.parent is None
    assert span.attributes is not None
    assert span.attributes["otelbi.job.execution_id"] == execution_id
    assert row["trace_id"] == format(span.context.trace_id, "032x")
    with store.connect() as connection:
        audit = connection.execute(sa.select(audit_log)).one()
    assert (audit.actor, audit.domain, audit.action, audit.resource, audit.outcome) == (
        "scheduler",
        "aw",
        "job.run",
        "aw.test.ok",
        "succeeded",
    )
    assert audit.trace_id == row["trace_id"]


@pytest.mark.parametrize(
    ("job_id", "error"),
    [
        ("aw.test.raises", "RuntimeError: the warehouse said no"),
        ("aw.test.warehouse", "WarehouseUnavailable: the AdventureWorksDW warehouse is down"),
        ("aw.test.failed", None),
    ],
)
def test_failures_are_recorded_not_raised(
    runner: JobRunner, store: sa.Engine, spans: InMemorySpanExporter, job_id: str, error: str | None
) -> None:
    execution_id = runner.run_tick(runner.find(job_id), now=TICK)
    assert execution_id is not None
    row = executions.get(store, execution_id)
    assert row is not None
    assert row["status"] == "failed"
    assert row["error"] == error
    (span,) = [s for s in spans.get_finished_spans() if s.name == f"job {job_id}"]
    assert span.status.status_code.name == "ERROR"


def test_a_manual_run_names_its_user(runner: JobRunner, store: sa.Engine) -> None:
    job = runner.find("aw.test.ok")
    moment = dt.datetime.now(dt.UTC)
    execution_id = runner.claim(job, moment)
    assert execution_id is not None
    assert runner.run(job, execution_id, moment, actor="ada") is JobStatus.SUCCEEDED
    with store.connect() as connection:
        assert connection.execute(sa.select(audit_log.c.actor)).scalar_one() == "ada"


def test_history_filters(runner: JobRunner, store: sa.Engine) -> None:
    for job_id in ("aw.test.ok", "aw.test.raises", "aw.test.ok"):
        job = runner.find(job_id)
        moment = dt.datetime.now(dt.UTC)
        execution_id = runner.claim(job, moment)
        assert execution_id is not None
        runner.run(job, execution_id, moment, actor="ada")
    assert len(executions.history(store, service="aw-service", limit=10)) == 3
    assert len(executions.history(store, service="aw-service", limit=2)) == 2
    failed = executions.history(store, service="aw-service", limit=10, status=JobStatus.FAILED)
    assert [row["job_id"] for row in failed] == ["aw.test.raises"]
    ok = executions.history(store, service="aw-service", limit=10, job_id="aw.test.ok")
    assert len(ok) == 2
    assert ok[0]["id"] > ok[1]["id"]
    assert executions.history(store, service="wwi-service", limit=10) == []


def test_unknown_job_names_the_known_ones(runner: JobRunner) -> None:
    with pytest.raises(NotFound, match=r"aw\.test\.ok"):
        runner.find("aw.nope")
