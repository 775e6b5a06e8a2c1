"""Settings from the environment or `.env`, grouped by concern.

Every variable of the configuration reference (docs/configuration.md) lives here with its
default. `Settings.check(mode)` refuses unsafe combinations before anything starts, with one
line that names the variable and the fix.
"""

from __future__ import annotations

import os
import re
import secrets
from enum import StrEnum
from functools import cached_property
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

import sqlalchemy as sa
from dotenv import dotenv_values
from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

ENV_FILE = ".env"
MIN_SECRET_BYTES = 32


class UnsafeSettings(Exception):
    """A configuration the product refuses to start with; the message is the one line to show."""


def _invalid_settings(error: ValidationError) -> UnsafeSettings:
    """Return the one line naming each invalid variable and what it expects, never its value
    (a value may be a secret: a password inside a URL)."""
    problems = []
    for problem in error.errors(include_url=False, include_context=False, include_input=False):
        name = str(problem["loc"][0]).upper() if problem["loc"] else "a setting"
        expected = problem["msg"].removeprefix("Value error, ")
        problems.append(f"{name} is invalid: {expected[:1].lower()}{expected[1:]}")
    return UnsafeSettings(
        f"{'; '.join(problems)} (set in the environment or .env; the value is not shown)"
    )


class RunMode(StrEnum):
    """How the processes are laid out: all three services in one, or one service each."""

    ALL_IN_ONE = "all"
    GATEWAY = "gateway"
    AW = "aw"
    WWI = "wwi"


def _config() -> SettingsConfigDict:
    return SettingsConfigDict(env_file=ENV_FILE, env_file_encoding="utf-8", extra="ignore")


class WarehouseSettings(BaseSettings):
    """The two read-only SQL Server warehouses; an unset server means the embedded DuckDB copy."""

    model_config = _config()

    aw_mssql_server: str = ""
    aw_mssql_database: str = "AdventureWorksDW2022"
    aw_mssql_username: str = ""
    aw_mssql_password: SecretStr = SecretStr("")
    wwi_mssql_server: str = ""
    wwi_mssql_database: str = "WideWorldImportersDW"
    wwi_mssql_username: str = ""
    wwi_mssql_password: SecretStr = SecretStr("")
    mssql_trust_server_certificate: bool = False
    data_dir: Path = Path("./var")
    # Connections per warehouse and process; a request that finds them all busy for the
    # timeout answers 503 naming the warehouse, with Retry-After.
    warehouse_pool_size: int = Field(20, ge=1, le=200)
    warehouse_pool_timeout_seconds: float = Field(10.0, gt=0, le=120)


class StoreSettings(BaseSettings):
    """The write store: PostgreSQL when POSTGRES_URL is set, else a SQLite file under DATA_DIR."""

    model_config = _config()

    postgres_url: SecretStr = SecretStr("")
    # Connections each process keeps to the store (no overflow), and how long a call waits
    # for one before it answers 503 naming the store.
    store_pool_size: int = Field(20, ge=1, le=200)
    store_pool_timeout_seconds: float = Field(10.0, gt=0, le=120)
    store_connect_timeout_seconds: int = Field(5, ge=2, le=120)
    """How long opening a PostgreSQL connection may take (libpq's connect_timeout, 2 s at
    least): a store that does not answer fails a call, a probe or a shutdown write in this
    time instead of the operating system's TCP timeout."""
    postgres_sslmode: Literal[
        "disable", "allow", "prefer", "require", "verify-ca", "verify-full"
    ] = "prefer"

    @field_validator("postgres_url")
    @classmethod
    def _postgresql_url(cls, value: SecretStr) -> SecretStr:
        """Return the URL when SQLAlchemy reads it as a PostgreSQL one (its own error would
        repeat the URL, password and all)."""
        text = value.get_secret_value()
        if not text:
            return value
        try:
            backend = sa.make_url(text).get_backend_name()
        except (sa.exc.ArgumentError, ValueError):
            backend = ""
        if backend not in ("postgresql", "postgres"):
            raise ValueError("expected postgresql://USER:PASSWORD@HOST:PORT/DATABASE")
        return value


