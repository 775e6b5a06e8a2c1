"""Hand-written spans and `otelbi.*` metrics land in the provider of the service running the
code (set per request or job run), carry their attributes, and mark failures as errors."""

from __future__ import annotations

import enum
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import (
    HistogramDataPoint,
    InMemoryMetricReader,
    NumberDataPoint,
)
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import StatusCode

from otelbi.domains import Domain
from otelbi.errors import StoreUnavailable, WarehouseUnavailable
from otelbi.quality.checks import QualityCheck, Severity, declare_check
from otelbi.quality.runner import QualitySuite
from otelbi.settings import Settings
from otelbi.store import audit
from otelbi.store.engine import create_store_engine
from otelbi.store.migrate import upgrade_to_head
from otelbi.telemetry import Telemetry, current_view, running_as, traced_view
from otelbi.warehouse.catalog import Statement


class Grain(enum.StrEnum):
    WEEK = "week"


@dataclass
class Points:
    points: list[int]


@dataclass
class Recorded:
    telemetry: Telemetry
    spans: InMemorySpanExporter
    metrics: InMemoryMetricReader

    def finished(self) -> list[ReadableSpan]:
        return list(self.spans.get_finished_spans())

    def histogram_points(self, name: str) -> list[HistogramDataPoint]:
        data = self.metrics.get_metrics_data()
        assert data is not None
        return [
            point
            for resource in data.resource_metrics
            for scope in resource.scope_metrics
            for metric in scope.metrics
            if metric.name == name
            for point in metric.data.data_points
            if isinstance(point, HistogramDataPoint)
        ]

    def counted(self, name: str) -> dict[frozenset[tuple[str, object]], float]:
        """Return the value of each series of the counter `name`, keyed by its attributes."""
        data = self.metrics.get_metrics_data()
        assert data is not None
        return {
            frozenset((point.attributes or {}).items()): point.value
            for resource in data.resource_metrics
            for scope in resource.scope_metrics
            for metric in scope.metrics
            if metric.name == name
            for point in metric.data.data_points
            if isinstance(point, NumberDataPoint)
        }


@pytest.fixture
def service() -> Recorded:
    spans, metrics = InMemorySpanExporter(), InMemoryMetricReader()
    tracer_provider = TracerProvider()
    tracer_provider.add_span_processor(SimpleSpanProcessor(spans))
    telemetry = Telemetry("aw-service", tracer_provider, MeterProvider(metric_readers=[metrics]))
    return Recorded(telemetry, spans, metrics)


@traced_view(Domain.AW, "weekly_points", rows=lambda result: len(result.points))
def weekly_points(_connection: object, *, days_back: int, grain: Grain, note: Any = None) -> Points:
    assert current_view() == "aw.weekly_points"
    return Points([1, 2, 3])


@traced_view(Domain.AW, "nothing_yet")
def nothing_yet() -> Points | None:
    return None


@traced_view(Domain.WWI, "broken")
def broken() -> None:
    raise WarehouseUnavailable("the WideWorldImportersDW warehouse is down")


def test_an_analytics_span_carries_its_view_parameters_and_size(service: Recorded) -> None:
    with running_as(service.telemetry):
        assert weekly_points(None, days_back=30, grain=Grain.WEEK, note=object()).points
    (span,) = service.finished()
    assert span.name == "otelbi.aw.weekly_points"
    assert dict(span.attributes or {}) == {
        "otelbi.domain": "aw",
        "otelbi.view": "weekly_points",
        "otelbi.days_back": 30,
        "otelbi.grain": "week",
        "otelbi.rows": 3,
    }
    assert current_view() is None


def test_a_view_without_data_is_marked_empty(service: Recorded) -> None:
    with running_as(service.telemetry):
        assert nothing_yet() is None
    (span,) = service.finished()
    assert (span.attributes or {})["otelbi.empty"] is True


def test_a_failing_view_is_an_error_span_and_the_error_still_raises(service: Recorded) -> None:
    with running_as(service.telemetry), pytest.raises(WarehouseUnavailable):
        broken()
    (span,) = service.finished()
    assert span.name == "otelbi.wwi.broken"
    assert span.status.status_code is StatusCode.ERROR
    assert [event.name for event in span.events] == ["exception"]


def test_outside_any_service_views_run_without_spans(service: Recorded) -> None:
    assert weekly_points(None, days_back=7, grain=Grain.WEEK).points == [1, 2, 3]
    assert service.finished() == []


def test_warehouse_statements_are_timed_by_statement_and_view(service: Recorded) -> None:
    engine = sa.create_engine("sqlite://")
    answer = Statement("aw.test.answer", Domain.AW, sa.select(sa.literal(42).label("answer")))
    failing = Statement("aw.test.failing", Domain.AW, sa.select(sa.text("* FROM missing")))

    @traced_view(Domain.AW, "answer")
    def answer_view(connection: sa.Connection) -> int:
        return int(answer.rows(connection)[0].answer)

    with running_as(service.telemetry), engine.connect() as connection:
        assert answer_view(connection) == 42
        with pytest.raises(WarehouseUnavailable):
            failing.rows(connection)
    points = {
        (point.attributes or {}).get("otelbi.statement"): point
        for point in service.histogram_points("otelbi.warehouse.query.duration")
    }
    assert dict(points["aw.test.answer"].attributes or {}) == {
        "otelbi.domain": "aw",
        "otelbi.statement": "aw.test.answer",
        "otelbi.view": "aw.answer",
        "otelbi.outcome": "ok",
    }
    assert points["aw.test.answer"].count == 1
    assert (points["aw.test.failing"].attributes or {})["otelbi.outcome"] == "error"
    assert (points["aw.test.failing"].attributes or {})["otelbi.view"] == "none"


