"""The production roles on PostgreSQL: the application role, granted exactly what
`otelbi db grants` prints (docs/security.md), runs the product but cannot change, remove,
truncate or un-trigger audit rows and export records; and when the audit row cannot be
written, the call fails closed (or, with AUDIT_FAIL_CLOSED=false, is logged and delivered)."""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from otelbi import cli
from otelbi.service_layout import JOBS_BY_SERVICE, build_app
from otelbi.settings import RunMode, Settings
from otelbi.store import audit
from otelbi.store.audit_verify import verify_chain
from otelbi.store.migrate import upgrade_to_head
from otelbi.store.roles import APP_TABLE_PRIVILEGES, app_role_grants
from otelbi.store.tables import metadata

PROJECT_ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class AppRole:
    name: str
    url: str
    """POSTGRES_URL that logs in as the role."""
    owner_url: str
    """POSTGRES_URL of the migration owner (the superuser here)."""


@pytest.fixture
def app_role(postgres_url: str) -> Iterator[AppRole]:
    """Yield a login role (unique: roles are cluster-wide) granted the documented privileges."""
    owner = _engine(postgres_url)
    upgrade_to_head(owner)
    owner.dispose()
    role = f"otelbi_app_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(postgres_url, autocommit=True) as admin:
        admin.execute(f"CREATE ROLE {role} LOGIN")
        for statement in app_role_grants(role):
            admin.execute(statement)
    try:
        yield AppRole(role, postgres_url.replace("postgres@", f"{role}@", 1), postgres_url)
    finally:
        with psycopg.connect(postgres_url, autocommit=True) as admin:
            admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = %s",
                (role,),
            )
            admin.execute(f"DROP OWNED BY {role}")
            admin.execute(f"DROP ROLE {role}")


def _engine(url: str) -> sa.Engine:
    return sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://"))


def test_the_grants_cover_every_table_and_nothing_else() -> None:
    assert set(APP_TABLE_PRIVILEGES) == set(metadata.tables) | {"alembic_version"}
    assert APP_TABLE_PRIVILEGES["audit_log"] == ("SELECT", "INSERT")
    assert APP_TABLE_PRIVILEGES["export_records"] == ("SELECT", "INSERT")
    with pytest.raises(ValueError, match="role name"):
        app_role_grants("app; DROP TABLE audit_log")


