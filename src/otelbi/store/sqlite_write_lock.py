"""One writer of a SQLite store at a time, across processes, handed over within a millisecond.

SQLite lets one connection write at a time. One that finds the write lock taken sleeps in its
busy handler, in steps that grow to 100 ms, so with two worker processes appending audit rows
under load every lost race cost up to a tenth of a second: p95 over 500 ms and p99 about a
second at 660–760 calls/s (docs/performance.md). A transaction that writes the audit chain
(`audit.chain_transaction`) therefore takes this lock before SQLite's: the threads of a process
queue on a `threading.Lock`, the processes on an `flock` of a file beside the database, tried
every `POLL_SECONDS`. SQLite's own lock is still taken (BEGIN IMMEDIATE) inside it, so a writer
that does not use this lock stays correct, only slower.

A wait ends after `timeout` seconds, as SQLite's busy timeout does: StoreUnavailable (503), so
a process that hangs while holding the lock cannot hang every other writer with it.
"""

from __future__ import annotations

import fcntl
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from otelbi.errors import StoreUnavailable

POLL_SECONDS = 0.0001
"""How often a process waiting for another process's writer tries the lock again: a write
holds it about a millisecond, and only one thread of a process polls (the others queue on
its threading.Lock)."""
SUFFIX = ".write-lock"
"""The lock file is the database's path with this appended."""


class SqliteWriteLock:
    """The write lock of the SQLite store at one path, in this process."""

    def __init__(self, database: Path, timeout: float) -> None:
        self._path = database.with_name(database.name + SUFFIX)
        self._timeout = timeout
        self._threads = threading.Lock()
        self._descriptor: int | None = None

    @contextmanager
    def held(self) -> Iterator[None]:
        """Hold the lock for the block; StoreUnavailable after waiting `timeout` seconds."""
        deadline = time.monotonic() + self._timeout
        if not self._threads.acquire(timeout=self._timeout):
            raise self._busy()
        try:
            if self._descriptor is None:
                self._descriptor = os.open(self._path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
            self._lock_file(self._descriptor, deadline)
            try:
                yield
            finally:
                fcntl.flock(self._descriptor, fcntl.LOCK_UN)
        finally:
            self._threads.release()

    def close(self) -> None:
        """Close the lock file (a process's copy; what other processes hold is theirs)."""
        if self._descriptor is not None:
            os.close(self._descriptor)
            self._descriptor = None

    def _lock_file(self, descriptor: int, deadline: float) -> None:
        while True:
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise self._busy() from None
                time.sleep(POLL_SECONDS)

    def _busy(self) -> StoreUnavailable:
        return StoreUnavailable(
            f"the store's write lock ({self._path}) stayed taken for {self._timeout:g} s: "
            "another process is writing; retry shortly"
        )


class _Registry:
    """Each SQLite store's write lock in this process, by the database path as configured."""

    def __init__(self) -> None:
        self.guard = threading.Lock()
        self.locks: dict[str, SqliteWriteLock] = {}

    def forget(self) -> None:
        """Start afresh in a forked child: a descriptor inherited from the parent would share
        the parent's lock instead of competing for it."""
        for lock in self.locks.values():
            lock.close()
        self.guard = threading.Lock()
        self.locks = {}


_REGISTRY = _Registry()
os.register_at_fork(after_in_child=_REGISTRY.forget)


def sqlite_write_lock(database: str, timeout: float) -> SqliteWriteLock:
    """Return this process's write lock of the SQLite store at `database`.

    Called for every write transaction: a dictionary lookup; the path is resolved once, when
    the lock is made.
    """
    lock = _REGISTRY.locks.get(database)
    if lock is None:
        with _REGISTRY.guard:
            lock = _REGISTRY.locks.get(database)
            if lock is None:
                lock = SqliteWriteLock(Path(database).resolve(), timeout)
                _REGISTRY.locks[database] = lock
    return lock
