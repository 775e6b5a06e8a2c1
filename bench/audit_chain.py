"""What the hash-chained audit log costs: appends per second (one writer and 8 concurrent
writers, serialised by the chain lock) and rows verified per second, on PostgreSQL and SQLite.

Creates a scratch PostgreSQL database (dropped afterwards) and a scratch SQLite file.

    .venv/bin/python bench/audit_chain.py [--admin-url postgresql://…/postgres] [--verify-rows N]
"""

from __future__ import annotations

import argparse
import os
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import psycopg
import sqlalchemy as sa

from otelbi.settings import Settings
from otelbi.store import audit
from otelbi.store.audit_verify import verify_chain
from otelbi.store.engine import create_store_engine
from otelbi.store.migrate import upgrade_to_head

APPENDS_PER_WRITER = 500
WRITERS = 8


def _entry(number: int) -> audit.AuditEntry:
    return audit.AuditEntry(
        actor="bench",
        domain="aw",
        action="aw.sales.kpis",
        resource="/api/aw/sales/kpis",
        outcome="ok",
        duration_ms=number / 7,
        parameters={"days_back": str(number % 365), "top_n": 10},
        status_code=200,
        trace_id=f"{number:032x}",
    )


def _appends_per_second(engine: sa.Engine, writers: int) -> float:
    start = threading.Barrier(writers + 1)

    def writer() -> None:
        start.wait()
        for number in range(APPENDS_PER_WRITER):
            audit.append(engine, _entry(number))

    threads = [threading.Thread(target=writer) for _ in range(writers)]
    for thread in threads:
        thread.start()
    start.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    return writers * APPENDS_PER_WRITER / (time.perf_counter() - began)


def _fill(engine: sa.Engine, rows: int) -> None:
    have = verify_chain(engine).rows_checked
    for number in range(have, rows):
        audit.append(engine, _entry(number))


def _measure(name: str, engine: sa.Engine, verify_rows: int) -> None:
    upgrade_to_head(engine)
    single = _appends_per_second(engine, 1)
    concurrent = _appends_per_second(engine, WRITERS)
    _fill(engine, verify_rows)
    began = time.perf_counter()
    report = verify_chain(engine)
    elapsed = time.perf_counter() - began
    assert report.ok, report
    print(
        f"{name:<10} append: {single:7.0f}/s one writer, {concurrent:7.0f}/s {WRITERS} writers; "
        f"verify: {report.rows_checked:,} rows in {elapsed:.2f} s "
        f"({report.rows_checked / elapsed:,.0f} rows/s)"
    )


def _with_engine(settings_env: dict[str, str], run: Callable[[sa.Engine], None]) -> None:
    os.environ.update(settings_env)
    engine = create_store_engine(Settings(env_file=None))
    try:
        run(engine)
    finally:
        engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--admin-url", default="postgresql://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--verify-rows", type=int, default=20_000, help="rows in the verified log")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        _with_engine(
            {"DATA_DIR": str(Path(scratch))},
            lambda engine: _measure("sqlite", engine, args.verify_rows),
        )
    name = f"otelbi_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(args.admin_url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        url = args.admin_url.rsplit("/", 1)[0] + f"/{name}"
        _with_engine(
            {"POSTGRES_URL": url}, lambda engine: _measure("postgresql", engine, args.verify_rows)
        )
    finally:
        with psycopg.connect(args.admin_url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    main()