class AuditSettings(BaseSettings):
    """The audit log: what happens to a call whose audit row cannot be written."""

    model_config = _config()

    # true: the call answers 503 and its result is withheld; false: logged at ERROR, delivered.
    audit_fail_closed: bool = True
    # Signed checkpoints of the chain's head, outside the store (store/audit_checkpoint.py):
    # the HMAC-SHA256 key (empty: no checkpoints), the file (empty: audit-checkpoints.jsonl
    # in REPORT_OUTPUT_DIR) and how often the gateway appends one.
    audit_checkpoint_key: SecretStr = SecretStr("")
    audit_checkpoint_file: str = ""
    audit_checkpoint_interval_minutes: int = Field(15, ge=1, le=1440)


class AuthSettings(BaseSettings):
    """User tokens checked at the gateway and the internal tokens between services."""

    model_config = _config()

    require_frontend_auth: bool = True
    frontend_jwt_issuer_url: str = ""
    frontend_jwt_jwks_url: str = ""
    frontend_jwt_audience: str = ""
    frontend_required_scopes: str = ""
    # One extra scope each for the powerful endpoints; empty = no extra scope needed.
    reports_generate_scope: str = ""
    jobs_run_scope: str = ""
    audit_read_scope: str = ""
    internal_service_shared_secret: SecretStr = SecretStr("")
    internal_service_allowed_issuers: str = "api-gateway"
    # 401s from one client address within this window leave one auth.denied audit row (the
    # next row carries the count of those not written); 0 = one row per 401.
    auth_denied_audit_window_seconds: int = Field(60, ge=0, le=3600)

    @property
    def required_scopes(self) -> frozenset[str]:
        """Return the scopes every user token must carry."""
        return frozenset(self.frontend_required_scopes.split())

    @property
    def allowed_issuers(self) -> frozenset[str]:
        """Return the issuers whose internal tokens a service accepts."""
        return frozenset(i.strip() for i in self.internal_service_allowed_issuers.split(",") if i)


class OidcSettings(BaseSettings):
    """What the browser needs to log in, served by GET /api/config."""

    model_config = _config()

    oidc_enabled: bool = False
    oidc_authority: str = ""
    frontend_oidc_client_id: str = ""
    frontend_oidc_scope: str = "openid profile email"


EXACT_ORIGIN = re.compile(
    r"https?://(\[[0-9a-f:.]+\]|[a-z0-9]([a-z0-9.-]*[a-z0-9])?)(:[0-9]{1,5})?"
)
"""What a browser sends as Origin: scheme, lower-case host and port; no path, no wildcard."""


class WebSettings(BaseSettings):
    """What the gateway gives a browser: the web app, calls from other origins, large bodies."""

    model_config = _config()

    cors_allowed_origins: str = ""
    # API calls served at once; more get 503 with Retry-After at once (web/load_shedding.py).
    max_requests_in_flight: int = Field(100, ge=1, le=10000)
    # Origins the web app may also connect to (CSP connect-src), e.g. a collector the browser
    # exports its spans to directly (VITE_OTEL_COLLECTOR_ENDPOINT); comma-separated.
    csp_connect_origins: str = ""
    max_request_body_bytes: int = Field(1024 * 1024, ge=1)
    # The built web app the gateway serves at /; relative: to the working directory. Empty:
    # none (the gateway image, where the frontend image serves the app).
    frontend_dist_dir: str = "frontend/dist"

    @property
    def frontend_dist(self) -> Path | None:
        """Return where the built web app is, or None when this gateway serves none."""
        return Path(self.frontend_dist_dir) if self.frontend_dist_dir.strip() else None

    @property
    def extra_connect_origins(self) -> tuple[str, ...]:
        """Return the origins CSP_CONNECT_ORIGINS adds to the policy's connect-src."""
        return tuple(o.strip() for o in self.csp_connect_origins.split(",") if o.strip())

    @property
    def allowed_origins(self) -> tuple[str, ...]:
        """Return the origins CORS answers (none: no CORS headers at all)."""
        return tuple(o.strip() for o in self.cors_allowed_origins.split(",") if o.strip())


class AnalyticsSettings(BaseSettings):
    """Defaults and bounds of the analytics views."""

    model_config = _config()

    default_history_days: int = Field(365, ge=1, le=3650)
    forecast_horizon_days: int = Field(30, ge=1, le=365)
    ranking_default_top_n: int = Field(10, ge=1, le=1000)
    storage_default_limit: int = Field(100, ge=1, le=1000)
    data_quality_freshness_days: int = Field(2, ge=0, le=36500)


