"""A job's latest tick is the scheduled time the scheduler fires it for, in UTC."""

from __future__ import annotations

import datetime as dt

import pytest

from otelbi.domains import Domain
from otelbi.jobs.definitions import JobDefinition, JobOutcome


def _job(cron: str) -> JobDefinition:
    return JobDefinition(
        "aw.test", Domain.AW.service_name, cron, "test", lambda _context: JobOutcome()
    )


def _utc(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("cron", "now", "tick"),
    [
        ("0 2 * * *", "2026-11-28 01:59:59", "2026-11-27 02:00:00"),
        ("0 2 * * *", "2026-11-28 02:00:00", "2026-11-28 02:00:00"),
        ("0 2 * * *", "2026-11-28 02:00:37", "2026-11-28 02:00:00"),
        ("30 * * * *", "2026-11-28 10:29:00", "2026-11-28 09:30:00"),
        ("30 * * * *", "2026-11-28 10:31:00", "2026-11-28 10:30:00"),
        ("0 5 * * 1", "2026-11-28 12:00:00", "2026-11-23 05:00:00"),
    ],
)
def test_latest_tick(cron: str, now: str, tick: str) -> None:
    assert _job(cron).latest_tick(_utc(now)) == _utc(tick)


def test_replicas_firing_a_little_apart_claim_the_same_tick() -> None:
    job = _job("0 3 * * *")
    first = job.latest_tick(_utc("2026-11-28 03:00:00.2"))
    late = job.latest_tick(_utc("2026-11-28 03:04:10"))
    assert first == late == _utc("2026-11-28 03:00:00")


@pytest.mark.parametrize(
    ("cron", "weekday"), [("0 5 * * 1", 0), ("0 5 * * 0", 6), ("0 5 * * 7", 6)]
)
def test_weekdays_count_as_in_crontab(cron: str, weekday: int) -> None:
    assert _job(cron).latest_tick(_utc("2026-11-28 12:00:00")).weekday() == weekday
