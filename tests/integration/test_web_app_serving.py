"""The gateway serves the built web app: hashed assets cached for a year, other files and the
history fallback revalidated, /api left to the API, nothing outside the build ever served —
through a gateway started as `otelbi serve gateway` would (SQLite store)."""

from __future__ import annotations

import asyncio
import gzip
import logging
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from otelbi.service_layout import build_app
from otelbi.settings import RunMode, Settings
from otelbi.web.security_headers import content_security_policy

INDEX = b"<!doctype html><html><head><title>OTel BI</title></head><body></body></html>"
SCRIPT = b"console.log('otel bi');"
STYLE = b"body { margin: 0 }"
FONT = b"wOF2-not-really-a-font"
ICON = b'<svg xmlns="http://www.w3.org/2000/svg"/>'
IMMUTABLE = "public, max-age=31536000, immutable"
SECRET = b"not part of the build"

StartGateway = Callable[[Path | str], TestClient]


@pytest.fixture
def dist(tmp_path: Path) -> Path:
    """Return a Vite-like build: index.html, hashed assets, a favicon; a secret beside it."""
    root = tmp_path / "frontend" / "dist"
    (root / "assets").mkdir(parents=True)
    (root / "index.html").write_bytes(INDEX)
    (root / "assets" / "app-abc123.js").write_bytes(SCRIPT)
    (root / "assets" / "app-abc123.css").write_bytes(STYLE)
    (root / "assets" / "inter-abc123.woff2").write_bytes(FONT)
    (root / "favicon.svg").write_bytes(ICON)
    (tmp_path / "frontend" / "secret.txt").write_bytes(SECRET)
    (root / "assets" / "escape.js").symlink_to(tmp_path / "frontend" / "secret.txt")
    return root


@pytest.fixture
def start_gateway(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[StartGateway]:
    """Yield a function that starts a split-mode gateway serving the build at `dist_dir`."""
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "var"))
    clients: list[TestClient] = []

    def start(dist_dir: Path | str) -> TestClient:
        monkeypatch.setenv("FRONTEND_DIST_DIR", str(dist_dir))
        client = TestClient(build_app(RunMode.GATEWAY, Settings(env_file=None)))
        clients.append(client.__enter__())
        return client

    yield start
    for client in clients:
        client.__exit__(None, None, None)


@pytest.fixture
def gateway(start_gateway: StartGateway, dist: Path) -> TestClient:
    return start_gateway(dist)


def _assert_hardened(response: httpx.Response) -> None:
    headers = response.headers
    assert headers["content-security-policy"] == content_security_policy([])
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["x-frame-options"] == "DENY"
    assert headers["referrer-policy"] == "no-referrer"
    assert len(headers["x-trace-id"]) == 32


def _assert_json_404(response: httpx.Response) -> dict[str, Any]:
    assert response.status_code == 404, response.text
    assert response.headers["content-type"] == "application/json"
    body: dict[str, Any] = response.json()
    assert body["error"] == "not_found"
    return body


def test_the_root_and_every_app_path_answer_index_html(gateway: TestClient) -> None:
    for path in ("/", "/aw/sales?grain=week", "/wwi/scenarios/42", "/audit/", "/index.html"):
        response = gateway.get(path)
        assert response.status_code == 200, path
        assert response.content == INDEX, path
        assert response.headers["content-type"].startswith("text/html"), path
        assert response.headers["cache-control"] == "no-cache", path
        _assert_hardened(response)


def test_hashed_assets_are_cached_for_a_year_with_their_types(gateway: TestClient) -> None:
    for name, body, media_type in (
        ("app-abc123.js", SCRIPT, "text/javascript"),
        ("app-abc123.css", STYLE, "text/css"),
        ("inter-abc123.woff2", FONT, "font/woff2"),
    ):
        response = gateway.get(f"/assets/{name}")
        assert response.status_code == 200, name
        assert response.content == body
        assert response.headers["content-type"].split(";")[0] == media_type
        assert response.headers["cache-control"] == IMMUTABLE
        _assert_hardened(response)


def test_other_files_of_the_build_are_revalidated(gateway: TestClient) -> None:
    response = gateway.get("/favicon.svg")
    assert response.status_code == 200
    assert response.content == ICON
    assert response.headers["content-type"] == "image/svg+xml"
    assert response.headers["cache-control"] == "no-cache"
    _assert_hardened(response)


def test_head_answers_the_headers_only(gateway: TestClient) -> None:
    for path, media_type in (("/", "text/html"), ("/assets/app-abc123.js", "text/javascript")):
        response = gateway.head(path)
        assert response.status_code == 200, path
        assert response.content == b""
        assert response.headers["content-type"].startswith(media_type)


def test_a_missing_asset_is_a_404_not_the_app(gateway: TestClient) -> None:
    body = _assert_json_404(gateway.get("/assets/app-000000.js"))
    assert "/assets/app-000000.js" in body["detail"]
    _assert_json_404(gateway.get("/assets"))
    _assert_json_404(gateway.get("/assets/"))


