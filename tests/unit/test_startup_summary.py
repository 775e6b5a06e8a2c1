"""The start-up screen: where to go and what the process runs on, never a credential."""

from __future__ import annotations

from pathlib import Path

import pytest

from otelbi.settings import RunMode, Settings
from otelbi.startup_summary import startup_lines


def test_an_embedded_install_shows_relative_files_missing_warehouses_and_logins_off(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATA_DIR", "var")
    monkeypatch.delenv("OTEL_TRACES_EXPORTER", raising=False)
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318")

    lines = startup_lines(Settings(env_file=None), RunMode.ALL_IN_ONE, "api-gateway", "http://x")

    assert lines[0] == "OTel BI api-gateway starting on http://x"
    text = "\n".join(lines)
    assert "SQLite var/otelbi.sqlite" in text
    assert "embedded var/warehouse/aw.duckdb (missing: otelbi warehouse generate aw)" in text
    assert "embedded var/warehouse/wwi.duckdb (missing" in text
    assert "logins:     OFF" in text
    assert "OTLP to http://collector:4318/v1/traces" in text
    assert len(lines) <= 8


def test_a_production_gateway_names_its_store_without_the_password(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("POSTGRES_URL", "postgresql://bi:s3cr3t-pw@db.internal:5433/otelbi")
    monkeypatch.setenv("REQUIRE_FRONTEND_AUTH", "true")
    monkeypatch.setenv("FRONTEND_JWT_ISSUER_URL", "https://login.example/realms/bi")
    monkeypatch.setenv("FRONTEND_JWT_AUDIENCE", "otelbi")
    monkeypatch.setenv("OTEL_SDK_DISABLED", "true")

    lines = startup_lines(Settings(env_file=None), RunMode.GATEWAY, "api-gateway", "http://x")

    text = "\n".join(lines)
    assert "PostgreSQL bi@db.internal:5433/otelbi" in text
    assert "s3cr3t" not in text
    assert "required, issuer https://login.example/realms/bi" in text
    assert "telemetry:  off" in text
    assert "data:" not in text  # a split gateway reads no warehouse
