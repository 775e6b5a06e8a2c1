"""The audit log's hash chain on PostgreSQL and SQLite: appended rows form one unbroken
chain, even under concurrent writers; an edit, a deletion or a re-hashed forgery made by
someone who can switch the append-only triggers off is named by `verify_chain`, by
`otelbi audit verify` and by GET /api/audit/verify. (Rows inserted by the application role:
test_audit_head.py.)"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import math
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from alembic import command
from fastapi.testclient import TestClient

from otelbi import cli
from otelbi.service_layout import build_app
from otelbi.settings import RunMode, Settings
from otelbi.store import audit
from otelbi.store.audit_verify import ChainReport, verify_chain
from otelbi.store.engine import create_store_engine
from otelbi.store.migrate import alembic_config, upgrade_to_head
from otelbi.store.tables import Json, Timestamp, audit_log

GENESIS = "0" * 64


@pytest.fixture(params=["postgresql", "sqlite"])
def empty_store(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> Iterator[sa.Engine]:
    """Yield an unmigrated store (POSTGRES_URL / DATA_DIR are set, so the CLI finds it too)."""
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


def _entry(number: int, actor: str = "ada", **changes: Any) -> audit.AuditEntry:
    values: dict[str, Any] = {
        "actor": actor,
        "domain": "aw",
        "action": "aw.sales.kpis",
        "resource": "/api/aw/sales/kpis",
        "outcome": "ok",
        "duration_ms": 10 + number / 7,
        "parameters": {"days_back": str(number)},
        "status_code": 200,
        "trace_id": f"{number:032x}",
    }
    return audit.AuditEntry(**(values | changes))


def _append_rows(engine: sa.Engine, count: int) -> list[int]:
    return [audit.append(engine, _entry(number)) for number in range(1, count + 1)]


def _tamper(engine: sa.Engine, statement: str, parameters: dict[str, Any] | None = None) -> None:
    """Change audit_log the way its owner could: triggers off, change, triggers back on."""
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            connection.execute(sa.text("ALTER TABLE audit_log DISABLE TRIGGER USER"))
            connection.execute(sa.text(statement), parameters or {})
            connection.execute(sa.text("ALTER TABLE audit_log ENABLE TRIGGER USER"))
            return
        triggers = connection.execute(
            sa.text("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = :t"),
            {"t": "audit_log"},
        ).all()
        assert len(triggers) == 2
        for name, _sql in triggers:
            connection.execute(sa.text(f"DROP TRIGGER {name}"))
        connection.execute(sa.text(statement), parameters or {})
        for _name, sql in triggers:
            connection.execute(sa.text(sql))


def _stored_rows(engine: sa.Engine) -> list[sa.RowMapping]:
    with engine.connect() as connection:
        return list(connection.execute(sa.select(audit_log).order_by(audit_log.c.id)).mappings())


def test_appended_rows_form_one_chain(store: sa.Engine) -> None:
    ids = _append_rows(store, 20)
    rows = _stored_rows(store)
    assert [row["id"] for row in rows] == ids
    assert rows[0]["prev_hash"] == GENESIS
    for previous, row in itertools.pairwise(rows):
        assert row["prev_hash"] == previous["row_hash"]
    for row in rows:
        assert row["row_hash"] == audit.row_hash(row)
    assert verify_chain(store) == ChainReport(
        ok=True, rows_checked=20, first_bad_id=None, head_id=ids[-1]
    )


def test_an_empty_log_verifies(store: sa.Engine) -> None:
    assert verify_chain(store) == ChainReport(ok=True, rows_checked=0, first_bad_id=None)


def test_an_edited_row_is_named(store: sa.Engine) -> None:
    ids = _append_rows(store, 20)
    tampered = ids[6]
    _tamper(store, "UPDATE audit_log SET actor = 'mallory' WHERE id = :id", {"id": tampered})
    assert [row["actor"] for row in _stored_rows(store)].count("mallory") == 1
    assert verify_chain(store) == ChainReport(
        ok=False,
        rows_checked=20,
        first_bad_id=tampered,
        bad_ids=[tampered],
        bad_rows=1,
        head_id=ids[-1],
    )


def test_an_edited_parameter_or_timestamp_is_named(store: sa.Engine) -> None:
    ids = _append_rows(store, 20)
    _tamper(
        store,
        "UPDATE audit_log SET occurred_at = occurred_at - INTERVAL '1 day' WHERE id = :id"
        if store.dialect.name == "postgresql"
        else "UPDATE audit_log SET occurred_at = datetime(occurred_at, '-1 day') WHERE id = :id",
        {"id": ids[15]},
    )
    _tamper(store, "UPDATE audit_log SET duration_ms = 99.001 WHERE id = :id", {"id": ids[11]})
    assert verify_chain(store).bad_ids == [ids[11], ids[15]]


def test_a_deleted_row_is_found_at_the_next_one(store: sa.Engine) -> None:
    ids = _append_rows(store, 20)
    _tamper(store, "DELETE FROM audit_log WHERE id = :id", {"id": ids[9]})
    assert verify_chain(store) == ChainReport(
        ok=False,
        rows_checked=19,
        first_bad_id=ids[10],
        bad_ids=[ids[10]],
        bad_rows=1,
        head_id=ids[-1],
    )


def test_a_forged_row_with_a_recomputed_hash_is_found_at_the_next_one(store: sa.Engine) -> None:
    ids = _append_rows(store, 20)
    forged = {**_stored_rows(store)[4], "actor": "mallory"}
    _tamper(
        store,
        "UPDATE audit_log SET actor = 'mallory', row_hash = :hash WHERE id = :id",
        {"hash": audit.row_hash(forged), "id": ids[4]},
    )
    assert verify_chain(store) == ChainReport(
        ok=False,
        rows_checked=20,
        first_bad_id=ids[5],
        bad_ids=[ids[5]],
        bad_rows=1,
        head_id=ids[-1],
    )


TRICKY_PARAMETERS: dict[Any, Any] = {
    "big_float": 1e16,
    "huge_float": 1.7976931348623157e308,
    "small_float": 1e-7,
    "negative_zero": -0.0,
    "not_a_number": math.nan,
    "infinity": -math.inf,
    "whole_float": 100.0,
    "precise": 0.1 + 0.2,
    "big_int": 2**70,
    "flags": [True, False, None],
    "nul": "a\x00b",
    "lone_surrogate": "x\ud800y",
    "unicode": "Zürich 東京 🚀",
    "nested": {"b": [1, {"c": 2.5}], "a": {"z": "", "": "empty key"}},
    7: "an int key",
    "a_tuple": (1, 2),
}


def test_values_are_stored_exactly_as_hashed(store: sa.Engine) -> None:
    audit.append(
        store,
        _entry(
            1,
            actor="a" * 300,
            parameters=TRICKY_PARAMETERS,
            duration_ms=12.34567,
            detail="line\x00break",
            client_address="203.0.113.9",
        ),
    )
    audit.append(store, _entry(2, duration_ms=-0.0001, status_code=None, trace_id=None))
    assert verify_chain(store).ok
    first = _stored_rows(store)[0]
    assert first["actor"] == "a" * 255
    assert first["duration_ms"] == 12.346
    assert first["detail"] == "line\ufffdbreak"
    assert first["client_address"] == "203.0.113.9"
    stored = first["parameters"]
    assert stored["big_float"] == "1e+16"
    assert stored["not_a_number"] == "nan"
    assert stored["infinity"] == "-inf"
    assert stored["negative_zero"] == 0.0
    assert stored["big_int"] == 2**70
    assert stored["nul"] == "a\ufffdb"
    assert stored["lone_surrogate"] == "x?y"
    assert stored["unicode"] == "Zürich 東京 🚀"
    assert stored["7"] == "an int key"
    assert stored["a_tuple"] == [1, 2]


def test_secrets_are_not_stored(store: sa.Engine) -> None:
    jwt = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhZGEifQ.c2lnbmF0dXJl"
    audit.append(
        store,
        _entry(
            1,
            parameters={
                "password": "hunter2",
                "filters": {"api_key": "k-123", "region": "EU"},
                "next": f"https://bi.example/cb?id_token={jwt}",
                "header": f"Bearer {jwt}",
            },
        ),
    )
    stored = _stored_rows(store)[0]["parameters"]
    assert stored == {
        "password": "***",
        "filters": {"api_key": "***", "region": "EU"},
        "next": "https://bi.example/cb?id_token=***",
        "header": "Bearer ***",
    }
    assert jwt not in json.dumps(stored)
    assert verify_chain(store).ok


THREADS, PER_THREAD = 8, 25


def _append_from_threads(*engines: sa.Engine) -> None:
    """Append PER_THREAD rows from each of THREADS threads at once, thread n through
    engines[n % len(engines)]; fail on any error."""
    start = threading.Barrier(THREADS)
    failures: list[BaseException] = []

    def writer(number: int) -> None:
        engine = engines[number % len(engines)]
        start.wait()
        try:
            for index in range(PER_THREAD):
                audit.append(engine, _entry(index, actor=f"writer-{number}"))
        except BaseException as error:
            failures.append(error)

    workers = [threading.Thread(target=writer, args=(number,)) for number in range(THREADS)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
    assert failures == []


def test_concurrent_threads_keep_one_chain(store: sa.Engine) -> None:
    _append_from_threads(store)
    report = verify_chain(store)
    assert (report.ok, report.rows_checked, report.bad_ids) == (True, THREADS * PER_THREAD, [])
    actors = [row["actor"] for row in _stored_rows(store)]
    assert actors != sorted(actors), "the writers did not overlap: the test proves nothing"


def test_concurrent_processes_keep_one_chain(postgres_url: str, tmp_path: Path) -> None:
    engine = sa.create_engine(postgres_url.replace("postgresql://", "postgresql+psycopg://"))
    upgrade_to_head(engine)
    script = (
        "import sys, time\n"
        "from otelbi.settings import Settings\n"
        "from otelbi.store import audit\n"
        "from otelbi.store.engine import create_store_engine\n"
        "engine = create_store_engine(Settings(env_file=None))\n"
        "time.sleep(max(0.0, float(sys.argv[2]) - time.time()))\n"
        "for i in range(25):\n"
        "    audit.append(engine, audit.AuditEntry(actor=sys.argv[1], domain='aw', "
        "action='load', resource='/', outcome='ok', duration_ms=i))\n"
    )
    env = {"POSTGRES_URL": postgres_url, "DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}
    start_at = str(time.time() + 3)
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", script, f"process-{n}", start_at],
            env=env,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(4)
    ]
    errors = [process.communicate(timeout=120)[1] for process in processes]
    assert [process.returncode for process in processes] == [0, 0, 0, 0], errors
    report = verify_chain(engine)
    assert (report.ok, report.rows_checked, report.bad_ids) == (True, 100, [])
    actors = [row["actor"] for row in _stored_rows(engine)]
    engine.dispose()
    assert actors != sorted(actors), "the processes did not overlap: the test proves nothing"


def test_a_sole_writer_appends_in_one_statement_without_the_lock(postgres_url: str) -> None:
    engine = sa.create_engine(postgres_url.replace("postgresql://", "postgresql+psycopg://"))
    upgrade_to_head(engine)
    _append_rows(engine, 2)  # the second locked append finds the head the first one left
    statements: list[str] = []
    sa.event.listen(engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    ids = _append_rows(engine, 20)
    engine.dispose()
    assert len(statements) == 20
    assert not [s for s in statements if "FOR UPDATE" in s]
    assert ids == list(range(3, 23))
    report = verify_chain(engine)
    assert (report.ok, report.rows_checked, report.head_id, report.head_matches) == (
        True,
        22,
        22,
        True,
    )


def test_a_locked_batch_of_several_rows_is_compiled_once(store: sa.Engine) -> None:
    """Group commit hands the locked path batches of several rows under load: their insert
    must come from SQLAlchemy's compiled cache, not be compiled again each time."""
    cache: list[str] = []
    sa.event.listen(
        store,
        "after_cursor_execute",
        lambda _c, _cur, statement, _p, context, _m: (
            cache.append(context.cache_hit.name) if "INSERT" in statement else None
        ),
    )
    for round_number in range(3):
        batch = [
            audit._stored_values(_entry(round_number * 3 + n), dt.datetime.now(dt.UTC))
            for n in range(3)
        ]
        with audit.chain_transaction(store) as connection:
            audit._link_and_insert(connection, batch)
            connection.commit()
    report = verify_chain(store)
    assert (report.ok, report.rows_checked) == (True, 9)
    assert cache[1:] == ["CACHE_HIT"] * (len(cache) - 1), cache


