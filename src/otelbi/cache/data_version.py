"""A warehouse's data version: the hash of a cheap fingerprint statement's rows.

Each domain declares its fingerprint (row counts, latest date keys and amount totals of the
tables its views read) in the statement catalog, so it passes the read-only guard, compiles
for SQL Server and is reviewed like every other statement. The version is re-read when it
is older than RESULT_CACHE_FRESHNESS_SECONDS, after a job run (`expire`), and at once when
the embedded warehouse file was replaced.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Protocol

import sqlalchemy as sa

from otelbi.telemetry import business_span
from otelbi.warehouse.catalog import Statement


def fingerprint(statement: Statement, connection: sa.Connection) -> str:
    """Return the data version the warehouse behind `connection` holds now."""
    rows = statement.rows(connection)
    return hashlib.sha256(repr([tuple(row) for row in rows]).encode()).hexdigest()[:24]


class Warehouse(Protocol):
    """What the version is read from (warehouse/live.py's LiveWarehouse)."""

    def engine(self) -> sa.Engine:
        """Return the engine of the warehouse as it is now."""

    def opened_unchanged(self) -> sa.Engine | None:
        """Return the engine if its source has not changed, without opening anything."""

    def connect(self) -> AbstractContextManager[sa.Connection]:
        """Return a connection to it (WarehouseUnavailable when there is none)."""


@dataclass(frozen=True)
class Stamp:
    """A data version and the engine it was read through."""

    version: str
    engine: sa.Engine


class DataVersion:
    """The current data version of one warehouse, re-read at most every `freshness_seconds`."""

    def __init__(
        self,
        statement: Statement,
        warehouse: Warehouse,
        *,
        freshness_seconds: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.statement = statement
        self._warehouse = warehouse
        self._freshness = freshness_seconds
        self._clock = clock
        self._lock = threading.Lock()
        self._stamp: Stamp | None = None
        self._fresh_until = float("-inf")

    def current(self, *, reread: bool = False) -> Stamp:
        """Return the data version, re-reading it if it is stale, the engine changed or
        `reread` asks (a user's Refresh: `Cache-Control: no-cache`).

        One caller re-reads; the others wait for it (the statement is cheap) rather than go
        on with a version that may be older than the freshness interval allows.
        """
        stamp = None if reread else self._fresh_stamp(self._warehouse.engine())
        if stamp is not None:
            return stamp
        with self._lock:
            engine = self._warehouse.engine()
            stamp = None if reread else self._fresh_stamp(engine)
            if stamp is None:
                with (
                    business_span(
                        f"otelbi.{self.statement.domain.value}.data_version",
                        {"otelbi.domain": self.statement.domain.value},
                    ) as span,
                    self._warehouse.connect() as connection,
                ):
                    stamp = Stamp(fingerprint(self.statement, connection), engine)
                    span.set_attribute("otelbi.data_version", stamp.version)
                self._stamp = stamp
                self._fresh_until = self._clock() + self._freshness
            return stamp

    def fresh(self) -> Stamp | None:
        """Return the version if it needs no reading (fresh, and the warehouse unchanged);
        never does I/O beyond a `stat`, so the event loop may ask."""
        engine = self._warehouse.opened_unchanged()
        return None if engine is None else self._fresh_stamp(engine)

    def _fresh_stamp(self, engine: sa.Engine) -> Stamp | None:
        stamp = self._stamp
        if stamp is None or stamp.engine is not engine or self._clock() >= self._fresh_until:
            return None
        return stamp

    def expire(self) -> None:
        """Make the next `current` re-read the version (a job ran: data may have changed)."""
        self._fresh_until = float("-inf")
