"""The shipped images and compose.yaml, run for real with podman (no Docker engine here).

The session builds the four images (scripts/images.sh: a Debian base made by debootstrap,
then the Dockerfiles; podman's layer cache makes an unchanged rebuild quick) and a PostgreSQL
image from Debian's packages (tests/images/postgres) standing in for the registry's one. The
stack is composed from a copy of compose.yaml in a temporary directory, so a developer's
`.env` beside the real one cannot leak in, and torn down with its volumes afterwards.

podman-compose 1.0.3 (Debian's) ignores `depends_on` conditions, so `stack` brings the
services up in the order the conditions state: PostgreSQL healthy, the warehouses built, then
the rest. Docker Compose follows the conditions itself.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.conftest import PROJECT_ROOT
from tests.integration.test_split_mode import free_port
from tests.peers.otlp_receiver import OtlpReceiver

CONTAINERS_CONF = PROJECT_ROOT / "deploy" / "images" / "containers.conf"
BASE_IMAGE = "localhost/debian:bookworm-slim"
IMAGE_PREFIX = "localhost/otelbi"
IMAGE_TAG = "test"
POSTGRES_IMAGE = "localhost/otelbi-test/postgres:15"
PRODUCT_IMAGES = ("api-gateway", "aw-service", "wwi-service", "frontend")
PRODUCT_SERVICES = ("warehouses", "aw-service", "wwi-service", "api-gateway", "frontend")
STARTUP_TIMEOUT_SECONDS = 240


def podman_environment() -> dict[str, str]:
    """The environment podman and podman-compose run with (our containers.conf)."""
    return {**os.environ, "CONTAINERS_CONF": str(CONTAINERS_CONF)}


def podman(
    *args: str, check: bool = True, timeout: float = 600
) -> subprocess.CompletedProcess[str]:
    """Run `podman ARGS`; its output as text."""
    return subprocess.run(
        ["podman", *args],
        env=podman_environment(),
        capture_output=True,
        text=True,
        check=check,
        timeout=timeout,
    )


def image_name(image: str) -> str:
    """The reference of one product image as the session built it."""
    return f"{IMAGE_PREFIX}/{image}:{IMAGE_TAG}"


@pytest.fixture(scope="session")
def built_images() -> None:
    """Build the product images (and the stand-in PostgreSQL image) from the working tree."""
    environment = {**podman_environment(), "IMAGE_PREFIX": IMAGE_PREFIX, "IMAGE_TAG": IMAGE_TAG}
    subprocess.run(
        ["bash", str(PROJECT_ROOT / "scripts" / "images.sh"), "build"],
        env=environment,
        check=True,
        timeout=1800,
    )
    podman(
        "build", "-q", "--format", "docker", "--network=host",
        "--build-arg", f"BASE_IMAGE={BASE_IMAGE}",
        "-t", POSTGRES_IMAGE, str(PROJECT_ROOT / "tests" / "images" / "postgres"),
    )  # fmt: skip


@dataclass
class Stack:
    """A composed stack: its project name, the web app's URL and how to drive it."""

    project: str
    directory: Path
    environment: dict[str, str]
    url: str

    def compose(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        """Run `podman-compose ARGS` on this stack's compose file."""
        return subprocess.run(
            ["podman-compose", "-p", self.project, "-f", "compose.yaml", *args],
            cwd=self.directory,
            env=self.environment,
            capture_output=True,
            text=True,
            check=check,
            timeout=600,
        )

    def container(self, service: str) -> str:
        """The container name podman-compose gives `service`."""
        return f"{self.project}_{service}_1"

    def psql(self, sql: str) -> str:
        """Run `sql` in the stack's PostgreSQL; its output, unaligned."""
        result = podman(
            "exec", self.container("postgres"),
            "psql", "-U", "otelbi", "-d", "otelbi", "-tAc", sql,
        )  # fmt: skip
        return result.stdout.strip()

    def volume_path(self, volume: str) -> Path:
        """Where the named volume `volume` of the stack lies on this host."""
        result = podman("volume", "inspect", f"{self.project}_{volume}")
        return Path(json.loads(result.stdout)[0]["Mountpoint"])

    def logs(self) -> str:
        """Every container's last log lines, to explain a failure."""
        parts = []
        for service in ("postgres", *PRODUCT_SERVICES):
            result = podman("logs", "--tail", "30", self.container(service), check=False)
            parts.append(f"--- {service}\n{result.stdout}{result.stderr}")
        return "\n".join(parts)


@pytest.fixture(scope="module")
def otlp_on_host() -> Iterator[OtlpReceiver]:
    """An OTLP receiver the containers reach as host.containers.internal."""
    # Containers reach the host through its bridge address, not through loopback.
    receiver = OtlpReceiver(host="0.0.0.0")
    receiver.start()
    yield receiver
    receiver.stop()


@pytest.fixture(scope="module")
def stack(
    built_images: None, otlp_on_host: OtlpReceiver, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Stack]:
    """The composed product, up and healthy, with no login and telemetry to `otlp_on_host`."""
    directory = tmp_path_factory.mktemp("compose")
    shutil.copy(PROJECT_ROOT / "compose.yaml", directory / "compose.yaml")
    port = free_port()
    receiver_port = otlp_on_host.server.server_address[1]
    environment = {
        **podman_environment(),
        "POSTGRES_IMAGE": POSTGRES_IMAGE,
        "IMAGE_PREFIX": IMAGE_PREFIX,
        "IMAGE_TAG": IMAGE_TAG,
        "POSTGRES_PASSWORD": uuid.uuid4().hex,
        "INTERNAL_SERVICE_SHARED_SECRET": uuid.uuid4().hex + uuid.uuid4().hex,
        "REQUIRE_FRONTEND_AUTH": "false",
        "FRONTEND_PORT": str(port),
        "JOBS_STARTUP_DELAY_SECONDS": "2",
        "OTEL_EXPORTER_OTLP_ENDPOINT": f"http://host.containers.internal:{receiver_port}",
        "OTEL_METRIC_EXPORT_INTERVAL": "5000",
    }
    running = Stack(f"otelbi-test-{uuid.uuid4().hex[:8]}", directory, environment,
                    f"http://127.0.0.1:{port}")  # fmt: skip
    try:
        running.compose("up", "-d", "postgres")
        _wait_for(lambda: podman("exec", running.container("postgres"), "pg_isready", "-q",
                                 check=False).returncode == 0, "PostgreSQL", running)  # fmt: skip
        running.compose("run", "--rm", "warehouses")
        running.compose("up", "-d")
        _wait_for(lambda: _health_ok(running.url), "the product's /api/health", running)
        yield running
    finally:
        running.compose("down", "-v", check=False)


def _health_ok(url: str) -> bool:
    try:
        return httpx.get(f"{url}/api/health", timeout=10).status_code == 200
    except httpx.HTTPError:
        return False


def _wait_for(condition: Callable[[], bool], what: str, stack: Stack) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(2)
    pytest.fail(f"{what} not ready after {STARTUP_TIMEOUT_SECONDS} s\n{stack.logs()}")
