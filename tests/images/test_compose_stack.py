"""compose.yaml with the four images, checked the way an operator would after `up`: through
the frontend container's port only, with telemetry going to an OTLP receiver on the host.

The tests share one stack and run in file order; the last one stops the services.
"""

from __future__ import annotations

import io
import time
from collections.abc import Iterator

import httpx
import pytest
from openpyxl import load_workbook

from tests.images.conftest import PRODUCT_SERVICES, Stack, podman
from tests.peers.otlp_receiver import OtlpReceiver

SERVICE_CONTAINERS = ("aw-service", "wwi-service", "api-gateway", "frontend")
PRODUCT_USER = "10001:10001"


# The first test also builds the images (minutes on a machine without their layers).
pytestmark = pytest.mark.timeout(1800)


@pytest.fixture(scope="module")
def client(stack: Stack) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=stack.url, timeout=120) as client:
        yield client


def test_config_answers_without_a_login(client: httpx.Client) -> None:
    response = client.get("/api/config")
    assert response.status_code == 200
    assert response.json()["auth_required"] is False
    assert "authorization" not in response.request.headers


def test_health_is_ok_and_every_container_passes_its_health_check(
    client: httpx.Client, stack: Stack
) -> None:
    health = client.get("/api/health")
    assert health.status_code == 200, health.text
    assert health.json() == {
        "status": "ok",
        "checks": {
            "store": "ok",
            "audit_chain": "ok",
            "aw_warehouse": "ok",
            "wwi_warehouse": "ok",
            "report_directory": "ok",
            "identity_provider": None,
        },
    }
    for service in SERVICE_CONTAINERS:
        check = podman("healthcheck", "run", stack.container(service), check=False)
        assert check.returncode == 0, (service, check.stdout, check.stderr)


def test_the_web_app_is_served_with_the_gateways_policy(client: httpx.Client) -> None:
    page = client.get("/sales/history")  # a client-side route: index.html
    assert page.status_code == 200
    assert '<div id="root">' in page.text
    policy = page.headers["content-security-policy"]
    assert policy == client.get("/api/config").headers["content-security-policy"]
    assert "script-src 'self'" in policy
    asset = page.text.split('src="', 1)[1].split('"', 1)[0]
    script = client.get(asset, headers={"accept-encoding": "gzip"})
    assert script.status_code == 200
    assert script.headers["content-encoding"] == "gzip"
    assert "immutable" in script.headers["cache-control"]


def test_kpis_are_answered_and_audited_with_their_trace(
    client: httpx.Client, otlp_on_host: OtlpReceiver
) -> None:
    kpis = client.get("/api/aw/sales/kpis", params={"days_back": 90})
    assert kpis.status_code == 200, kpis.text
    assert kpis.json()["total"]["revenue"] > 0
    trace_id = kpis.headers["x-trace-id"]
    assert client.get("/api/wwi/sales/kpis").status_code == 200

    rows = client.get("/api/audit", params={"action": "aw.sales.kpis", "limit": 20}).json()["items"]
    mine = [row for row in rows if row["trace_id"] == trace_id]
    assert len(mine) == 1, rows
    assert mine[0]["outcome"] == "ok"
    # As the client sent it; the window's first call: computed, so its statements are traced.
    assert mine[0]["parameters"] == {"days_back": "90", "result_cache": "miss"}

    # One trace: the gateway's server span, its call to aw-service, aw-service's server span
    # and its statements against the warehouse — from three processes in two containers.
    deadline = time.monotonic() + 60
    spans = []
    while time.monotonic() < deadline:
        spans = [span for span in otlp_on_host.spans() if span.trace_id == trace_id]
        services = {span.service for span in spans}
        if {"api-gateway", "aw-service"} <= services and any(
            "db.system" in span.attributes or "db.system.name" in span.attributes for span in spans
        ):
            break
        time.sleep(1)
    services = {span.service for span in spans}
    assert {"api-gateway", "aw-service"} <= services, [(s.service, s.name) for s in spans]
    database_spans = [
        span for span in spans if span.service == "aw-service" and "db.system" in span.attributes
    ]
    assert database_spans, [(s.service, s.name, s.attributes) for s in spans]
    by_id = {span.span_id: span for span in spans}
    for span in database_spans:  # each statement hangs, through its parents, off the gateway
        parent = span
        while parent.parent_span_id in by_id:
            parent = by_id[parent.parent_span_id]
        assert parent.service == "api-gateway"


def test_job_runs_are_listed(client: httpx.Client) -> None:
    deadline = time.monotonic() + 120
    runs: list[dict[str, object]] = []
    while time.monotonic() < deadline:
        runs = client.get("/api/jobs/aw").json()["items"]
        if any(run["status"] == "succeeded" for run in runs):
            break
        time.sleep(2)
    assert any(run["status"] == "succeeded" for run in runs), runs
    assert {run["service"] for run in runs} == {"aw-service"}


def test_the_forecast_downloads_as_xlsx(client: httpx.Client) -> None:
    response = client.get("/api/aw/export/sales-forecast", params={"format": "xlsx"})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert "attachment" in response.headers["content-disposition"]
    workbook = load_workbook(io.BytesIO(response.content), read_only=True)
    rows = list(workbook.worksheets[0].iter_rows(values_only=True))
    assert len(rows) > 30  # a header, the 30-day horizon


def test_a_report_lands_in_the_report_volume(client: httpx.Client, stack: Stack) -> None:
    response = client.post("/api/reports/generate", json={"title": "Compose check"})
    assert response.status_code == 201, response.text
    report = response.json()
    share = stack.volume_path("reports")
    for kind in ("xlsx", "pdf"):
        path = report[f"{kind}_path"]
        on_host = share / path.removeprefix("/reports/")
        assert on_host.is_file(), (path, sorted(share.rglob("*")))
        assert on_host.stat().st_size == report["bytes"][kind]
        download = client.get(report["downloads"][kind])
        assert download.status_code == 200
        assert download.content == on_host.read_bytes()


def test_every_product_container_runs_as_the_unprivileged_user_on_a_read_only_root(
    stack: Stack,
) -> None:
    for service in PRODUCT_SERVICES:
        inspected = podman(
            "inspect", stack.container(service),
            "--format", "{{.Config.User}} {{.HostConfig.ReadonlyRootfs}}",
        ).stdout.split()  # fmt: skip
        assert inspected == [PRODUCT_USER, "true"], service
    for service in SERVICE_CONTAINERS:
        ids = podman("exec", stack.container(service), "id", "-u").stdout.strip()
        assert ids == "10001", service
        write = podman("exec", stack.container(service), "touch", "/probe", check=False)
        assert write.returncode != 0, service
        assert "Read-only file system" in write.stderr, service


def test_stopping_the_stack_leaves_no_job_running(client: httpx.Client, stack: Stack) -> None:
    # A job in flight when the services are told to stop: it finishes or is recorded as
    # ended, never left 'running'.
    started = client.post("/api/jobs/aw/aw.daily.data_quality/run")
    assert started.status_code == 202, started.text
    stack.compose("stop", "-t", "30", "frontend", "api-gateway", "aw-service", "wwi-service")
    assert stack.psql("SELECT count(*) FROM job_executions") != "0"
    running = stack.psql("SELECT job_id, id FROM job_executions WHERE status = 'running'")
    assert running == ""