class CacheSettings(BaseSettings):
    """The result cache of the warehouse views (cache/): where it lives and how fresh it is."""

    model_config = _config()

    result_cache_enabled: bool = True
    # How often a service re-reads its warehouse's data version (a cheap fingerprint
    # statement): new warehouse data shows within this many seconds. 0: on every call.
    result_cache_freshness_seconds: float = Field(60.0, ge=0, le=86400)
    # Redis shared by every replica (redis://[:password@]host:port/db); empty: each process
    # keeps its own cache in memory, of at most RESULT_CACHE_MEMORY_MB.
    redis_url: SecretStr = SecretStr("")
    result_cache_memory_mb: int = Field(64, ge=1, le=65536)
    # How long Redis keeps an entry; entries of an old data version are never read again.
    result_cache_ttl_seconds: int = Field(86400, ge=1, le=30 * 86400)

    @field_validator("redis_url")
    @classmethod
    def _redis_url(cls, value: SecretStr) -> SecretStr:
        """Return the URL when its scheme and port are Redis's (else the cache would fail at
        start with a traceback)."""
        text = value.get_secret_value()
        if not text:
            return value
        try:
            url = urlsplit(text)
            # `.port` raises ValueError on a port that is not a number.
            readable = url.scheme in ("redis", "rediss", "unix") and url.port != 0
        except ValueError:
            readable = False
        if not readable:
            raise ValueError("expected redis://[:PASSWORD@]HOST:PORT/DB, rediss://… or unix://…")
        return value


class JobSettings(BaseSettings):
    """The scheduled jobs of each service."""

    model_config = _config()

    jobs_enabled: bool = True
    jobs_startup_delay_seconds: float = Field(20.0, ge=0, le=60)
    # A running job renews its heartbeat every third of this; a replica (or the next start)
    # marks a run whose heartbeat is older `interrupted` (jobs/leases.py).
    jobs_lease_seconds: float = Field(60.0, ge=3, le=3600)
    # How often a domain service compares its warehouse's data version with the one its
    # snapshot jobs last ran on; a change runs them again (jobs/data_change.py).
    jobs_data_change_check_seconds: float = Field(60.0, ge=1, le=86400)


class ReportSettings(BaseSettings):
    """Where full reports are written (an SMB/CSI mount in production)."""

    model_config = _config()

    report_output_dir: Path = Path("/tmp/otel-bi-reports")  # noqa: S108 - the documented default
    # Files a crash left behind (gateway/report_orphans.py) are removed once this old.
    report_orphan_age_minutes: int = Field(60, ge=0, le=10080)
    # Reports generated at once per gateway, and how long another request waits for a slot
    # before it answers 429 (Retry-After).
    report_max_concurrent: int = Field(2, ge=1, le=32)
    report_queue_seconds: float = Field(10.0, ge=0, le=300)
    # Per user (per client address with authentication off); 0 = no limit.
    report_generate_per_minute: int = Field(5, ge=0, le=600)
    export_requests_per_minute: int = Field(60, ge=0, le=6000)


class TelemetrySettings(BaseSettings):
    """OpenTelemetry and logging; the standard OTEL_* variables are read by the SDK too."""

    model_config = _config()

    otel_exporter_otlp_endpoint: str = "http://localhost:4318"
    otel_service_name: str = ""
    # `deployment.environment` of every span and metric unless OTEL_RESOURCE_ATTRIBUTES sets it.
    deployment_environment: str = "local"
    log_level: str = "INFO"
    log_format: Literal["text", "json"] = "text"
    # The gateway's relay of the browser's spans (POST /api/otlp/v1/traces).
    otlp_relay_max_body_bytes: int = Field(256 * 1024, ge=1)
    otlp_relay_requests_per_minute: int = Field(120, ge=1)


class TopologySettings(BaseSettings):
    """Where the gateway finds the services in split mode, the port to listen on, and how
    many processes serve it."""

    model_config = _config()

    aw_service_url: str = "http://127.0.0.1:8001"
    wwi_service_url: str = "http://127.0.0.1:8002"
    # How long the gateway waits for a service's answer, by route class (then 504 timeout).
    service_timeout_views_seconds: float = Field(60.0, gt=0, le=3600)
    service_timeout_exports_seconds: float = Field(300.0, gt=0, le=3600)
    service_timeout_reports_seconds: float = Field(120.0, gt=0, le=3600)
    host: str = "127.0.0.1"
    port: int = Field(8000, ge=1, le=65535)
    # Processes serving the port (uvicorn workers), each a full copy of what `otelbi serve`
    # runs: one per core for many concurrent users, with either store (docs/performance.md).
    workers: int = Field(1, ge=1, le=64)
    # On SIGTERM, how long requests in flight may still finish before they are cut off.
    shutdown_grace_seconds: int = Field(2, ge=0, le=300)