def test_writers_appending_from_a_head_another_moved_keep_one_chain(postgres_url: str) -> None:
    url = postgres_url.replace("postgresql://", "postgresql+psycopg://")
    # Two URLs of one database: two writers that know nothing of each other's appends, as
    # two processes are (a process's engines of one URL share what they know of the head).
    first = sa.create_engine(url)
    second = sa.create_engine(f"{url}?application_name=second-writer")
    upgrade_to_head(first)
    _append_rows(first, 2)
    _append_rows(second, 2)  # each writer now expects the head it left; the first one's moved
    statements: list[str] = []
    sa.event.listen(first, "before_cursor_execute", lambda *a: statements.append(a[2]))
    assert _append_rows(first, 1) == [5]
    assert [s for s in statements if "FOR UPDATE" in s], "the moved head was not noticed"
    _append_from_threads(first, second)
    report = verify_chain(first)
    rows = _stored_rows(first)
    first.dispose()
    second.dispose()
    assert (report.ok, report.rows_checked, report.bad_ids, report.head_matches) == (
        True,
        5 + THREADS * PER_THREAD,
        [],
        True,
    )
    assert [row["id"] for row in rows] == list(range(1, 6 + THREADS * PER_THREAD))
    actors = [row["actor"] for row in rows]
    assert actors != sorted(actors), "the writers did not overlap: the test proves nothing"


