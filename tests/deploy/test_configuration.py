"""Configuration stays honest across the ways the product is deployed: every variable that
compose.yaml, the Kubernetes manifests or the workflow hands a container is one the product
(or the image) really reads, and every variable is documented and listed in .env.example."""

from __future__ import annotations

import re
from typing import Any

import pytest
import yaml  # type: ignore[import-untyped]
from pydantic_settings import BaseSettings

from otelbi.settings import Settings
from tests.conftest import PROJECT_ROOT
from tests.deploy.test_kubernetes import OVERLAYS, render

COMPOSE = PROJECT_ROOT / "compose.yaml"
WORKFLOW = PROJECT_ROOT / ".gitea" / "workflows" / "docker-publish.yml"
DOCS = PROJECT_ROOT / "docs" / "configuration.md"
ENV_EXAMPLE = PROJECT_ROOT / ".env.example"

READ_BY_THE_IMAGES = {
    "FORWARDED_ALLOW_IPS": "uvicorn, in the Python images",
    "API_GATEWAY_URL": "the frontend image's start script",
}
NOT_THE_PRODUCTS = {"postgres", "lgtm"}
"""Third-party services of compose.yaml: their environment is their image's business."""
INTERPOLATION = re.compile(r"\$\{([A-Z][A-Z0-9_]*)(?:[:?-][^}]*)?\}")
DOCUMENTED = re.compile(r"`([A-Z][A-Z0-9_]{2,})`")


def _settings() -> set[str]:
    groups = vars(Settings(env_file=None)).values()
    return {
        name.upper()
        for group in groups
        if isinstance(group, BaseSettings)
        for name in type(group).model_fields
    }


SETTINGS = _settings()


def _documented() -> set[str]:
    return set(DOCUMENTED.findall(DOCS.read_text()))


def _standard_otel() -> set[str]:
    """The SDK's own OTEL_* variables that docs/configuration.md says the product honours."""
    return {name for name in _documented() if name.startswith("OTEL_")}


def _read_by_a_product_container(name: str) -> bool:
    return name in SETTINGS or name in READ_BY_THE_IMAGES or name in _standard_otel()


def _env_example() -> set[str]:
    lines = ENV_EXAMPLE.read_text().splitlines()
    return {m.group(1) for line in lines if (m := re.match(r"#? ?([A-Z][A-Z0-9_]*)=", line))}


def _compose() -> dict[str, Any]:
    compose: dict[str, Any] = yaml.safe_load(COMPOSE.read_text())
    return compose


def test_the_settings_are_read_from_the_code_not_a_list() -> None:
    assert {"POSTGRES_URL", "REPORT_OUTPUT_DIR", "OTLP_RELAY_REQUESTS_PER_MINUTE"} <= SETTINGS
    assert len(SETTINGS) >= 40


def test_every_setting_is_documented_and_in_the_env_example() -> None:
    assert not SETTINGS - _documented(), "missing from docs/configuration.md"
    assert not SETTINGS - _env_example(), "missing from .env.example"


@pytest.mark.parametrize("service", sorted(set(_compose()["services"]) - NOT_THE_PRODUCTS))
def test_compose_hands_the_product_only_variables_it_reads(service: str) -> None:
    environment = _compose()["services"][service].get("environment", {})
    unknown = [name for name in environment if not _read_by_a_product_container(name)]
    assert not unknown, f"{service}: {unknown}"


def test_every_variable_compose_interpolates_is_documented_and_in_the_env_example() -> None:
    used = set(INTERPOLATION.findall(COMPOSE.read_text()))
    assert {"POSTGRES_PASSWORD", "IMAGE_TAG", "AW_MSSQL_SERVER"} <= used
    assert not used - _documented(), "missing from docs/configuration.md"
    assert not used - _env_example(), "missing from .env.example"


@pytest.mark.parametrize("overlay", OVERLAYS, ids=[o.name for o in OVERLAYS])
def test_kubernetes_hands_the_product_only_variables_it_reads(overlay: Any) -> None:
    rendered = render(overlay)
    names = set(rendered.settings)
    for deployment in rendered.of_kind("Deployment"):
        spec = deployment["spec"]["template"]["spec"]
        for container in [*spec.get("initContainers", []), *spec["containers"]]:
            names |= {variable["name"] for variable in container.get("env", [])}
    assert "POSTGRES_URL" in names
    assert not {name for name in names if not _read_by_a_product_container(name)}
    assert not names - _documented(), "missing from docs/configuration.md"


def test_the_workflow_uses_only_documented_variables_and_secrets() -> None:
    text = WORKFLOW.read_text()
    used = set(re.findall(r"\b(?:vars|secrets)\.([A-Z][A-Z0-9_]*)", text))
    used |= set(re.findall(r"^\s+([A-Z][A-Z0-9_]*)=\$\{\{", text, flags=re.MULTILINE))
    assert {"REGISTRY", "REGISTRY_PASSWORD", "BASE_IMAGE", "VCS_REF"} <= used
    assert not used - _documented(), "missing from docs/configuration.md"


def test_an_undocumented_variable_would_be_caught() -> None:
    # The checks above are only as good as their parsing: a made-up name is neither read by
    # the product nor documented.
    assert not _read_by_a_product_container("POSTGRES_URI")
    assert "POSTGRES_URI" not in _documented()
    assert INTERPOLATION.findall("a: ${NEW_THING:-x} b: ${OTHER}") == ["NEW_THING", "OTHER"]
