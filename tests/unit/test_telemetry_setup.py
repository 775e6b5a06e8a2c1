"""Each service's telemetry: its resource attributes, the standard OTEL_* switches, and
OTEL_SERVICE_NAME honoured only when one service runs in the process."""

from __future__ import annotations

import logging

import pytest
from opentelemetry import trace
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.trace import TracerProvider

from otelbi import __version__
from otelbi.service_layout import build_app
from otelbi.settings import RunMode, Settings, TelemetrySettings
from otelbi.telemetry import service_resource, start_telemetry


def _settings() -> TelemetrySettings:
    return TelemetrySettings(_env_file=None)


def test_the_resource_names_service_namespace_version_and_environment() -> None:
    attributes = service_resource("aw-service", _settings()).attributes
    assert attributes["service.name"] == "aw-service"
    assert attributes["service.namespace"] == "otelbi"
    assert attributes["service.version"] == __version__
    assert attributes["deployment.environment"] == "local"


def test_deployment_environment_comes_from_its_variable_unless_otel_sets_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("DEPLOYMENT_ENVIRONMENT", "staging")
    assert service_resource("aw-service", _settings()).attributes["deployment.environment"] == (
        "staging"
    )
    monkeypatch.setenv(
        "OTEL_RESOURCE_ATTRIBUTES", "deployment.environment=production,k8s.cluster.name=bi"
    )
    attributes = service_resource("aw-service", _settings()).attributes
    assert attributes["deployment.environment"] == "production"
    assert attributes["k8s.cluster.name"] == "bi"


def test_otel_service_name_renames_a_service_running_alone(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("OTEL_SERVICE_NAME", "aw-service-eu")
    alone = start_telemetry("aw-service", _settings())
    embedded = start_telemetry("aw-service", _settings(), honour_service_name=False)
    assert alone.service_name == "aw-service-eu"
    assert isinstance(alone.tracer_provider, TracerProvider)
    assert alone.tracer_provider.resource.attributes["service.name"] == "aw-service-eu"
    assert embedded.service_name == "aw-service"
    assert isinstance(embedded.tracer_provider, TracerProvider)
    assert embedded.tracer_provider.resource.attributes["service.name"] == "aw-service"
    for telemetry in (alone, embedded):
        telemetry.shutdown()


def test_all_in_one_says_that_otel_service_name_is_ignored(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("OTEL_SERVICE_NAME", "bi")
    with caplog.at_level(logging.WARNING, logger="otelbi.service_layout"):
        build_app(RunMode.ALL_IN_ONE, Settings(env_file=None))
    assert "OTEL_SERVICE_NAME=bi is ignored" in caplog.text


def test_otel_sdk_disabled_gives_providers_that_record_nothing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("OTEL_SDK_DISABLED", "true")
    telemetry = start_telemetry("aw-service", _settings())
    assert not isinstance(telemetry.tracer_provider, TracerProvider)
    assert not isinstance(telemetry.meter_provider, MeterProvider)
    with telemetry.tracer.start_as_current_span("work") as span:
        assert not span.is_recording()
    assert trace.get_current_span() is trace.INVALID_SPAN
    telemetry.metrics.job_run("aw.daily.scores", "succeeded", 1.0)
    telemetry.shutdown()
