"""The screen `otelbi serve` prints at start: where to go and what the process runs on.

A person starting the product needs one screen, not the migrations and scheduler chatter (which
log at DEBUG): the URL, the write store and warehouses in use (local files relative to the
working directory, servers without credentials), whether logins are required, and where
telemetry goes. Nothing here opens a connection.
"""

from __future__ import annotations

import os
from pathlib import Path

from otelbi.domains import Domain
from otelbi.settings import RunMode, Settings
from otelbi.store.engine import store_url
from otelbi.telemetry.providers import traces_destination
from otelbi.warehouse.engines import duckdb_path, mssql_url


def startup_lines(settings: Settings, mode: RunMode, name: str, url: str) -> list[str]:
    """Return the lines that say what `name` serves at `url` and what it runs on."""
    lines = [f"OTel BI {name} starting on {url}"]
    if mode in (RunMode.ALL_IN_ONE, RunMode.GATEWAY):
        lines.append(f"  store:      {_store(settings)}")
    for domain in _domains(mode):
        lines.append(f"  {domain.value + ' data:':<11} {_warehouse(settings, domain)}")
    if mode in (RunMode.ALL_IN_ONE, RunMode.GATEWAY):
        lines.append(f"  logins:     {_logins(settings)}")
    destination = traces_destination(settings.telemetry)
    lines.append(f"  telemetry:  {'off' if destination is None else 'OTLP to ' + destination}")
    return lines


def _domains(mode: RunMode) -> list[Domain]:
    if mode is RunMode.ALL_IN_ONE:
        return list(Domain)
    return [domain for domain in Domain if domain.value == mode.value]


def _store(settings: Settings) -> str:
    url = store_url(settings)
    if url.get_backend_name() == "sqlite":
        return f"SQLite {_shown_path(Path(url.database or ''))}"
    where = f"{url.host or 'localhost'}:{url.port or 5432}/{url.database or ''}"
    return f"PostgreSQL {url.username or ''}@{where}" if url.username else f"PostgreSQL {where}"


def _warehouse(settings: Settings, domain: Domain) -> str:
    server = mssql_url(domain, settings.warehouse)
    if server is not None:
        return f"SQL Server {server.host}/{server.database}"
    path = duckdb_path(domain, settings.warehouse.data_dir)
    state = "" if path.exists() else f" (missing: otelbi warehouse generate {domain.value})"
    return f"embedded {_shown_path(path)}{state}"


def _logins(settings: Settings) -> str:
    if not settings.auth.require_frontend_auth:
        return "OFF: anyone who reaches this address sees every view (REQUIRE_FRONTEND_AUTH)"
    return f"required, issuer {settings.auth.frontend_jwt_issuer_url}"


def _shown_path(path: Path) -> str:
    """Return `path` relative to the working directory when it lies under it."""
    absolute = path.resolve()
    try:
        return str(absolute.relative_to(Path(os.getcwd()).resolve()))
    except ValueError:
        return str(absolute)
