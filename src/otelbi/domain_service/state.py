"""What a domain service holds while it runs: its engines, secret, jobs and telemetry."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import sqlalchemy as sa

from otelbi.domains import Domain
from otelbi.errors import WarehouseUnavailable
from otelbi.jobs.runner import JobRunner
from otelbi.settings import Settings
from otelbi.telemetry import Telemetry


@dataclass
class ServiceState:
    """The running service's resources (set up in its lifespan)."""

    domain: Domain
    settings: Settings
    store: sa.Engine
    telemetry: Telemetry
    internal_secret: str
    allowed_issuers: frozenset[str]
    warehouse_engine: sa.Engine | None
    warehouse_problem: str | None
    jobs: JobRunner | None = None
    background: ThreadPoolExecutor = field(
        default_factory=lambda: ThreadPoolExecutor(max_workers=2, thread_name_prefix="job-run")
    )

    def warehouse(self) -> sa.Engine:
        """Return the warehouse engine; raise WarehouseUnavailable if it could not be opened."""
        if self.warehouse_engine is None:
            raise WarehouseUnavailable(self.warehouse_problem or "the warehouse is not available")
        return self.warehouse_engine

    def job_runner(self) -> JobRunner:
        """Return the service's job runner (set once the lifespan has started)."""
        assert self.jobs is not None, "the lifespan sets the job runner up"
        return self.jobs
