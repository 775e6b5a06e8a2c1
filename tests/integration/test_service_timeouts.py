"""A hung service holds a gateway call only as long as its route class allows: then 504 with
the JSON error body and the call's x-trace-id (SERVICE_TIMEOUT_*_SECONDS)."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from otelbi.service_layout import build_app
from otelbi.settings import RunMode, Settings


@pytest.fixture
def hung_service() -> Iterator[str]:
    """Yield the URL of a service that takes connections and requests but never answers.

    Nothing calls accept(): the kernel completes each connection into the backlog and
    buffers the request, so the gateway's call waits for an answer that never comes.
    """
    with socket.create_server(("127.0.0.1", 0), backlog=16) as listener:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"


@pytest.fixture
def gateway(monkeypatch: pytest.MonkeyPatch, hung_service: str) -> Iterator[TestClient]:
    monkeypatch.setenv("AW_SERVICE_URL", hung_service)
    monkeypatch.setenv("SERVICE_TIMEOUT_VIEWS_SECONDS", "0.5")
    monkeypatch.setenv("SERVICE_TIMEOUT_EXPORTS_SECONDS", "1")
    with TestClient(build_app(RunMode.GATEWAY, Settings(env_file=None))) as client:
        yield client


@pytest.mark.parametrize(
    ("path", "setting", "seconds"),
    [
        ("/api/aw/sales/kpis", "SERVICE_TIMEOUT_VIEWS_SECONDS", "0.5"),
        ("/api/aw/export/sales-kpis?format=csv", "SERVICE_TIMEOUT_EXPORTS_SECONDS", "1"),
    ],
)
def test_a_hung_service_answers_504_with_the_trace_id_after_its_route_class_timeout(
    gateway: TestClient, path: str, setting: str, seconds: str
) -> None:
    response = gateway.get(path)
    assert response.status_code == 504
    assert response.json() == {
        "error": "timeout",
        "detail": f"aw-service did not answer within {seconds} s ({setting}); try again later",
    }
    trace_id = response.headers["x-trace-id"]
    assert len(trace_id) == 32
    assert int(trace_id, 16) != 0


def _answer_half_a_view(listener: socket.socket, then_close: bool, done: threading.Event) -> None:
    """Answer each request with a view's headers (Content-Length 1000) and 10 bytes of body,
    then drop the connection or hold it until the test ends."""
    listener.settimeout(0.1)  # to see `done` between connections
    while not done.is_set():
        try:
            connection, _ = listener.accept()
        except TimeoutError:
            continue
        with connection:
            connection.recv(65536)
            connection.sendall(
                b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n"
                b"content-length: 1000\r\n\r\n" + b'{"as_of": '
            )
            if not then_close:
                done.wait(30)


@pytest.mark.parametrize(
    ("then_close", "status", "error"),
    [(False, 504, "timeout"), (True, 503, "unavailable")],
    ids=["stalls", "drops"],
)
def test_a_view_cut_off_mid_body_is_an_error_not_a_truncated_200(
    monkeypatch: pytest.MonkeyPatch, then_close: bool, status: int, error: str
) -> None:
    done = threading.Event()
    with socket.create_server(("127.0.0.1", 0)) as listener:
        server = threading.Thread(target=_answer_half_a_view, args=(listener, then_close, done))
        server.start()
        monkeypatch.setenv("AW_SERVICE_URL", f"http://127.0.0.1:{listener.getsockname()[1]}")
        monkeypatch.setenv("SERVICE_TIMEOUT_VIEWS_SECONDS", "0.5")
        try:
            with TestClient(build_app(RunMode.GATEWAY, Settings(env_file=None))) as client:
                response = client.get("/api/aw/sales/kpis")
        finally:
            done.set()
            server.join(timeout=30)
    assert response.status_code == status
    assert response.json()["error"] == error