def test_the_migration_chains_existing_rows(empty_store: sa.Engine) -> None:
    with empty_store.connect() as connection:
        config = alembic_config()
        config.attributes["connection"] = connection
        command.upgrade(config, "0001")
        connection.commit()
    rows_of_0001 = sa.table(
        "audit_log",
        *(sa.column(name) for name in ("actor", "domain", "action", "resource", "outcome")),
        sa.column("occurred_at", Timestamp),
        sa.column("parameters", Json),
        sa.column("duration_ms", sa.Float),
    )
    with empty_store.begin() as connection:
        connection.execute(
            rows_of_0001.insert(),
            [
                {
                    "actor": "ada",
                    "domain": "aw",
                    "action": "aw.sales.kpis",
                    "resource": "/api/aw/sales/kpis",
                    "outcome": "ok",
                    "occurred_at": dt.datetime(2026, 1, 31, 8, number, tzinfo=dt.UTC),
                    "parameters": {"n": number, "third": number / 3, "text": "ü"},
                    "duration_ms": number / 3,
                }
                for number in range(5)
            ],
        )
    upgrade_to_head(empty_store)
    report = verify_chain(empty_store)
    assert (report.ok, report.rows_checked, report.bad_ids) == (True, 5, [])
    audit.append(empty_store, _entry(6))
    assert verify_chain(empty_store).rows_checked == 6
    for change in ("UPDATE audit_log SET actor = 'mallory'", "DELETE FROM audit_log"):
        with (
            pytest.raises(sa.exc.DBAPIError, match="append-only"),
            empty_store.begin() as connection,
        ):
            connection.execute(sa.text(change))


