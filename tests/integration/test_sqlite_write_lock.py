"""The SQLite store's write lock: one writer at a time across threads and processes, a bounded
wait, a forked child competing for it rather than sharing its parent's, and two processes
appending to one store keeping one audit chain."""

from __future__ import annotations

import multiprocessing
import os
import threading
from multiprocessing.connection import Connection
from pathlib import Path

import pytest

from otelbi.errors import StoreUnavailable
from otelbi.settings import Settings
from otelbi.store import audit
from otelbi.store.audit_verify import verify_chain
from otelbi.store.engine import create_store_engine
from otelbi.store.migrate import upgrade_to_head
from otelbi.store.sqlite_write_lock import SqliteWriteLock, sqlite_write_lock

SHORT_WAIT = 0.2
APPENDS_PER_PROCESS = 150


def _hold_until_told(database: str, pipe: Connection) -> None:
    with sqlite_write_lock(database, SHORT_WAIT).held():
        pipe.send("holding")
        pipe.recv()


def test_a_process_waits_for_another_processes_writer_and_then_writes(tmp_path: Path) -> None:
    database = tmp_path / "otelbi.sqlite"
    ours, theirs = multiprocessing.get_context("spawn").Pipe()
    holder = multiprocessing.get_context("spawn").Process(
        target=_hold_until_told, args=(str(database), theirs)
    )
    holder.start()
    try:
        assert ours.recv() == "holding"
        lock = SqliteWriteLock(database, SHORT_WAIT)
        with (
            pytest.raises(StoreUnavailable, match=r"write lock .* stayed taken for 0.2 s"),
            lock.held(),
        ):
            pass
        ours.send("release")
        holder.join(timeout=30)
        with lock.held():  # free again
            pass
    finally:
        holder.kill()
        holder.join()


def test_threads_of_one_process_take_turns(tmp_path: Path) -> None:
    lock = SqliteWriteLock(tmp_path / "otelbi.sqlite", SHORT_WAIT)
    holding, release = threading.Event(), threading.Event()

    def hold() -> None:
        with lock.held():
            holding.set()
            release.wait(30)

    holder = threading.Thread(target=hold)
    holder.start()
    try:
        assert holding.wait(30)
        with pytest.raises(StoreUnavailable), lock.held():
            pass
    finally:
        release.set()
        holder.join()
    with lock.held():
        pass


def test_a_forked_child_competes_for_the_lock_with_its_parent(tmp_path: Path) -> None:
    lock = sqlite_write_lock(str(tmp_path / "otelbi.sqlite"), SHORT_WAIT)
    with lock.held():  # the lock file is open in the parent before the fork
        pass
    parent_holds, child_done = os.pipe(), os.pipe()
    child = os.fork()
    if child == 0:  # the child: once the parent holds the lock, taking it must time out
        os.read(parent_holds[0], 1)
        try:
            with sqlite_write_lock(str(tmp_path / "otelbi.sqlite"), SHORT_WAIT).held():
                code = 1
        except StoreUnavailable:
            code = 0
        os.write(child_done[1], b"x")
        os._exit(code)
    with lock.held():
        os.write(parent_holds[1], b"x")
        os.read(child_done[0], 1)
    _, status = os.waitpid(child, 0)
    assert os.waitstatus_to_exitcode(status) == 0


def _append_rows(data_dir: str, start: multiprocessing.synchronize.Event) -> None:
    os.environ["DATA_DIR"] = data_dir
    os.environ.pop("POSTGRES_URL", None)
    engine = create_store_engine(Settings(env_file=None))
    start.wait(60)
    for number in range(APPENDS_PER_PROCESS):
        audit.append(
            engine,
            audit.AuditEntry(
                actor=f"process-{os.getpid()}",
                domain="aw",
                action="aw.sales.kpis",
                resource="/api/aw/sales/kpis",
                outcome="ok",
                duration_ms=float(number),
            ),
        )
    engine.dispose()


def test_two_processes_appending_to_one_sqlite_store_keep_one_chain(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DATA_DIR", str(tmp_path))
    monkeypatch.delenv("POSTGRES_URL", raising=False)
    engine = create_store_engine(Settings(env_file=None))
    upgrade_to_head(engine)
    before = verify_chain(engine).rows_checked
    context = multiprocessing.get_context("spawn")
    start = context.Event()
    writers = [context.Process(target=_append_rows, args=(str(tmp_path), start)) for _ in range(2)]
    for writer in writers:
        writer.start()
    start.set()
    for writer in writers:
        writer.join(timeout=120)
        assert writer.exitcode == 0
    report = verify_chain(engine)
    engine.dispose()
    assert report.ok, report
    assert report.rows_checked == before + 2 * APPENDS_PER_PROCESS
