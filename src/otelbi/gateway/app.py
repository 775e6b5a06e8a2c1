"""Builds the api-gateway application.

In split mode the gateway reaches each service over HTTP at AW_SERVICE_URL / WWI_SERVICE_URL.
All-in-one, it is handed the service applications and reaches them through an in-process
ASGI transport (`web.asgi_transport`, which streams bodies like a socket would: exports are
not buffered): the same HTTP requests, internal tokens, trace propagation and HTTPX spans as
in production, minus the sockets; their lifespans run inside the gateway's.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Mapping
from contextlib import AsyncExitStack, asynccontextmanager

import httpx
from fastapi import FastAPI
from starlette.middleware.cors import CORSMiddleware

from otelbi import __version__
from otelbi.domains import GATEWAY_SERVICE_NAME, Domain
from otelbi.gateway import audit_routes, jobs_routes, otlp_relay, reports_routes, routes
from otelbi.gateway.api_docs import PAGE_POLICIES, add_api_docs
from otelbi.gateway.openapi import install_openapi, operation_id
from otelbi.gateway.report_job import GATEWAY_JOBS
from otelbi.gateway.report_orphans import sweep_or_log
from otelbi.gateway.state import GatewayState, ServiceConnection
from otelbi.gateway.web_app import WebApp
from otelbi.jobs.runner import JobRunner
from otelbi.jobs.scheduler import JobScheduler
from otelbi.security.user_tokens import UserTokenValidator
from otelbi.settings import Settings
from otelbi.store.audit_checkpoint import checkpoint_or_log, checkpoint_periodically
from otelbi.store.engine import open_store
from otelbi.telemetry import (
    AsIfOverTheNetwork,
    Telemetry,
    instrument_app,
    traced_transport,
)
from otelbi.web.asgi_transport import StreamingASGITransport
from otelbi.web.body_limit import RequestBodyLimit
from otelbi.web.errors import install_error_handlers
from otelbi.web.load_shedding import LoadShedding
from otelbi.web.probes import add_probes
from otelbi.web.query_parameters import QUERY_CHECKED
from otelbi.web.security_headers import SecurityHeaders, content_security_policy, origin_of

log = logging.getLogger(__name__)

SERVICE_TIMEOUT = httpx.Timeout(connect=5.0, read=300.0, write=60.0, pool=10.0)


def create_gateway_app(  # noqa: PLR0915 - the lifespan sets up every resource in order
    settings: Settings,
    telemetry: Telemetry,
    embedded_services: Mapping[Domain, FastAPI] | None = None,
) -> FastAPI:
    """Return the gateway; with `embedded_services`, it runs them in-process."""
    dist = settings.web.frontend_dist
    web_app = WebApp(dist) if dist is not None else None

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        store = open_store(settings, telemetry)
        async with AsyncExitStack() as stack:
            clients: dict[Domain, ServiceConnection] = {}
            for domain in Domain:
                if embedded_services is not None:
                    service = embedded_services[domain]
                    await stack.enter_async_context(service.router.lifespan_context(service))
                    transport: httpx.AsyncBaseTransport = StreamingASGITransport(
                        AsIfOverTheNetwork(service)
                    )
                    url = f"http://{domain.service_name}"
                else:
                    transport = httpx.AsyncHTTPTransport()
                    url = getattr(settings.topology, f"{domain.value}_service_url")
                traced = traced_transport(transport, telemetry)
                client = httpx.AsyncClient(transport=traced, base_url=url, timeout=SERVICE_TIMEOUT)
                clients[domain] = ServiceConnection(await stack.enter_async_context(client), traced)
            # The browser's spans: its own, uninstrumented client, closed with the others.
            app.state.otlp_relay = await stack.enter_async_context(
                otlp_relay.OtlpRelay(settings.telemetry)
            )
            state = GatewayState(
                settings=settings,
                store=store,
                telemetry=telemetry,
                services=clients,
                user_tokens=_user_token_validator(settings),
                loop=asyncio.get_running_loop(),
            )
            app.state.gateway = state
            # The gateway's own jobs (the weekly report) reach the services through `state`.
            state.jobs = JobRunner(
                GATEWAY_SERVICE_NAME,
                GATEWAY_JOBS,
                audit_domain="gateway",
                settings=settings,
                store=store,
                telemetry=telemetry,
                resources=(state,),
            )
            state.jobs.open()
            await asyncio.to_thread(sweep_or_log, store, settings)
            scheduler = JobScheduler(
                state.jobs, startup_delay_seconds=settings.jobs.jobs_startup_delay_seconds
            )
            if settings.jobs.jobs_enabled:
                scheduler.start()
            if not settings.auth.require_frontend_auth:
                log.warning("REQUIRE_FRONTEND_AUTH=false: the API answers without a login")
            if web_app is not None:
                web_app.warn_if_not_built()
            checkpoints = asyncio.create_task(checkpoint_periodically(store, settings))
            yield
            checkpoints.cancel()
            if settings.jobs.jobs_enabled:
                scheduler.stop()
            # Off the loop: closing writes to the store.
            await asyncio.to_thread(state.jobs.close)
            await asyncio.to_thread(checkpoint_or_log, store, settings)
        store.dispose()
        telemetry.shutdown()

    app = FastAPI(
        title="OTel BI api-gateway",
        version=__version__,
        lifespan=lifespan,
        generate_unique_id_function=operation_id,
        # FastAPI's pages load their scripts from a CDN: ours are served by the gateway.
        docs_url=None,
        redoc_url=None,
    )
    install_error_handlers(app)
    _add_web_hardening(app, settings)
    instrument_app(app, telemetry)
    add_probes(app, routes.failing_checks(embedded=embedded_services is not None))
    app.include_router(routes.router)
    app.include_router(audit_routes.router, dependencies=QUERY_CHECKED)
    app.include_router(jobs_routes.router, dependencies=QUERY_CHECKED)
    app.include_router(reports_routes.router, dependencies=QUERY_CHECKED)
    app.include_router(otlp_relay.router)
    add_api_docs(app)
    if web_app is not None:
        # Last: every API route (and /openapi.json, /docs) wins over the web app's paths.
        app.router.routes.append(web_app)
    install_openapi(app)
    return app


def _add_web_hardening(app: FastAPI, settings: Settings) -> None:
    """Bound the calls in flight, cap request bodies, answer CORS for the configured origins,
    set the security headers.

    The middleware added last runs first, and all four run inside the trace-id headers that
    `instrument_app` adds: security headers, then CORS, then the body cap, then the bound —
    so a 413, a 503 of the bound or a preflight answer carries them all, and nothing reads a
    body before the cap applies.
    """
    app.add_middleware(LoadShedding, limit=settings.web.max_requests_in_flight)
    app.add_middleware(RequestBodyLimit, max_bytes=settings.web.max_request_body_bytes)
    if settings.web.allowed_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=list(settings.web.allowed_origins),
            allow_methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
            allow_headers=[
                "authorization",
                "content-type",
                "idempotency-key",
                "traceparent",
                "cache-control",
            ],
            expose_headers=["x-trace-id", "x-span-id", "content-disposition"],
            max_age=600,
        )
    identity_provider = origin_of(settings.oidc.oidc_authority)
    connect_origins = [identity_provider] if identity_provider else []
    connect_origins += settings.web.extra_connect_origins
    app.add_middleware(
        SecurityHeaders,
        content_security_policy=content_security_policy(connect_origins),
        page_policies=PAGE_POLICIES,
    )


def _user_token_validator(settings: Settings) -> UserTokenValidator | None:
    if not settings.auth.require_frontend_auth:
        return None
    return UserTokenValidator(
        issuer=settings.auth.frontend_jwt_issuer_url,
        audience=settings.auth.frontend_jwt_audience,
        jwks_url=settings.auth.frontend_jwt_jwks_url,
        required_scopes=settings.auth.required_scopes,
    )
