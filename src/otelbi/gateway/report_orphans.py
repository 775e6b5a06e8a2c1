"""The orphan sweep: what a crash mid-report (`kill -9`) left on REPORT_OUTPUT_DIR, removed.

A report is written as two files, each first under a hidden temporary name, then its record;
a process killed between those steps leaves `.otelbi-report-….tmp-…` files, report files
without a record, or a record whose other file never appeared. The sweep removes, once they
are older than REPORT_ORPHAN_AGE_MINUTES (a younger one may belong to a report another
process is writing right now):

- hidden temporary report files;
- report files whose id has no record;
- the remaining file of a record that lacks one of its two (the record itself is
  append-only and stays; such a report is no longer listed, see `report_is_complete`).

It runs at the gateway's start-up and before the weekly report.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import time
from collections.abc import Iterator
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa

from otelbi.errors import OtelBiError
from otelbi.settings import Settings
from otelbi.store.report_records import ReportRecord, all_report_records, recorded_report_ids

log = logging.getLogger(__name__)

_TEMPORARY = re.compile(r"^\.otelbi-report-.+\.tmp-[0-9a-f]+$")
_REPORT_FILE = re.compile(r"^otelbi-report-(?P<id>[0-9]{8}T[0-9]{6}Z-[0-9a-f]{8})\.(xlsx|pdf)$")


@dataclass
class OrphanSweep:
    """The files one sweep removed, by why."""

    temporary: list[Path] = field(default_factory=list)
    unrecorded: list[Path] = field(default_factory=list)
    incomplete: list[Path] = field(default_factory=list)

    def removed(self) -> int:
        """Return how many files the sweep removed."""
        return len(self.temporary) + len(self.unrecorded) + len(self.incomplete)


def report_is_complete(record: ReportRecord) -> bool:
    """Return whether both of the record's files are on the share."""
    return Path(record.xlsx.path).is_file() and Path(record.pdf.path).is_file()


def sweep_or_log(store: sa.Engine, settings: Settings) -> OrphanSweep | None:
    """Return the sweep of REPORT_OUTPUT_DIR, or None (logged) if the share or store failed:
    a start-up or the weekly report must not fail for it."""
    reports = settings.reports
    try:
        return sweep_report_orphans(
            store,
            reports.report_output_dir,
            min_age=dt.timedelta(minutes=reports.report_orphan_age_minutes),
        )
    except (OSError, OtelBiError) as error:
        log.warning("report orphans not swept from %s: %s", reports.report_output_dir, error)
        return None


def sweep_report_orphans(store: sa.Engine, root: Path, *, min_age: dt.timedelta) -> OrphanSweep:
    """Remove the orphans under `root` older than `min_age`; return what was removed."""
    sweep = OrphanSweep()
    if not root.is_dir():
        return sweep
    cutoff = time.time() - min_age.total_seconds()
    unrecorded: dict[str, list[Path]] = {}
    for path in _old_files(root, cutoff):
        if _TEMPORARY.match(path.name):
            _remove(path, sweep.temporary)
        elif match := _REPORT_FILE.match(path.name):
            unrecorded.setdefault(match["id"], []).append(path)
    recorded = recorded_report_ids(store, unrecorded)
    for report_id, paths in unrecorded.items():
        if report_id not in recorded:
            for path in paths:
                _remove(path, sweep.unrecorded)
    for record in all_report_records(store):
        files = [Path(record.xlsx.path), Path(record.pdf.path)]
        if not all(path.is_file() for path in files):
            for path in files:
                if path.is_file() and path.stat().st_mtime < cutoff:
                    _remove(path, sweep.incomplete)
    if sweep.removed():
        log.warning(
            "report orphans removed from %s: %d temporary, %d without a record, "
            "%d without the other file of their report",
            root,
            len(sweep.temporary),
            len(sweep.unrecorded),
            len(sweep.incomplete),
        )
    return sweep


def _old_files(root: Path, cutoff: float) -> Iterator[Path]:
    for path in root.rglob("*otelbi-report-*"):
        with suppress(OSError):
            if path.is_file() and path.stat().st_mtime < cutoff:
                yield path


def _remove(path: Path, removed: list[Path]) -> None:
    try:
        path.unlink()
    except FileNotFoundError:
        return
    except OSError as error:
        log.warning("report orphan %s could not be removed: %s", path, error)
        return
    removed.append(path)
