"""The PostgreSQL store's pooled connections: one the server ended is replaced before it is
used, and a live one is used without a ping round trip first."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
import sqlalchemy as sa

from otelbi.settings import Settings
from otelbi.store import audit
from otelbi.store.engine import create_store_engine
from otelbi.store.migrate import upgrade_to_head


@pytest.fixture
def store(
    monkeypatch: pytest.MonkeyPatch, postgres_url: str, tmp_path: Path
) -> Iterator[sa.Engine]:
    monkeypatch.setenv("POSTGRES_URL", postgres_url)
    monkeypatch.setenv("DATA_DIR", str(tmp_path))
    engine = create_store_engine(Settings(env_file=None))
    upgrade_to_head(engine)
    yield engine
    engine.dispose()


def _end_every_session(postgres_url: str) -> None:
    """End the database's sessions as a server restart would, and wait until they are gone."""
    database = postgres_url.rsplit("/", 1)[1]
    with psycopg.connect(postgres_url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as admin:
        ended = admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = %s AND pid <> pg_backend_pid()",
            (database,),
        ).fetchall()
        assert ended, "no pooled session to end: the test proves nothing"
        deadline = time.monotonic() + 10
        while admin.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = %s", (database,)
        ).fetchone() != (0,):
            assert time.monotonic() < deadline, "the sessions did not end"
            time.sleep(0.01)


def _entry(number: int) -> audit.AuditEntry:
    return audit.AuditEntry(
        actor="ada", domain="aw", action="test", resource="/", outcome="ok", duration_ms=number
    )


def test_a_live_connection_is_used_without_a_ping(
    store: sa.Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    pings: list[object] = []
    ping = store.dialect.do_ping
    monkeypatch.setattr(store.dialect, "do_ping", lambda c: pings.append(c) or ping(c))
    ids = [audit.append(store, _entry(number)) for number in range(5)]
    assert (ids, pings) == ([1, 2, 3, 4, 5], [])


def test_connections_the_server_ended_are_replaced_before_they_are_used(
    store: sa.Engine, postgres_url: str
) -> None:
    with store.connect() as first, store.connect() as second:  # two pooled connections
        first.execute(sa.text("SELECT 1"))
        second.execute(sa.text("SELECT 1"))
    _end_every_session(postgres_url)
    ids = [audit.append(store, _entry(number)) for number in range(3)]
    with store.connect() as first, store.connect() as second:
        assert first.execute(sa.text("SELECT 1")).scalar_one() == 1
        assert second.execute(sa.text("SELECT 1")).scalar_one() == 1
    assert ids == [1, 2, 3]