@pytest.fixture
def store(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[sa.Engine]:
    monkeypatch.setenv("DATA_DIR", str(tmp_path))
    engine = create_store_engine(Settings(env_file=None))
    upgrade_to_head(engine)
    yield engine
    engine.dispose()


def _entry(action: str) -> audit.AuditEntry:
    return audit.AuditEntry(
        actor="ada", domain="aw", action=action, resource="/r", outcome="ok", duration_ms=1.0
    )


def test_an_audit_append_is_a_span_of_its_service(service: Recorded, store: sa.Engine) -> None:
    with running_as(service.telemetry):
        row_id = audit.append(store, _entry("aw.sales.kpis"))
    (span,) = service.finished()
    assert span.name == "otelbi.audit.append"
    assert dict(span.attributes or {}) == {
        "otelbi.audit.action": "aw.sales.kpis",
        "otelbi.audit.outcome": "ok",
        "otelbi.audit.domain": "aw",
        "otelbi.audit.id": row_id,
    }


def test_an_audit_row_not_written_is_an_error_span(service: Recorded, store: sa.Engine) -> None:
    store.dispose()
    with store.begin() as connection:
        connection.exec_driver_sql("DROP TABLE audit_log")
    with running_as(service.telemetry), pytest.raises(StoreUnavailable):
        audit.append(store, _entry("export"))
    (span,) = service.finished()
    assert span.status.status_code is StatusCode.ERROR


def test_job_and_export_metrics_name_their_job_and_view(service: Recorded) -> None:
    service.telemetry.metrics.job_run("aw.daily.scores", "succeeded", 2.5)
    service.telemetry.metrics.export(
        domain="aw", view="rep-scores", file_format="xlsx", rows=10, size=2048
    )
    service.telemetry.metrics.report(report="weekly", file_format="pdf", rows=120, size=90_000)
    (duration,) = service.histogram_points("otelbi.job.duration")
    assert (duration.count, duration.sum) == (1, 2.5)
    (size,) = service.histogram_points("otelbi.export.bytes")
    assert dict(size.attributes or {}) == {
        "otelbi.export.domain": "aw",
        "otelbi.export.view": "rep-scores",
        "otelbi.export.format": "xlsx",
    }
    assert size.sum == 2048
    (report,) = service.histogram_points("otelbi.report.rows")
    assert dict(report.attributes or {}) == {
        "otelbi.report.name": "weekly",
        "otelbi.report.format": "pdf",
    }


def _audited(action: str, outcome: str, *, written: bool) -> frozenset[tuple[str, object]]:
    return frozenset(
        {
            "otelbi.audit.domain": "aw",
            "otelbi.audit.action": action,
            "otelbi.audit.outcome": outcome,
            "otelbi.audit.written": written,
        }.items()
    )


def test_audit_appends_are_counted_by_action_outcome_and_whether_written(
    service: Recorded, store: sa.Engine
) -> None:
    with running_as(service.telemetry):
        audit.append(store, _entry("aw.sales.kpis"))
        audit.append(store, _entry("aw.sales.kpis"))
        audit.append(store, _entry("export"))
    store.dispose()
    with store.begin() as connection:
        connection.exec_driver_sql("DROP TABLE audit_log")
    with running_as(service.telemetry), pytest.raises(StoreUnavailable):
        audit.append(store, _entry("export"))
    assert service.counted("otelbi.audit.appends") == {
        _audited("aw.sales.kpis", "ok", written=True): 2,
        _audited("export", "ok", written=True): 1,
        _audited("export", "ok", written=False): 1,
    }


def test_each_failed_quality_check_is_counted_by_domain_check_and_severity(
    service: Recorded,
) -> None:
    # Checks live in the process-wide catalog: a namespace of this test's own.
    namespace = f"metrics{uuid.uuid4().hex[:8]}"

    def observing(what: str, observed: int, severity: Severity = Severity.ERROR) -> QualityCheck:
        query = sa.select(sa.literal(observed).label("observed"))
        return declare_check(
            Domain.WWI, f"{namespace}.{what}", query, description=what, severity=severity
        )

    suite = QualitySuite(
        structure=(observing("clean", 0), observing("orphans", 3)),
        freshness=(observing("age_days", 9, Severity.WARNING),),
    )
    engine = sa.create_engine("sqlite://")
    with running_as(service.telemetry), engine.connect() as connection:
        report = suite.run(connection, freshness_max_days=2)
        suite.run(connection, freshness_max_days=30)
    assert [r.name for r in report.failed_errors] == [f"{namespace}.orphans"]

    def failed(what: str, severity: str) -> frozenset[tuple[str, object]]:
        return frozenset(
            {
                "otelbi.domain": "wwi",
                "otelbi.quality.check": f"{namespace}.{what}",
                "otelbi.quality.severity": severity,
            }.items()
        )

    assert service.counted("otelbi.quality.failures") == {
        failed("orphans", "error"): 2,
        failed("age_days", "warning"): 1,
    }
