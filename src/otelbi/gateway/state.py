"""What the gateway holds while it runs."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

import httpx
import sqlalchemy as sa

from otelbi.domains import GATEWAY_SERVICE_NAME, Domain
from otelbi.gateway.denied_bursts import DeniedBursts
from otelbi.gateway.rate_limits import ReportLimits
from otelbi.jobs.runner import JobRunner
from otelbi.security.internal_tokens import InternalTokens
from otelbi.security.user_tokens import UserTokenValidator
from otelbi.settings import Settings
from otelbi.telemetry import Telemetry

URLS_KEPT = 1024
"""Forwarded URLs a ServiceConnection remembers (the dashboard's few dozen, bounded against
callers that vary them)."""


@dataclass(frozen=True)
class ServiceConnection:
    """How the gateway reaches one domain service.

    `client` for calls that read the answer (health, report views); `transport`, the very
    transport `client` sends through (traced: a client span and the traceparent), for
    forwarding, which streams the answer back as it comes and needs none of the client's
    redirects, cookies or authentication — a measurable share of a cached view's CPU.
    """

    client: httpx.AsyncClient
    transport: httpx.AsyncBaseTransport
    _urls: dict[tuple[str, str], httpx.URL] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def url(self, path: str, query: str) -> httpx.URL:
        """Return the service's URL of `path` and `query`, as `client` builds it (`..`
        resolved), remembered: parsing and merging it was a twentieth of a forwarded call."""
        key = (path, query)
        url = self._urls.get(key)
        if url is None:
            if len(self._urls) >= URLS_KEPT:
                self._urls.clear()
            url = self._urls[key] = self.client.build_request("GET", path, params=query).url
        return url


@dataclass
class GatewayState:
    """The gateway's resources (set up in its lifespan)."""

    settings: Settings
    store: sa.Engine
    telemetry: Telemetry
    services: dict[Domain, ServiceConnection]
    user_tokens: UserTokenValidator | None
    loop: asyncio.AbstractEventLoop | None = None
    """The event loop the service clients belong to (jobs in other threads call through it)."""
    jobs: JobRunner | None = None
    limits: ReportLimits = field(init=False)
    denied_bursts: DeniedBursts = field(init=False)
    internal_tokens: InternalTokens = field(init=False)

    def __post_init__(self) -> None:
        self.limits = ReportLimits(self.settings)
        self.internal_tokens = InternalTokens(
            secret=self.settings.internal_secret, issuer=GATEWAY_SERVICE_NAME
        )
        self.denied_bursts = DeniedBursts(self.settings.auth.auth_denied_audit_window_seconds)

    def job_runner(self) -> JobRunner:
        """Return the gateway's job runner (set once the lifespan has started)."""
        assert self.jobs is not None, "the lifespan sets the job runner up"
        return self.jobs
