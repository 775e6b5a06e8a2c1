"""The audit chain's head belongs to the writer, on PostgreSQL and SQLite: rows inserted into
audit_log by anyone else (the application role may insert) — with a high id and a made-up
prev_hash, on the id the writer would use next, or copying the writer's own link — neither
capture the head nor stop appends; `verify_chain` names them, and health reports them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from alembic import command
from fastapi.testclient import TestClient

from otelbi.service_layout import build_app
from otelbi.settings import RunMode, Settings
from otelbi.store import audit
from otelbi.store.audit_verify import chain_head_state, verify_chain
from otelbi.store.engine import create_store_engine
from otelbi.store.migrate import alembic_config, upgrade_to_head
from otelbi.store.tables import audit_log


@pytest.fixture(params=["postgresql", "sqlite"])
def empty_store(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> Iterator[sa.Engine]:
    """Yield an unmigrated store."""
    if request.param == "postgresql":
        monkeypatch.setenv("POSTGRES_URL", request.getfixturevalue("postgres_url"))
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "var"))
    engine = create_store_engine(Settings(env_file=None))
    yield engine
    engine.dispose()


@pytest.fixture
def store(empty_store: sa.Engine) -> sa.Engine:
    """Return the store, migrated to head."""
    upgrade_to_head(empty_store)
    return empty_store


def _entry(number: int) -> audit.AuditEntry:
    return audit.AuditEntry(
        actor="ada",
        domain="wwi",
        action="wwi.sales.kpis",
        resource="/api/wwi/sales/kpis",
        outcome="ok",
        duration_ms=float(number),
        parameters={"days_back": str(number)},
        status_code=200,
    )


def _append(engine: sa.Engine, count: int) -> list[int]:
    return [audit.append(engine, _entry(number)) for number in range(count)]


def _last_row(engine: sa.Engine) -> dict[str, Any]:
    with engine.connect() as connection:
        row = connection.execute(sa.select(audit_log).order_by(audit_log.c.id.desc())).first()
    assert row is not None
    return dict(row._mapping)


def _insert_forged(engine: sa.Engine, row_id: int, prev_hash: str) -> None:
    """INSERT a row as the application role could: any id, any link, a correct row_hash."""
    forged = {**_last_row(engine), "id": row_id, "actor": "mallory", "prev_hash": prev_hash}
    forged["row_hash"] = audit.row_hash(forged)
    with engine.begin() as connection:
        connection.execute(audit_log.insert(), forged)


def test_a_row_with_a_high_id_and_a_made_up_link_does_not_stop_appends(
    store: sa.Engine,
) -> None:
    ids = _append(store, 5)
    forged_id = ids[-1] + 1000
    _insert_forged(store, forged_id, "f" * 64)
    later = _append(store, 3)
    assert all(row_id < forged_id for row_id in later)
    report = verify_chain(store)
    assert (report.ok, report.bad_ids, report.head_id, report.head_matches) == (
        False,
        [forged_id],
        later[-1],
        True,
    )
    assert chain_head_state(store).startswith("broken: 1 row(s) after the last appended one")


def test_a_row_holding_the_next_id_is_skipped(store: sa.Engine) -> None:
    ids = _append(store, 5)
    taken = ids[-1] + 1
    _insert_forged(store, taken, "e" * 64)
    later = _append(store, 3)
    assert taken not in later
    assert later == sorted(later)
    assert verify_chain(store).bad_ids == [taken]
    assert chain_head_state(store) == "ok"


def test_a_row_copying_the_writers_link_is_named_and_appends_go_on(store: sa.Engine) -> None:
    ids = _append(store, 5)
    head_hash = _last_row(store)["row_hash"]
    taken = ids[-1] + 1
    _insert_forged(store, taken, head_hash)
    later = _append(store, 1)
    # The fork is at the end: the head settles it.
    assert verify_chain(store).bad_ids == [taken]
    later += _append(store, 2)
    report = verify_chain(store)
    assert (report.bad_ids, report.head_id, report.head_matches) == ([taken], later[-1], True)


def test_verification_goes_on_past_several_bad_rows(store: sa.Engine) -> None:
    ids = _append(store, 3)
    _insert_forged(store, ids[-1] + 1, "a" * 64)
    ids += _append(store, 3)
    _insert_forged(store, ids[-1] + 1, "b" * 64)
    ids += _append(store, 3)
    report = verify_chain(store)
    assert report.bad_rows == 2
    assert len(report.bad_ids) == 2
    assert report.rows_checked == 11
    assert report.head_matches


def test_the_migration_starts_the_head_at_the_last_linked_row(empty_store: sa.Engine) -> None:
    with empty_store.connect() as connection:
        config = alembic_config()
        config.attributes["connection"] = connection
        command.upgrade(config, "0004")
        connection.commit()
    prev_hash = audit.GENESIS_HASH
    rows = []
    for row_id in (1, 2, 3):
        values = {**audit._stored_values(_entry(row_id), dt.datetime.now(dt.UTC)), "id": row_id}
        values["prev_hash"] = prev_hash
        values["row_hash"] = prev_hash = audit.row_hash(values)
        rows.append(values)
    forged = {**rows[-1], "id": 999, "prev_hash": "f" * 64}
    forged["row_hash"] = audit.row_hash(forged)
    with empty_store.begin() as connection:
        connection.execute(audit_log.insert(), [*rows, forged])
    upgrade_to_head(empty_store)
    assert audit.append(empty_store, _entry(4)) not in (1, 2, 3, 999)
    report = verify_chain(empty_store)
    assert (report.bad_ids, report.head_matches) == ([999], True)


def test_health_reports_a_row_past_the_head(
    monkeypatch: pytest.MonkeyPatch, postgres_url: str, generated_warehouses: Path
) -> None:
    monkeypatch.setenv("POSTGRES_URL", postgres_url)
    monkeypatch.setenv("DATA_DIR", str(generated_warehouses))
    engine = sa.create_engine(postgres_url.replace("postgresql://", "postgresql+psycopg://"))
    with TestClient(build_app(RunMode.ALL_IN_ONE, Settings(env_file=None))) as client:
        assert client.get("/api/wwi/sales/kpis").status_code == 200
        healthy = client.get("/api/health")
        assert healthy.json()["checks"]["audit_chain"] == "ok"
        _insert_forged(engine, 10**9, "f" * 64)
        broken = client.get("/api/health")
        assert broken.status_code == 503
        assert broken.json()["status"] == "degraded"
        assert broken.json()["checks"]["audit_chain"].startswith("broken: 1 row(s) after")
        # Calls are still answered and audited.
        assert client.get("/api/wwi/sales/kpis").status_code == 200
        assert client.get("/api/aw/sales/kpis").status_code == 200
    engine.dispose()
