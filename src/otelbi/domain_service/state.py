"""What a domain service holds while it runs: engines, cache, token check, jobs and telemetry."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from otelbi.cache.data_version import DataVersion
from otelbi.cache.results import ResultCache
from otelbi.domains import Domain
from otelbi.jobs.runner import JobRunner
from otelbi.security.internal_tokens import VerifiedTokens
from otelbi.settings import Settings
from otelbi.telemetry import Telemetry
from otelbi.warehouse.live import LiveWarehouse


@dataclass
class ServiceState:
    """The running service's resources (set up in its lifespan).

    `results` is None when the result cache is switched off (RESULT_CACHE_ENABLED=false).
    """

    domain: Domain
    settings: Settings
    store: sa.Engine
    telemetry: Telemetry
    tokens: VerifiedTokens
    warehouse: LiveWarehouse
    data_version: DataVersion
    results: ResultCache | None = None
    jobs: JobRunner | None = None

    def job_runner(self) -> JobRunner:
        """Return the service's job runner (set once the lifespan has started)."""
        assert self.jobs is not None, "the lifespan sets the job runner up"
        return self.jobs
