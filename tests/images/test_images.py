"""The four images as built: labels, user, health check, size, and nothing secret inside."""

from __future__ import annotations

import json
import subprocess
import tarfile
import time
from pathlib import Path
from typing import Any

import pytest

from otelbi import __version__
from tests.conftest import PROJECT_ROOT
from tests.images.conftest import PRODUCT_IMAGES, image_name, podman

# The first test also builds the images (minutes on a machine without their layers).
pytestmark = pytest.mark.timeout(1800)

# Compressed, as a registry stores and a node pulls them (scripts/images.sh sizes prints both).
SIZE_LIMITS_MB = {"api-gateway": 250, "aw-service": 250, "wwi-service": 250, "frontend": 80}
FORBIDDEN_NAMES = {".env", "id_rsa", "id_ed25519"}


def _inspect(image: str) -> dict[str, Any]:
    inspected: dict[str, Any] = json.loads(podman("image", "inspect", image_name(image)).stdout)[0]
    return inspected


@pytest.mark.parametrize("image", PRODUCT_IMAGES)
def test_image_is_labelled_runs_unprivileged_and_checks_its_health(
    built_images: None, image: str
) -> None:
    inspected = _inspect(image)
    config = inspected["Config"]
    labels = config["Labels"]
    assert labels["org.opencontainers.image.version"] == __version__
    revision = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=PROJECT_ROOT, capture_output=True, text=True, check=True
    ).stdout.strip()
    assert labels["org.opencontainers.image.revision"] == revision
    assert "org.opencontainers.image.source" in labels
    assert config["User"] == "10001:10001"
    assert inspected["Healthcheck"]["Test"][0] == "CMD"


@pytest.mark.parametrize("image", PRODUCT_IMAGES)
def test_image_is_within_its_size_limit(built_images: None, image: str, tmp_path: Path) -> None:
    podman("save", "-q", "--format", "docker-dir", "--compress", "-o", str(tmp_path / "i"),
           image_name(image))  # fmt: skip
    compressed_mb = sum(f.stat().st_size for f in (tmp_path / "i").iterdir()) / 1e6
    assert compressed_mb <= SIZE_LIMITS_MB[image], f"{image}: {compressed_mb:.1f} MB"


@pytest.mark.parametrize("image", PRODUCT_IMAGES)
def test_no_layer_holds_a_secret_or_the_build_ca(
    built_images: None, image: str, tmp_path: Path
) -> None:
    archive = tmp_path / "image.tar"
    podman("save", "-q", "--format", "docker-archive", "-o", str(archive), image_name(image))
    names: list[str] = []
    with tarfile.open(archive) as outer:
        for member in outer.getmembers():
            if not member.name.endswith(".tar"):
                continue
            layer = outer.extractfile(member)
            assert layer is not None
            with tarfile.open(fileobj=layer) as inner:
                names += inner.getnames()
    assert names, "no layer was read"
    assert not [n for n in names if Path(n).name in FORBIDDEN_NAMES], image
    # The build's CA secret (a TLS-inspecting proxy's) is mounted for pip, never kept.
    assert not [n for n in names if n.lstrip("./").startswith("run/secrets/")], image
    extra_cas = [n for n in names if "local/share/ca-certificates/" in n and n.endswith(".crt")]
    assert not extra_cas, image
    assert not [n for n in names if n.endswith((".duckdb", ".sqlite"))], image
    history = podman("history", "--no-trunc", "--format", "{{.CreatedBy}}", image_name(image))
    for secret_like in ("PASSWORD=", "SECRET=", "PIP_CERT=/etc"):
        assert secret_like not in history.stdout, image


def test_a_service_image_starts_on_a_read_only_root_and_its_probes_answer(
    built_images: None,
) -> None:
    # No store or warehouse configured: alive, but not ready (and says which checks fail).
    name = "otelbi-test-probes"
    podman("rm", "-f", "-t", "0", name, check=False)
    podman(
        "run", "-d", "--name", name, "--read-only", "--tmpfs", "/tmp", "-e", "DATA_DIR=/tmp/data",
        "-e", "INTERNAL_SERVICE_SHARED_SECRET=" + "x" * 40, "-e", "JOBS_ENABLED=false",
        image_name("aw-service"),
    )  # fmt: skip
    try:
        probe = ["exec", name, "python3", "-m", "otelbi.probe"]
        for _ in range(60):
            live = podman(*probe, "/livez", check=False)
            if live.returncode == 0:
                break
            time.sleep(1)
        assert live.returncode == 0, podman("logs", name).stderr
        ready = podman(*probe, "/readyz", check=False)
        assert ready.returncode == 1
        assert ready.stdout.startswith("503")
        assert json.loads(ready.stdout.split(" ", 1)[1])["failing"] == ["warehouse"]
    finally:
        podman("rm", "-f", "-t", "0", name, check=False)
