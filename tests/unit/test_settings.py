"""Configuration: defaults, environment and .env precedence, unsafe settings refused."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from otelbi.settings import RunMode, Settings, UnsafeSettings, apply_embedded_defaults


def test_defaults_match_the_configuration_reference(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("REQUIRE_FRONTEND_AUTH")
    monkeypatch.delenv("REPORT_OUTPUT_DIR")
    settings = Settings(env_file=None)
    assert settings.warehouse.aw_mssql_database == "AdventureWorksDW2022"
    assert settings.warehouse.wwi_mssql_database == "WideWorldImportersDW"
    assert settings.warehouse.mssql_trust_server_certificate is False
    assert settings.store.postgres_sslmode == "prefer"
    assert settings.auth.require_frontend_auth is True
    assert settings.auth.required_scopes == frozenset()
    assert settings.auth.allowed_issuers == frozenset({"api-gateway"})
    assert settings.oidc.oidc_enabled is False
    assert settings.oidc.frontend_oidc_scope == "openid profile email"
    assert settings.analytics.default_history_days == 365
    assert settings.analytics.forecast_horizon_days == 30
    assert settings.analytics.ranking_default_top_n == 10
    assert settings.analytics.storage_default_limit == 100
    assert settings.reports.report_output_dir == Path("/tmp/otel-bi-reports")
    assert settings.telemetry.otel_exporter_otlp_endpoint == "http://localhost:4318"
    assert settings.telemetry.log_level == "INFO"
    assert settings.warehouse.data_dir == Path("var")
    assert settings.topology.port == 8000
    assert settings.web.frontend_dist == Path("frontend/dist")


def test_environment_wins_over_dotenv_and_dotenv_over_defaults(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    (tmp_path / ".env").write_text("DEFAULT_HISTORY_DAYS=90\nPORT=9000\n")
    monkeypatch.setenv("PORT", "9100")
    settings = Settings()
    assert settings.analytics.default_history_days == 90
    assert settings.topology.port == 9100


def test_embedded_defaults_never_override_configured_values(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("REQUIRE_FRONTEND_AUTH")
    monkeypatch.delenv("PORT", raising=False)
    monkeypatch.delenv("DATA_DIR", raising=False)
    (tmp_path / ".env").write_text("PORT=8100\n")
    applied = apply_embedded_defaults()
    assert sorted(applied) == ["DATA_DIR", "REQUIRE_FRONTEND_AUTH"]
    settings = Settings()
    assert settings.topology.port == 8100
    assert settings.auth.require_frontend_auth is False
    for name in applied:
        monkeypatch.delenv(name)


def test_split_mode_needs_a_long_internal_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INTERNAL_SERVICE_SHARED_SECRET", "short")
    with pytest.raises(UnsafeSettings, match="INTERNAL_SERVICE_SHARED_SECRET"):
        Settings(env_file=None).check(RunMode.AW)
    monkeypatch.setenv("INTERNAL_SERVICE_SHARED_SECRET", "x" * 32)
    Settings(env_file=None).check(RunMode.AW)


def test_all_in_one_generates_a_secret_per_process() -> None:
    settings = Settings(env_file=None)
    settings.check(RunMode.ALL_IN_ONE)
    assert len(settings.internal_secret) >= 32
    assert settings.internal_secret == settings.internal_secret
    assert Settings(env_file=None).internal_secret != settings.internal_secret


def test_auth_on_without_issuer_or_audience_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REQUIRE_FRONTEND_AUTH", "true")
    monkeypatch.setenv("FRONTEND_JWT_ISSUER_URL", "http://127.0.0.1:1/issuer")
    with pytest.raises(UnsafeSettings, match="FRONTEND_JWT_AUDIENCE"):
        Settings(env_file=None).check(RunMode.ALL_IN_ONE)


def test_cli_refuses_unsafe_start_with_one_line(tmp_path: Path) -> None:
    env = {**os.environ, "REQUIRE_FRONTEND_AUTH": "true", "DATA_DIR": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-m", "otelbi.cli", "serve"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "FRONTEND_JWT_ISSUER_URL" in lines[0]
    assert "REQUIRE_FRONTEND_AUTH=false" in lines[0]


SECRET_IN_URL = "hunter2-never-echoed"
BAD_SETTINGS = {
    "PORT": "abc",
    "POSTGRES_URL": f"postgres//otelbi:{SECRET_IN_URL}@db.internal/otelbi",
    "STORE_POOL_SIZE": f"{SECRET_IN_URL}",
    "REDIS_URL": f"redis//:{SECRET_IN_URL}@cache:6379/0",
}


@pytest.mark.parametrize(
    ("variable", "command"),
    [
        ("PORT", ["-m", "otelbi.cli", "serve"]),
        ("POSTGRES_URL", ["-m", "otelbi.cli", "serve", "gateway"]),
        ("POSTGRES_URL", ["-m", "otelbi.cli", "audit", "verify"]),
        ("STORE_POOL_SIZE", ["-m", "otelbi.cli", "jobs", "list"]),
        ("REDIS_URL", ["-m", "otelbi.cli", "serve"]),
        # What `otelbi serve` runs in each worker process when WORKERS > 1.
        ("PORT", ["-m", "uvicorn", "--factory", "otelbi.service_layout:worker_app"]),
    ],
)
def test_an_invalid_setting_is_one_line_naming_it_without_its_value(
    tmp_path: Path, variable: str, command: list[str]
) -> None:
    env = {
        **os.environ,
        "DATA_DIR": str(tmp_path),
        "REQUIRE_FRONTEND_AUTH": "false",
        "OTELBI_SERVE_MODE": "aw",
        variable: BAD_SETTINGS[variable],
    }
    result = subprocess.run(
        [sys.executable, *command],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert f"{variable} is invalid: " in lines[0]
    assert SECRET_IN_URL not in result.stderr + result.stdout
    assert BAD_SETTINGS[variable] not in result.stderr


@pytest.mark.parametrize(
    "url",
    [
        "postgresql://otelbi:secret@db.internal:5432/otelbi",
        "postgres://otelbi@db.internal/otelbi",
        "postgresql+psycopg://otelbi:secret@/otelbi?host=/run/postgresql",
    ],
)
def test_a_postgresql_url_in_any_usual_form_is_accepted(
    monkeypatch: pytest.MonkeyPatch, url: str
) -> None:
    monkeypatch.setenv("POSTGRES_URL", url)
    assert Settings(env_file=None).store.postgres_url.get_secret_value() == url


@pytest.mark.parametrize(
    "url", ["mysql://otelbi:secret@db/otelbi", "postgresql://otelbi:secret@db:54x2/otelbi"]
)
def test_a_url_of_another_database_or_a_bad_port_is_refused(
    monkeypatch: pytest.MonkeyPatch, url: str
) -> None:
    monkeypatch.setenv("POSTGRES_URL", url)
    with pytest.raises(UnsafeSettings, match="POSTGRES_URL is invalid: expected postgresql://"):
        Settings(env_file=None)


@pytest.mark.parametrize(
    ("url", "accepted"),
    [
        ("redis://:secret@cache:6379/0", True),
        ("rediss://cache", True),
        ("unix:///run/redis.sock", True),
        ("http://cache:6379/0", False),
        ("redis://:secret@cache:63x9/0", False),
    ],
)
def test_a_redis_url_needs_a_redis_scheme_and_a_numeric_port(
    monkeypatch: pytest.MonkeyPatch, url: str, accepted: bool
) -> None:
    monkeypatch.setenv("REDIS_URL", url)
    if accepted:
        assert Settings(env_file=None).cache.redis_url.get_secret_value() == url
    else:
        with pytest.raises(UnsafeSettings, match="REDIS_URL is invalid: expected redis://"):
            Settings(env_file=None)
