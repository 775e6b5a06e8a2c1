"""/docs and /redoc over plain HTTP: every file they load is the gateway's own, answered 200
with a long cache; no inline script; each page's policy, and nobody else's, is loosened.

Built from the app object only (no store, no lifespan). The pages in a browser:
tests/e2e/test_api_docs.py.
"""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from fastapi.testclient import TestClient

from otelbi.gateway.app import create_gateway_app
from otelbi.settings import Settings
from otelbi.telemetry import disabled_telemetry
from otelbi.web.security_headers import content_security_policy

PAGES = ("/docs", "/redoc")
MEDIA_TYPES = {"stylesheet": "text/css", "icon": "image/png", "script": "text/javascript"}


class PageReferences(HTMLParser):
    """What a page loads (kind, URL), and any script or style written into the page."""

    def __init__(self) -> None:
        super().__init__()
        self.loads: list[tuple[str, str]] = []
        self.inline: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if "style" in attributes or tag == "style" or any(a.startswith("on") for a in attributes):
            self.inline.append(self.get_starttag_text() or tag)
        if tag == "script":
            self._in_script = True
            if attributes.get("src") is None:
                self.inline.append("<script> without src")
            else:
                self.loads.append(("script", attributes["src"] or ""))
        if tag == "link":
            self.loads.append((attributes.get("rel") or "", attributes.get("href") or ""))

    def handle_endtag(self, tag: str) -> None:
        self._in_script = self._in_script and tag != "script"

    def handle_data(self, data: str) -> None:
        if self._in_script and data.strip():
            self.inline.append(f"script text {data[:40]!r}")


@pytest.fixture(scope="module")
def gateway() -> TestClient:
    """The gateway with an identity provider, which the web app's policy may connect to."""
    with pytest.MonkeyPatch.context() as environment:
        environment.setenv("OIDC_AUTHORITY", "https://login.example.test/realm")
        settings = Settings(env_file=None)
    return TestClient(create_gateway_app(settings, disabled_telemetry("api-gateway")))


def _references(gateway: TestClient, page: str) -> PageReferences:
    response = gateway.get(page)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/html")
    assert response.headers["cache-control"] == "no-cache"
    parser = PageReferences()
    parser.feed(response.text)
    return parser


@pytest.mark.parametrize("page", PAGES)
def test_every_file_a_page_loads_is_the_gateways_and_cached_for_good(
    gateway: TestClient, page: str
) -> None:
    references = _references(gateway, page)
    assert references.inline == []
    kinds = {kind for kind, _ in references.loads}
    assert {"script", "icon"} <= kinds
    assert sum(kind == "script" for kind, _ in references.loads) == 2  # the viewer, our start
    for kind, url in references.loads:
        assert url.startswith("/docs/assets/"), url  # same origin, versioned path
        response = gateway.get(url)
        assert response.status_code == 200, url
        assert response.headers["content-type"].startswith(MEDIA_TYPES[kind]), url
        assert response.headers["cache-control"] == "public, max-age=31536000, immutable"
        assert len(response.content) > 100, url
        assert b"cdn.jsdelivr.net" not in response.content, url


def test_the_start_scripts_read_the_document_the_gateway_serves(gateway: TestClient) -> None:
    for page, element in (("/docs", 'id="swagger-ui"'), ("/redoc", 'id="redoc"')):
        html = gateway.get(page).text
        assert f'<div {element} data-openapi-url="/openapi.json">' in html
        start = [url for kind, url in _references(gateway, page).loads if url.endswith("-init.js")]
        assert "openapiUrl" in gateway.get(start[0]).text
    assert gateway.get("/openapi.json").json()["paths"]


def test_redocs_logo_is_served_where_its_bundle_asks_for_it(gateway: TestClient) -> None:
    logo = gateway.get("/redoc/logo-mini.svg")
    assert logo.status_code == 200
    assert logo.headers["content-type"].startswith("image/svg+xml")
    assert b"<svg" in logo.content


def test_an_asset_of_another_version_or_name_is_404(gateway: TestClient) -> None:
    url = next(url for _, url in _references(gateway, "/docs").loads)
    digest, name = url.removeprefix("/docs/assets/").split("/")
    for wrong in (f"/docs/assets/{'0' * len(digest)}/{name}", f"/docs/assets/{digest}/x.js"):
        response = gateway.get(wrong)
        assert response.status_code == 404, wrong
        assert response.json()["error"] == "not_found"


def test_only_the_two_pages_get_their_own_policy(gateway: TestClient) -> None:
    app_policy = content_security_policy(["https://login.example.test"])
    for path in ("/openapi.json", "/api/nope", "/docs/assets/x/y.js", "/redoc/logo-mini.svg"):
        assert gateway.get(path).headers["content-security-policy"] == app_policy, path
    swagger = _directives(gateway.get("/docs").headers["content-security-policy"])
    strict = _directives(content_security_policy())
    assert swagger == strict
    redoc = _directives(gateway.get("/redoc").headers["content-security-policy"])
    # ReDoc only: inline styles and blob: workers; scripts stay the gateway's alone.
    assert redoc == {
        **strict,
        "style-src": "'self' 'unsafe-inline'",
        "worker-src": "blob:",
    }
    assert redoc["script-src"] == "'self'"
    assert gateway.get("/docs", headers={"x-forwarded-proto": "https"}).status_code == 200


def _directives(policy: str) -> dict[str, str]:
    return {
        name: value
        for name, _, value in (directive.strip().partition(" ") for directive in policy.split(";"))
    }
