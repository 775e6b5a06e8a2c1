"""Runs data-quality checks and reports each one's outcome, ready for a job execution's details.

A check whose query fails does not stop the run: it becomes a failed result carrying the
error text, and the connection's transaction is rolled back (DuckDB refuses every later
statement of an aborted transaction; a warehouse read holds nothing to lose).
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import SQLAlchemyError

from otelbi.errors import WarehouseUnavailable
from otelbi.quality.checks import Comparison, Number, QualityCheck, Severity
from otelbi.telemetry import business_span, current_telemetry
from otelbi.warehouse.guard import ReadOnlyViolation

_QUERY_FAILURES = (WarehouseUnavailable, ReadOnlyViolation, SQLAlchemyError)


@dataclass(frozen=True)
class CheckResult:
    """What one check observed and whether it passed."""

    name: str
    severity: Severity
    passed: bool
    observed: Number | None
    threshold: Number
    comparison: Comparison
    description: str
    error: str | None = None
    """Why the check could not observe a number (its query failed or returned no number)."""

    def as_dict(self) -> dict[str, Any]:
        """Return the result as JSON-ready values."""
        return {
            "name": self.name,
            "severity": self.severity.value,
            "passed": self.passed,
            "observed": self.observed,
            "threshold": self.threshold,
            "comparison": self.comparison.value,
            "description": self.description,
            "error": self.error,
        }


@dataclass(frozen=True)
class QualityReport:
    """The results of one run of checks, in the order the checks were given."""

    results: tuple[CheckResult, ...]

    @property
    def failed_errors(self) -> tuple[CheckResult, ...]:
        """Return the failed error-severity checks: the data is wrong."""
        return tuple(r for r in self.results if not r.passed and r.severity is Severity.ERROR)

    @property
    def warnings(self) -> tuple[CheckResult, ...]:
        """Return the failed warning-severity checks."""
        return tuple(r for r in self.results if not r.passed and r.severity is Severity.WARNING)

    def as_details(self) -> dict[str, Any]:
        """Return the report as JSON-ready details of a job execution."""
        return {
            "checks": [result.as_dict() for result in self.results],
            "errors_failed": len(self.failed_errors),
            "warnings": len(self.warnings),
        }


def run_checks(
    connection: sa.Connection, checks: Iterable[QualityCheck], *, today: dt.date | None = None
) -> QualityReport:
    """Return the report of running every check on `connection`, one query each.

    `today` (default: the current UTC date) is what freshness checks measure against.
    """
    run_date = today or dt.datetime.now(dt.UTC).date()
    return QualityReport(tuple(_run_check(connection, check, run_date) for check in checks))


def _run_check(connection: sa.Connection, check: QualityCheck, today: dt.date) -> CheckResult:
    try:
        rows = check.statement.rows(connection, **check.parameters(today))
    except _QUERY_FAILURES as error:
        if connection.in_transaction():
            # A dead connection fails the next checks with their own error text.
            with contextlib.suppress(SQLAlchemyError):
                connection.rollback()
        return _failed(check, f"{type(error).__name__}: {error}")
    if len(rows) != 1 or len(rows[0]) != 1:
        return _failed(check, f"expected one row with one value, got {len(rows)} row(s)")
    value = rows[0][0]
    if value is None:
        return _failed(check, "the query observed nothing (NULL): is the table empty?")
    observed = _as_number(value)
    if observed is None:
        return _failed(check, f"the query observed {value!r}, not a number")
    return _result(
        check, passed=check.comparison.holds(observed, check.threshold), observed=observed
    )


def _failed(check: QualityCheck, error: str) -> CheckResult:
    return _result(check, passed=False, observed=None, error=error)


def _result(
    check: QualityCheck, *, passed: bool, observed: Number | None, error: str | None = None
) -> CheckResult:
    return CheckResult(
        name=check.name,
        severity=check.severity,
        passed=passed,
        observed=observed,
        threshold=check.threshold,
        comparison=check.comparison,
        description=check.description,
        error=error,
    )


def _as_number(value: object) -> Number | None:
    """Return `value` as an int or a float (a whole Decimal as an int); None if not a number."""
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return None
    if isinstance(value, Decimal):
        whole = value.is_finite() and value == value.to_integral_value()
        return int(value) if whole else float(value)
    return value


@dataclass(frozen=True)
class QualitySuite:
    """A domain's checks: structure checks, and freshness checks with a configurable threshold."""

    structure: tuple[QualityCheck, ...]
    freshness: tuple[QualityCheck, ...]

    @property
    def checks(self) -> tuple[QualityCheck, ...]:
        """Return every check, freshness last, with the default freshness threshold."""
        return (*self.structure, *self.freshness)

    def run(
        self, connection: sa.Connection, *, freshness_max_days: int, today: dt.date | None = None
    ) -> QualityReport:
        """Return the report of every check; freshness warns past `freshness_max_days` days.

        The run is an `otelbi.quality.run` span counting the checks that failed; each failed
        check is also counted in `otelbi.quality.failures` of the service running the suite.
        """
        fresh = tuple(replace(check, threshold=freshness_max_days) for check in self.freshness)
        checks = (*self.structure, *fresh)
        domains = sorted({check.statement.domain.value for check in checks})
        with business_span(
            "otelbi.quality.run",
            {"otelbi.domain": ",".join(domains), "otelbi.quality.checks": len(checks)},
        ) as span:
            report = run_checks(connection, checks, today=today)
            span.set_attribute("otelbi.quality.errors_failed", len(report.failed_errors))
            span.set_attribute("otelbi.quality.warnings", len(report.warnings))
        metrics = current_telemetry().metrics
        for check, result in zip(checks, report.results, strict=True):
            if not result.passed:
                metrics.quality_failure(
                    domain=check.statement.domain.value,
                    check=check.name,
                    severity=check.severity.value,
                )
        return report
