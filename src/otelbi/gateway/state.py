"""What the gateway holds while it runs."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import httpx
import sqlalchemy as sa

from otelbi.domains import Domain
from otelbi.jobs.runner import JobRunner
from otelbi.security.user_tokens import UserTokenValidator
from otelbi.settings import Settings
from otelbi.telemetry import Telemetry


@dataclass
class GatewayState:
    """The gateway's resources (set up in its lifespan)."""

    settings: Settings
    store: sa.Engine
    telemetry: Telemetry
    services: dict[Domain, httpx.AsyncClient]
    user_tokens: UserTokenValidator | None
    loop: asyncio.AbstractEventLoop | None = None
    """The event loop the service clients belong to (jobs in other threads call through it)."""
    jobs: JobRunner | None = None
    background: ThreadPoolExecutor = field(
        default_factory=lambda: ThreadPoolExecutor(max_workers=2, thread_name_prefix="job-run")
    )

    def job_runner(self) -> JobRunner:
        """Return the gateway's job runner (set once the lifespan has started)."""
        assert self.jobs is not None, "the lifespan sets the job runner up"
        return self.jobs