def test_the_command_line_names_the_edited_row(
    store: sa.Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    ids = _append_rows(store, 20)
    assert cli.main(["audit", "verify"]) == 0
    assert json.loads(capsys.readouterr().out) == {
        "ok": True,
        "rows_checked": 20,
        "first_bad_id": None,
        "bad_ids": [],
        "bad_rows": 0,
        "head_id": ids[-1],
        "head_matches": True,
        "checkpoints": None,
    }
    _tamper(store, "UPDATE audit_log SET actor = 'mallory' WHERE id = :id", {"id": ids[12]})
    assert cli.main(["audit", "verify"]) == 1
    assert json.loads(capsys.readouterr().out) == {
        "ok": False,
        "rows_checked": 20,
        "first_bad_id": ids[12],
        "bad_ids": [ids[12]],
        "bad_rows": 1,
        "head_id": ids[-1],
        "head_matches": True,
        "checkpoints": None,
    }


def test_the_endpoint_names_a_row_edited_after_real_calls(
    monkeypatch: pytest.MonkeyPatch, postgres_url: str, generated_warehouses: Path
) -> None:
    monkeypatch.setenv("POSTGRES_URL", postgres_url)
    monkeypatch.setenv("DATA_DIR", str(generated_warehouses))
    engine = sa.create_engine(postgres_url.replace("postgresql://", "postgresql+psycopg://"))
    with TestClient(build_app(RunMode.ALL_IN_ONE, Settings(env_file=None))) as client:
        for days_back in range(1, 21):
            domain = "aw" if days_back % 2 else "wwi"
            response = client.get(f"/api/{domain}/sales/kpis", params={"days_back": days_back})
            assert response.status_code == 200
        verified = client.get("/api/audit/verify").json()
        assert (verified["ok"], verified["rows_checked"], verified["bad_ids"]) == (True, 20, [])
        target = client.get("/api/audit", params={"limit": 8}).json()["items"][-1]["id"]
        _tamper(
            engine,
            'UPDATE audit_log SET parameters = \'{"days_back": "365"}\' WHERE id = :id',
            {"id": target},
        )
        report = client.get("/api/audit/verify")
        assert report.status_code == 200
        assert report.json() | {"head_id": 0} == {
            "ok": False,
            "rows_checked": 20,
            "first_bad_id": target,
            "bad_ids": [target],
            "bad_rows": 1,
            "head_id": 0,
            "head_matches": True,
        }
    engine.dispose()
