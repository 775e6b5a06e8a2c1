"""A domain's warehouse engine that follows its source while the product runs.

SQL Server: one engine for the life of the process (the server is the source of truth).
Embedded DuckDB: the file is watched. When it is replaced (a new copy renamed over it, as
`otelbi warehouse generate|import` do), rewritten or removed, the next caller sees it: a
changed file is opened anew and the old engine retired once its connections come back; a
removed one makes the warehouse unavailable (a 503 naming the file) instead of serving the
deleted copy; a file that appears after a start without it is opened. Looking costs one
`stat` per call.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa

from otelbi.domains import Domain
from otelbi.errors import WarehouseUnavailable
from otelbi.settings import WarehouseSettings
from otelbi.warehouse.engines import create_warehouse_engine, duckdb_path, mssql_url

log = logging.getLogger(__name__)

RETRY_AFTER_SATURATED_SECONDS = 2

FileIdentity = tuple[int, int, int, int] | None
"""(device, inode, size, mtime in ns) of the embedded file; None when there is no file."""


def _identity(path: Path) -> FileIdentity:
    try:
        found = os.stat(path)
    except FileNotFoundError:
        return None
    return (found.st_dev, found.st_ino, found.st_size, found.st_mtime_ns)


NOT_YET_OPENED: FileIdentity = (-1, -1, -1, -1)
RETRY_SECONDS = 1.0
"""A file that would not open is tried again at most this often."""


class LiveWarehouse:
    """The engine of `domain`'s warehouse, reopened when its embedded file changes."""

    def __init__(
        self,
        domain: Domain,
        settings: WarehouseSettings,
        on_open: Callable[[sa.Engine], None] = lambda engine: None,
    ) -> None:
        self._domain = domain
        self._settings = settings
        self._on_open = on_open
        self._path = None if mssql_url(domain, settings) else duckdb_path(domain, settings.data_dir)
        self._lock = threading.Lock()
        self._engine: sa.Engine | None = None
        self._problem: str | None = None
        self._opened = NOT_YET_OPENED
        """The identity of the file the engine reads; a changed one is opened anew."""
        self._retry_at = 0.0
        with self._lock:
            self._follow(self._current_identity())

    @property
    def embedded(self) -> bool:
        """Whether this is the embedded DuckDB copy (else SQL Server)."""
        return self._path is not None

    @property
    def problem(self) -> str | None:
        """Why the warehouse is unavailable, or None while it is open."""
        self.engine_or_none()
        return self._problem

    def engine(self) -> sa.Engine:
        """Return the engine; raise WarehouseUnavailable naming why there is none."""
        engine = self.engine_or_none()
        if engine is None:
            raise WarehouseUnavailable(self._problem or "the warehouse is not available")
        return engine

    def opened_unchanged(self) -> sa.Engine | None:
        """Return the engine if its source is as it was opened, else None; never opens one
        (a `stat` of the embedded file at most: fit for the event loop)."""
        if self._path is not None and self._current_identity() != self._opened:
            return None
        return self._engine

    def engine_or_none(self) -> sa.Engine | None:
        """Return the engine of the source as it is now, or None when it cannot be opened."""
        if self._path is None:
            return self._engine
        identity = self._current_identity()
        if identity != self._opened and time.monotonic() >= self._retry_at:
            with self._lock:
                if identity != self._opened:
                    self._follow(identity)
        return self._engine

    @contextmanager
    def connect(self) -> Iterator[sa.Connection]:
        """Yield a connection: WarehouseUnavailable (503) if the warehouse is down, or if every
        connection of the pool stayed busy for WAREHOUSE_POOL_TIMEOUT_SECONDS."""
        name = self._domain.display_name
        engine = self.engine()
        try:
            connection = engine.connect()
        except sa.exc.TimeoutError as error:
            raise WarehouseUnavailable(
                f"the {name} warehouse is saturated: all {self._settings.warehouse_pool_size} "
                f"of its connections stayed busy for "
                f"{self._settings.warehouse_pool_timeout_seconds:g} s; retry shortly "
                "(WAREHOUSE_POOL_SIZE sets how many calls it serves at once)",
                headers={"Retry-After": str(RETRY_AFTER_SATURATED_SECONDS)},
            ) from error
        except sa.exc.DBAPIError as error:
            raise WarehouseUnavailable(
                f"the {name} warehouse cannot be reached: {error.orig}"
            ) from error
        with connection:
            yield connection

    def dispose(self) -> None:
        """Close the pooled connections (at shutdown)."""
        with self._lock:
            if self._engine is not None:
                self._engine.dispose()

    def _current_identity(self) -> FileIdentity:
        return None if self._path is None else _identity(self._path)

    def _follow(self, identity: FileIdentity) -> None:
        """Make the engine read the file of `identity` (None: there is no file)."""
        opened, first = self._opened, self._opened is NOT_YET_OPENED
        if not first:
            log.warning(
                "the embedded %s warehouse %s changed", self._domain.display_name, self._path
            )
        retired, self._engine = self._engine, None
        in_place = identity is not None and opened is not None and identity[:2] == opened[:2]
        if retired is not None and (identity is None or in_place):
            # Removed, or changed in place: DuckDB opens a file once per process, so the old
            # engine lets go of it first (calls running on it finish).
            retired.dispose()
            retired = None
        if identity is None and not first:
            self._opened = None
            self._problem = (
                f"the embedded {self._domain.display_name} warehouse {self._path} is gone: "
                f"restore it, or run `otelbi warehouse generate {self._domain.value}` or "
                f"`otelbi warehouse import {self._domain.value} --from DIR`"
            )
            log.error("%s", self._problem)
        else:
            self._open(identity)
        if retired is not None:
            # Replaced by another file: calls running on the old one finish there.
            retired.dispose()

    def _open(self, identity: FileIdentity) -> None:
        try:
            engine = create_warehouse_engine(self._domain, self._settings)
        except WarehouseUnavailable as error:
            self._problem = error.detail
            log.error("the %s warehouse is not available: %s", self._domain.display_name, error)
            if identity is None:
                self._opened = None  # nothing to open until a file appears
            else:
                self._retry_at = time.monotonic() + RETRY_SECONDS
            return
        self._on_open(engine)
        self._engine, self._problem, self._opened = engine, None, identity