def test_nothing_outside_the_build_is_served(gateway: TestClient, dist: Path) -> None:
    for path in (
        "/assets/%2e%2e/%2e%2e/secret.txt",
        "/assets/%2E%2E/%2E%2E/%2E%2E/%2E%2E/etc/passwd",
        "/%2e%2e/secret.txt",
        "/assets/..%2f..%2fsecret.txt",
        "/assets/..%5c..%5csecret.txt",
        "/assets/%2e/app-abc123.js",
        "/assets/escape.js",
    ):
        response = gateway.get(path)
        _assert_json_404(response)
        assert SECRET not in response.content, path
    # A link out of the build, outside /assets: not served; the app is.
    (dist / "secret.txt").symlink_to(dist.parent / "secret.txt")
    assert gateway.get("/secret.txt").content == INDEX


def test_dot_segments_sent_as_they_are_are_refused(gateway: TestClient) -> None:
    """httpx removes `..` from a URL before sending it; a raw client need not."""
    for path in ("/assets/../../secret.txt", "/../secret.txt", "/assets/../../../../etc/passwd"):
        status, body = asyncio.run(_raw_get(gateway.app, path))  # type: ignore[arg-type]
        assert status == 404, path
        assert SECRET not in body
        assert b'"not_found"' in body


def test_the_api_keeps_its_json_answers(gateway: TestClient) -> None:
    config = gateway.get("/api/config")
    assert config.status_code == 200
    assert config.json()["auth_required"] is False
    for method, path in (
        ("GET", "/api/nope"),
        ("GET", "/api/"),
        ("GET", "/api"),
        ("POST", "/api/x"),
    ):
        _assert_json_404(gateway.request(method, path))
    assert gateway.delete("/api/config").status_code == 405
    _assert_json_404(gateway.post("/aw/sales"))
    assert gateway.get("/openapi.json").json()["info"]["title"] == "OTel BI api-gateway"
    assert gateway.get("/docs").headers["content-type"].startswith("text/html")


def test_without_a_build_the_root_says_how_to_make_one(
    start_gateway: StartGateway, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="otelbi"):
        gateway = start_gateway(tmp_path / "frontend" / "dist")
    for path in ("/", "/aw/sales", "/assets/app-abc123.js"):
        detail = _assert_json_404(gateway.get(path))["detail"]
        assert "not built" in detail
        assert "make run" in detail
        assert "cd frontend && npm ci && npm run build" in detail
    assert gateway.get("/api/config").status_code == 200
    warnings = [r for r in caplog.records if "web app is not built" in r.getMessage()]
    assert len(warnings) == 1


def test_an_empty_setting_serves_no_app_and_warns_of_nothing(
    start_gateway: StartGateway, caplog: pytest.LogCaptureFixture
) -> None:
    # The gateway image: the frontend image serves the app, the gateway only the API.
    with caplog.at_level(logging.WARNING, logger="otelbi"):
        gateway = start_gateway("")
    for path in ("/", "/aw/sales", "/assets/app-abc123.js"):
        assert "not built" not in _assert_json_404(gateway.get(path))["detail"]
    assert gateway.get("/api/config").status_code == 200
    assert not [r for r in caplog.records if "web app is not built" in r.getMessage()]


def test_a_domain_service_does_not_serve_the_app(
    monkeypatch: pytest.MonkeyPatch, dist: Path, tmp_path: Path
) -> None:
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "var"))
    monkeypatch.setenv("FRONTEND_DIST_DIR", str(dist))
    monkeypatch.setenv("INTERNAL_SERVICE_SHARED_SECRET", "s" * 40)
    service = TestClient(build_app(RunMode.AW, Settings(env_file=None)))
    for path in ("/", "/assets/app-abc123.js"):
        response = service.get(path)
        assert response.status_code == 404
        assert response.json()["error"] == "not_found"


async def _raw_get(app: FastAPI, path: str) -> tuple[int, bytes]:
    """Return the status and body of a GET of `path` exactly as given, past any client."""
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": b"",
        "headers": [(b"host", b"testserver")],
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
    }
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    await app(scope, receive, send)
    status = next(m["status"] for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return status, body


def test_the_build_s_gzip_copy_goes_to_clients_that_accept_gzip(
    gateway: TestClient, dist: Path
) -> None:
    body = SCRIPT * 200
    (dist / "assets" / "app-abc123.js").write_bytes(body)
    (dist / "assets" / "app-abc123.js.gz").write_bytes(gzip.compress(body))

    compressed = gateway.get("/assets/app-abc123.js", headers={"accept-encoding": "gzip"})
    assert compressed.headers["content-encoding"] == "gzip"
    assert compressed.headers["content-type"].startswith("text/javascript")
    assert compressed.headers["vary"] == "Accept-Encoding"
    assert int(compressed.headers["content-length"]) < len(body)
    assert compressed.content == body  # httpx decodes it: the same script

    plain = gateway.get("/assets/app-abc123.js", headers={"accept-encoding": "identity"})
    assert "content-encoding" not in plain.headers
    assert plain.content == body