class Settings:
    """All settings, read once at start."""

    def __init__(self, env_file: str | None = ENV_FILE) -> None:
        """Read every group; raise UnsafeSettings naming an invalid variable, not its value."""
        try:
            self._read(env_file)
        except ValidationError as error:
            raise _invalid_settings(error) from None

    def _read(self, env_file: str | None) -> None:
        self.warehouse = WarehouseSettings(_env_file=env_file)
        self.store = StoreSettings(_env_file=env_file)
        self.audit = AuditSettings(_env_file=env_file)
        self.auth = AuthSettings(_env_file=env_file)
        self.oidc = OidcSettings(_env_file=env_file)
        self.web = WebSettings(_env_file=env_file)
        self.analytics = AnalyticsSettings(_env_file=env_file)
        self.jobs = JobSettings(_env_file=env_file)
        self.cache = CacheSettings(_env_file=env_file)
        self.reports = ReportSettings(_env_file=env_file)
        self.telemetry = TelemetrySettings(_env_file=env_file)
        self.topology = TopologySettings(_env_file=env_file)

    @cached_property
    def internal_secret(self) -> str:
        """Return the shared secret for internal tokens (a random per-process one if unset)."""
        configured = self.auth.internal_service_shared_secret.get_secret_value()
        return configured or secrets.token_urlsafe(48)

    def check(self, mode: RunMode) -> None:
        """Raise UnsafeSettings naming the variable and the fix if `mode` must not start."""
        secret = self.auth.internal_service_shared_secret.get_secret_value()
        if mode is not RunMode.ALL_IN_ONE and len(secret.encode()) < MIN_SECRET_BYTES:
            raise UnsafeSettings(
                "INTERNAL_SERVICE_SHARED_SECRET must be at least 32 bytes when the services run "
                "as separate processes: set the same random value (e.g. `openssl rand -base64 48`)"
                " on the gateway and both services"
            )
        if mode in (RunMode.ALL_IN_ONE, RunMode.GATEWAY) and self.auth.require_frontend_auth:
            missing = [
                name
                for name, value in (
                    ("FRONTEND_JWT_ISSUER_URL", self.auth.frontend_jwt_issuer_url),
                    ("FRONTEND_JWT_AUDIENCE", self.auth.frontend_jwt_audience),
                )
                if not value
            ]
            if missing:
                raise UnsafeSettings(
                    f"{' and '.join(missing)} must be set when REQUIRE_FRONTEND_AUTH=true: "
                    "set them to your identity provider's issuer and API audience, or set "
                    "REQUIRE_FRONTEND_AUTH=false for a local, unauthenticated install"
                )
        if mode in (RunMode.ALL_IN_ONE, RunMode.GATEWAY):
            for origin in self.web.extra_connect_origins:
                if not EXACT_ORIGIN.fullmatch(origin):
                    raise UnsafeSettings(
                        f"CSP_CONNECT_ORIGINS holds {origin!r}: list exact origins, "
                        "comma-separated (e.g. https://alloy.example.com): scheme, lower-case "
                        "host, port; no '*', no path"
                    )
            for origin in self.web.allowed_origins:
                if not EXACT_ORIGIN.fullmatch(origin):
                    raise UnsafeSettings(
                        f"CORS_ALLOWED_ORIGINS holds {origin!r}: list exact origins as the "
                        "browser sends them, comma-separated (e.g. https://bi.example.com,"
                        "http://localhost:5173): scheme, lower-case host, port; no '*', no path"
                    )


EMBEDDED_DEFAULTS = {"REQUIRE_FRONTEND_AUTH": "false", "DATA_DIR": "./var", "PORT": "8000"}
"""What `make run` assumes when neither the environment nor `.env` says otherwise."""


def apply_embedded_defaults() -> list[str]:
    """Set each embedded default the environment and `.env` leave unset; return their names."""
    configured = (
        {key.upper() for key in dotenv_values(ENV_FILE)} if Path(ENV_FILE).exists() else set()
    )
    applied = []
    for name, value in EMBEDDED_DEFAULTS.items():
        if name not in os.environ and name not in configured:
            os.environ[name] = value
            applied.append(name)
    return applied
