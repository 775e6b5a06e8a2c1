"""Job leases: running executions renew a heartbeat; abandoned ones are marked interrupted.

While its process is alive, a run renews `heartbeat_at` every third of JOBS_LEASE_SECONDS. A
`running` row whose heartbeat is older than the lease was abandoned — its process was killed,
or lost the store mid-run and could not record the end — and any replica of its service (or
the service's next start) marks it `interrupted`, saying why. Replicas' clocks must agree to
well within the lease (NTP does).
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable, Collection

import sqlalchemy as sa
from opentelemetry.instrumentation.utils import suppress_instrumentation
from sqlalchemy.exc import DBAPIError

from otelbi.jobs import executions

log = logging.getLogger(__name__)


class LeaseKeeper:
    """Renews the leases of one process's runs and ends its service's abandoned runs, from a
    daemon thread: at once when started, then every third of the lease."""

    def __init__(
        self,
        store: sa.Engine,
        *,
        service: str,
        lease: dt.timedelta,
        in_flight: Callable[[], Collection[int]],
    ) -> None:
        self._store = store
        self._service = service
        self._lease = lease
        self._in_flight = in_flight
        self._stopped = threading.Event()
        self._thread = threading.Thread(
            target=self._keep, name=f"{service}-job-leases", daemon=True
        )

    def start(self) -> None:
        """Start the thread (its first round marks the runs abandoned before this start)."""
        self._thread.start()

    def stop(self) -> None:
        """Stop renewing; returns at once (a round in progress ends with the process)."""
        self._stopped.set()

    def beat(self, now: dt.datetime) -> list[int]:
        """Renew this process's runs, then interrupt the service's stale ones; return their ids."""
        executions.renew_leases(self._store, self._in_flight(), now)
        stale = executions.interrupt_stale(
            self._store, service=self._service, lease=self._lease, now=now
        )
        if stale:
            log.warning(
                "%s: job executions %s had no heartbeat for %g s: marked interrupted",
                self._service,
                ", ".join(map(str, stale)),
                self._lease.total_seconds(),
            )
        return stale

    def _keep(self) -> None:
        # Housekeeping, not work anyone asked for: no trace every few seconds.
        with suppress_instrumentation():
            while not self._stopped.is_set():
                try:
                    self.beat(dt.datetime.now(dt.UTC))
                except DBAPIError as error:
                    log.warning("%s: job leases not renewed: %s", self._service, error.orig)
                self._stopped.wait(self._lease.total_seconds() / 3)