def test_the_documented_grants_are_what_the_command_prints(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert cli.main(["db", "grants"]) == 0
    printed = capsys.readouterr().out.strip()
    security = (PROJECT_ROOT / "docs" / "security.md").read_text()
    blocks = re.findall(r"```sql\n(.*?)```", security, flags=re.DOTALL)
    assert any(printed in block for block in blocks), "docs/security.md: paste `otelbi db grants`"


@pytest.mark.parametrize("table", ["audit_log", "export_records"])
@pytest.mark.parametrize(
    "change",
    [
        "UPDATE {table} SET actor = 'mallory'",
        "DELETE FROM {table}",
        "TRUNCATE {table}",
        "ALTER TABLE {table} DISABLE TRIGGER ALL",
        "ALTER TABLE {table} DISABLE TRIGGER USER",
        "DROP TRIGGER {table}_append_only ON {table}",
        "DROP TABLE {table}",
        "ALTER TABLE {table} OWNER TO CURRENT_USER",
    ],
)
def test_the_app_role_cannot_change_what_was_appended(
    app_role: AppRole, table: str, change: str
) -> None:
    engine = _engine(app_role.url)
    audit.append(
        engine,
        audit.AuditEntry(
            actor="ada", domain="aw", action="a", resource="/", outcome="ok", duration_ms=1
        ),
    )
    engine.dispose()
    with psycopg.connect(app_role.url) as connection:
        connection.execute(
            "INSERT INTO export_records (created_at, actor, domain, view, format, parameters, "
            "rows, bytes, sha256, duration_ms) VALUES (now(), 'ada', 'aw', 'rep-scores', 'csv', "
            "'{}', 3, 100, 'ab', 2.0)"
        )
        connection.commit()
        assert connection.execute("SELECT current_user").fetchone() == (app_role.name,)
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            connection.execute(change.format(table=table))
        connection.rollback()
        assert connection.execute(f"SELECT count(*), min(actor) FROM {table}").fetchone() == (
            1,
            "ada",
        )
    with psycopg.connect(app_role.owner_url) as owner:
        enabled = owner.execute(
            "SELECT count(*) FROM pg_trigger WHERE tgrelid = %s::regclass AND tgenabled = 'O' "
            "AND NOT tgisinternal",
            (table,),
        ).fetchone()
    assert enabled == (2,)


@pytest.fixture
def app_as_role(
    monkeypatch: pytest.MonkeyPatch, app_role: AppRole, generated_warehouses: Path
) -> AppRole:
    """Point the product at the store as the application role."""
    monkeypatch.setenv("POSTGRES_URL", app_role.url)
    monkeypatch.setenv("DATA_DIR", str(generated_warehouses))
    return app_role


def test_the_product_runs_as_the_app_role(app_as_role: AppRole) -> None:
    with TestClient(build_app(RunMode.ALL_IN_ONE, Settings(env_file=None))) as client:
        assert client.get("/api/health").status_code == 200
        assert client.get("/api/aw/sales/kpis").status_code == 200
        assert client.get("/api/wwi/sales/kpis").status_code == 200
        assert [row["action"] for row in client.get("/api/audit").json()["items"]] == [
            "wwi.sales.kpis",
            "aw.sales.kpis",
        ]
        assert client.get("/api/audit/verify").json()["ok"] is True
    for jobs in JOBS_BY_SERVICE.values():
        for job in jobs:
            cli.main(["jobs", "run", job.job_id])
    owner = _engine(app_as_role.owner_url)
    with owner.connect() as connection:
        runs = connection.execute(sa.text("SELECT job_id, status, error FROM job_executions")).all()
    assert verify_chain(owner).ok
    owner.dispose()
    assert len(runs) == sum(len(jobs) for jobs in JOBS_BY_SERVICE.values())
    for job_id, status, error in runs:
        assert status in {"succeeded", "failed"}, (job_id, status)
        assert "permission denied" not in (error or ""), (job_id, error)


def test_a_call_whose_audit_row_cannot_be_written_fails_closed(app_as_role: AppRole) -> None:
    with TestClient(build_app(RunMode.ALL_IN_ONE, Settings(env_file=None))) as client:
        assert client.get("/api/aw/sales/kpis").status_code == 200
        with psycopg.connect(app_as_role.owner_url, autocommit=True) as admin:
            admin.execute(f"REVOKE INSERT ON audit_log FROM {app_as_role.name}")
        kpis = client.get("/api/aw/sales/kpis", params={"days_back": 30})
        assert kpis.status_code == 503
        # The store is named; the database's text ("permission denied …") goes to the log.
        assert kpis.json() == {
            "error": "unavailable",
            "detail": "the write store is unavailable: try again shortly (the server log has "
            "the cause under this response's x-trace-id)",
        }
        assert "revenue" not in kpis.text
        assert len(client.get("/api/audit").json()["items"]) == 1  # reading still works


def test_with_fail_closed_off_the_call_is_delivered_and_the_failure_logged(
    app_as_role: AppRole, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("AUDIT_FAIL_CLOSED", "false")
    with psycopg.connect(app_as_role.owner_url, autocommit=True) as admin:
        admin.execute(f"REVOKE INSERT ON audit_log FROM {app_as_role.name}")
    with (
        caplog.at_level(logging.ERROR, logger="otelbi.store.audit"),
        TestClient(build_app(RunMode.ALL_IN_ONE, Settings(env_file=None))) as client,
    ):
        kpis = client.get("/api/aw/sales/kpis", params={"days_back": 30})
        assert kpis.status_code == 200
        assert kpis.json()["total"]["revenue"] > 0
        assert client.get("/api/audit").json()["items"] == []
    failures = [r for r in caplog.records if r.name == "otelbi.store.audit"]
    assert len(failures) == 1
    assert failures[0].levelno == logging.ERROR
    message = failures[0].getMessage()
    assert "AUDIT_FAIL_CLOSED=false" in message
    assert "action=aw.sales.kpis" in message
    assert "permission denied" in message
