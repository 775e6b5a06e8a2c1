"""The write store: migrations build the declared schema, run once under concurrency, and
the audit log and export records cannot be changed after the fact — on PostgreSQL and SQLite."""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from otelbi.settings import Settings
from otelbi.store.engine import create_store_engine
from otelbi.store.migrate import current_revision, head_revision, upgrade_to_head
from otelbi.store.tables import metadata

EXPECTED_TABLES = {
    "audit_log",
    "job_executions",
    "export_records",
    "aw_forecasts",
    "aw_rep_scores",
    "aw_product_demand",
    "wwi_reorder_recommendations",
    "wwi_supplier_scores",
    "wwi_whatif_scenarios",
    "wwi_business_events",
}


@pytest.fixture(params=["postgresql", "sqlite"])
def store(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> Iterator[sa.Engine]:
    if request.param == "postgresql":
        monkeypatch.setenv("POSTGRES_URL", request.getfixturevalue("postgres_url"))
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "var"))
    engine = create_store_engine(Settings(env_file=None))
    yield engine
    engine.dispose()


def test_migrations_build_exactly_the_declared_schema(store: sa.Engine) -> None:
    upgrade_to_head(store)
    assert current_revision(store) == head_revision()
    assert set(sa.inspect(store).get_table_names()) >= EXPECTED_TABLES
    with store.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), metadata)
    assert differences == []


def test_migrating_twice_changes_nothing(store: sa.Engine) -> None:
    upgrade_to_head(store)
    upgrade_to_head(store)
    assert current_revision(store) == head_revision()


def _insert_audit_row(connection: sa.Connection) -> None:
    connection.execute(
        sa.text(
            "INSERT INTO audit_log (occurred_at, actor, domain, action, resource, parameters, "
            "outcome, duration_ms, prev_hash, row_hash) VALUES (CURRENT_TIMESTAMP, 'ada', 'aw', "
            "'aw.sales.kpis', '/api/aw/sales/kpis', '{}', 'ok', 1.5, :genesis, :genesis)"
        ),
        {"genesis": "0" * 64},
    )


def _insert_export_row(connection: sa.Connection) -> None:
    connection.execute(
        sa.text(
            "INSERT INTO export_records (created_at, actor, domain, view, format, parameters, "
            "rows, bytes, sha256, duration_ms) VALUES (CURRENT_TIMESTAMP, 'ada', 'aw', "
            "'rep-scores', 'csv', '{}', 3, 100, 'ab', 2.0)"
        )
    )


@pytest.mark.parametrize(
    ("table", "insert"), [("audit_log", _insert_audit_row), ("export_records", _insert_export_row)]
)
def test_append_only_tables_refuse_update_delete_truncate(
    store: sa.Engine, table: str, insert: object
) -> None:
    upgrade_to_head(store)
    with store.begin() as connection:
        insert(connection)  # type: ignore[operator]
    changes = [f"UPDATE {table} SET actor = 'mallory'", f"DELETE FROM {table}"]
    if store.dialect.name == "postgresql":
        changes.append(f"TRUNCATE {table}")
    for change in changes:
        with pytest.raises(sa.exc.DBAPIError, match="append-only"), store.begin() as connection:
            connection.execute(sa.text(change))
    with store.connect() as connection:
        assert connection.execute(sa.text(f"SELECT count(*), min(actor) FROM {table}")).one() == (
            1,
            "ada",
        )


def test_job_claims_are_unique_per_tick(store: sa.Engine) -> None:
    upgrade_to_head(store)
    claim = sa.text(
        "INSERT INTO job_executions (job_id, service, scheduled_for, started_at, status, details) "
        "VALUES ('aw.daily.forecast', 'aw-service', '2026-01-01 02:00:00+00', CURRENT_TIMESTAMP, "
        "'running', '{}')"
    )
    with store.begin() as connection:
        connection.execute(claim)
    with pytest.raises(sa.exc.IntegrityError), store.begin() as connection:
        connection.execute(claim)


def test_concurrent_first_starts_migrate_once(postgres_url: str, tmp_path: Path) -> None:
    script = (
        "from otelbi.settings import Settings\n"
        "from otelbi.store.engine import create_store_engine\n"
        "from otelbi.store.migrate import upgrade_to_head\n"
        "upgrade_to_head(create_store_engine(Settings(env_file=None)))\n"
    )
    env = {"POSTGRES_URL": postgres_url, "DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}
    processes = [
        subprocess.Popen([sys.executable, "-c", script], env=env, stderr=subprocess.PIPE, text=True)
        for _ in range(4)
    ]
    errors = [process.communicate(timeout=120)[1] for process in processes]
    assert [process.returncode for process in processes] == [0, 0, 0, 0], errors
    engine = sa.create_engine(postgres_url.replace("postgresql://", "postgresql+psycopg://"))
    with engine.connect() as connection:
        assert connection.execute(sa.text("SELECT count(*) FROM alembic_version")).scalar() == 1
        triggers = connection.execute(
            sa.text("SELECT count(*) FROM pg_trigger WHERE tgname LIKE '%append_only'")
        ).scalar()
    engine.dispose()
    assert triggers == 3  # audit_log, export_records, report_records: each created once


def test_a_store_that_accepts_but_never_answers_fails_within_the_connect_timeout(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A partitioned PostgreSQL (the connection is accepted, nothing comes back) must fail a
    connect, not hold it for the operating system's TCP timeout: shutdown writes, probes and
    calls all wait on it."""
    with socket.create_server(("127.0.0.1", 0), backlog=8) as silent:
        port = silent.getsockname()[1]
        monkeypatch.setenv("POSTGRES_URL", f"postgresql://otelbi@127.0.0.1:{port}/otelbi")
        monkeypatch.setenv("STORE_CONNECT_TIMEOUT_SECONDS", "2")
        engine = create_store_engine(Settings(env_file=None))
        outcome: list[BaseException | None] = []

        def connect() -> None:
            try:
                with engine.connect():
                    outcome.append(None)
            except BaseException as error:  # handed to the test thread
                outcome.append(error)

        attempt = threading.Thread(target=connect, daemon=True)
        attempt.start()
        attempt.join(timeout=60)
        engine.dispose()
    assert outcome, "the connect was still waiting a minute later"
    assert isinstance(outcome[0], sa.exc.OperationalError)
    assert "timeout" in str(outcome[0]).lower()
