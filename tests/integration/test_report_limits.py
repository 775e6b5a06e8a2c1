"""Expensive calls are bounded at the gateway: report generation and exports per user
(REPORT_GENERATE_PER_MINUTE, EXPORT_REQUESTS_PER_MINUTE) and reports generated at once
(REPORT_MAX_CONCURRENT, REPORT_QUEUE_SECONDS) — over a limit, 429 with Retry-After and the
JSON error body — while the analytics calls keep answering."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from otelbi.files.pdf_report import write_pdf_report
from otelbi.files.report import Report
from otelbi.service_layout import build_app
from otelbi.settings import RunMode, Settings

HOLD_SECONDS = 60.0
"""How long a held generation waits to be released at most (the test releases it)."""


@pytest.fixture
def start_gateway(
    monkeypatch: pytest.MonkeyPatch,
    postgres_url: str,
    generated_warehouses: Path,
    tmp_path: Path,
) -> Iterator[Callable[..., TestClient]]:
    """Yield a function starting the all-in-one app with the given settings."""
    monkeypatch.setenv("POSTGRES_URL", postgres_url)
    monkeypatch.setenv("DATA_DIR", str(generated_warehouses))
    monkeypatch.setenv("REPORT_OUTPUT_DIR", str(tmp_path / "share"))
    monkeypatch.setenv("JOBS_ENABLED", "false")
    clients: list[TestClient] = []

    def start(**settings: str) -> TestClient:
        for name, value in settings.items():
            monkeypatch.setenv(name, value)
        client = TestClient(build_app(RunMode.ALL_IN_ONE, Settings(env_file=None)))
        clients.append(client.__enter__())
        return client

    yield start
    for client in clients:
        client.__exit__(None, None, None)


def _assert_too_many(response: httpx.Response, setting: str) -> None:
    assert response.status_code == 429, response.text
    assert int(response.headers["retry-after"]) >= 1
    body = response.json()
    assert body["error"] == "too_many_requests"
    assert setting in body["detail"]


def test_reports_beyond_the_concurrency_bound_get_429_while_views_still_answer(
    start_gateway: Callable[..., TestClient], monkeypatch: pytest.MonkeyPatch
) -> None:
    client = start_gateway(
        REPORT_MAX_CONCURRENT="1", REPORT_QUEUE_SECONDS="0", REPORT_GENERATE_PER_MINUTE="0"
    )
    generating, release = threading.Event(), threading.Event()

    def held_pdf(document: Report) -> bytes:
        # The real PDF, written once the test has seen the other calls answered.
        generating.set()
        release.wait(HOLD_SECONDS)
        return write_pdf_report(document)

    monkeypatch.setattr("otelbi.gateway.reports.write_pdf_report", held_pdf)
    with ThreadPoolExecutor(max_workers=1) as pool:
        first = pool.submit(client.post, "/api/reports/generate")
        assert generating.wait(HOLD_SECONDS)
        try:
            _assert_too_many(client.post("/api/reports/generate"), "REPORT_MAX_CONCURRENT")
            assert client.get("/api/aw/sales/kpis").status_code == 200
            assert client.get("/api/wwi/sales/kpis").status_code == 200
        finally:
            release.set()
        assert first.result().status_code == 201
    assert client.post("/api/reports/generate").status_code == 201  # the slot is free again


def test_queued_reports_wait_for_a_slot_instead_of_exhausting_the_store(
    start_gateway: Callable[..., TestClient],
) -> None:
    client = start_gateway(
        REPORT_MAX_CONCURRENT="1",
        REPORT_QUEUE_SECONDS="120",
        REPORT_GENERATE_PER_MINUTE="0",
        STORE_POOL_SIZE="4",
    )
    with ThreadPoolExecutor(max_workers=4) as pool:
        answers = list(pool.map(lambda _: client.post("/api/reports/generate"), range(4)))
    assert [answer.status_code for answer in answers] == [201] * 4, [a.text for a in answers]


def test_report_generation_and_exports_are_rate_limited_per_user(
    start_gateway: Callable[..., TestClient],
) -> None:
    client = start_gateway(REPORT_GENERATE_PER_MINUTE="1", EXPORT_REQUESTS_PER_MINUTE="2")
    assert client.post("/api/reports/generate").status_code == 201
    _assert_too_many(client.post("/api/reports/generate"), "REPORT_GENERATE_PER_MINUTE")
    export = ("/api/aw/export/rep-scores", {"format": "csv"})
    assert [client.get(export[0], params=export[1]).status_code for _ in range(2)] == [200, 200]
    _assert_too_many(client.get(export[0], params=export[1]), "EXPORT_REQUESTS_PER_MINUTE")
    # the views themselves are not exports: they keep answering
    assert client.get("/api/aw/reps/scores").status_code == 200
