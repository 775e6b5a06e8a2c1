"""Production layout: gateway, aw-service and wwi-service as three processes on real
sockets, one PostgreSQL store, internal tokens on every hop."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import httpx
import pytest

from otelbi.security.internal_tokens import mint_internal_token
from tests.peers.oidc_provider import OidcProvider

SECRET = "split-mode-test-secret-of-forty-bytes-ok!"


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_until_up(url: str, process: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"{url} exited with {process.returncode}")
        try:
            httpx.get(url, timeout=1)
            return
        except httpx.TransportError:
            time.sleep(0.2)
    raise AssertionError(f"{url} did not come up within 60 s")


@pytest.fixture
def urls(postgres_url: str, generated_warehouses: Path, tmp_path: Path) -> Iterator[dict[str, str]]:
    ports = {"aw": free_port(), "wwi": free_port(), "gateway": free_port()}
    env = {
        **os.environ,
        "POSTGRES_URL": postgres_url,
        "DATA_DIR": str(generated_warehouses),
        "INTERNAL_SERVICE_SHARED_SECRET": SECRET,
        "REQUIRE_FRONTEND_AUTH": "false",
        "OTEL_TRACES_EXPORTER": "none",
        "AW_SERVICE_URL": f"http://127.0.0.1:{ports['aw']}",
        "WWI_SERVICE_URL": f"http://127.0.0.1:{ports['wwi']}",
    }
    processes: list[subprocess.Popen[str]] = []
    with ExitStack() as logs:
        for service in ("aw", "wwi", "gateway"):
            log = logs.enter_context((tmp_path / f"{service}.log").open("w"))
            process = subprocess.Popen(
                [sys.executable, "-m", "otelbi.cli", "serve", service],
                env={**env, "PORT": str(ports[service])},
                stdout=log,
                stderr=log,
                text=True,
            )
            processes.append(process)
            probe = "/api/config" if service == "gateway" else "/livez"
            logs.callback(_stop, process)
            _wait_until_up(f"http://127.0.0.1:{ports[service]}{probe}", process)
        yield {service: f"http://127.0.0.1:{port}" for service, port in ports.items()}


def _stop(process: subprocess.Popen[str]) -> None:
    process.terminate()
    process.wait(timeout=30)


def test_kpis_through_three_processes(urls: dict[str, str]) -> None:
    gateway = urls["gateway"]
    health = httpx.get(f"{gateway}/api/health", timeout=30)
    assert health.status_code == 200, health.text
    for domain in ("aw", "wwi"):
        response = httpx.get(f"{gateway}/api/{domain}/sales/kpis", timeout=30)
        assert response.status_code == 200, response.text
        assert response.json()["total"]["revenue"] > 0
    audit = httpx.get(f"{gateway}/api/audit", timeout=30).json()["items"]
    assert [row["domain"] for row in audit[:2]] == ["wwi", "aw"]


def test_a_service_refuses_callers_that_skip_the_gateway(
    urls: dict[str, str], oidc_provider: OidcProvider
) -> None:
    direct = httpx.get(f"{urls['aw']}/api/aw/sales/kpis", timeout=30)
    assert direct.status_code == 401
    users_own_token = oidc_provider.token("bi.read")
    refused_user = httpx.get(
        f"{urls['aw']}/api/aw/sales/kpis",
        headers={"authorization": f"Bearer {users_own_token}"},
        timeout=30,
    )
    assert refused_user.status_code == 401
    forged = mint_internal_token(
        secret="another-secret-that-is-long-enough-to-pass",
        issuer="api-gateway",
        audience="aw-service",
        subject="mallory",
    )
    refused = httpx.get(
        f"{urls['aw']}/api/aw/sales/kpis", headers={"authorization": f"Bearer {forged}"}, timeout=30
    )
    assert refused.status_code == 401
    genuine = mint_internal_token(
        secret=SECRET, issuer="api-gateway", audience="aw-service", subject="ada"
    )
    accepted = httpx.get(
        f"{urls['aw']}/api/aw/sales/kpis",
        headers={"authorization": f"Bearer {genuine}"},
        timeout=30,
    )
    assert accepted.status_code == 200
